import { Release } from '@cdktf/provider-helm/lib/release';
import type { ControllerReleaseStatus } from './status-contract';
import { ITerraformDependable, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ChartRef } from './catalogue';
import { ConfigError } from './errors';
import { mergeValues } from './high-availability';
import { sortKeys, toRecordedYaml } from './yaml';
import { checkProps } from './config-boundary/props';

/**
 * The annotation that makes Helm leave an object in place on uninstall
 * (`helm.sh/resource-policy: keep`); charts without a `keep` switch for their
 * CRDs take it through their CRD annotations.
 */
export const HELM_RESOURCE_POLICY = 'helm.sh/resource-policy';

/** A value that must never be written to a file: it comes from a sensitive Terraform variable. */
export interface SensitiveValue {
  /** The dotted Helm value path (`configs.secret.argocdServerAdminPassword`). */
  readonly path: string;
  /** The sensitive Terraform variable that supplies it. */
  readonly variable: TerraformVariable;
}

/** Options for {@link ChartInstall}. */
export interface ChartInstallProps {
  /** The pinned chart, from the catalogue. */
  readonly chart: ChartRef;
  /** The Helm release name. */
  readonly releaseName: string;
  /** The namespace the release is installed into. */
  readonly namespace: string;
  /**
   * Chart values. Never put a secret here: use `sensitiveValues`.
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * Values merged over `values`, last (objects key by key, anything else
   * replaces): the escape hatch for a chart setting the module has no prop
   * for. Each module passes its settings' `values` here. Every path must
   * exist in the chart's defaults (the tests check the shipped ones); never a
   * secret (`sensitiveValues`).
   * @default - none
   */
  readonly valueOverrides?: Readonly<Record<string, unknown>>;
  /**
   * Values taken from sensitive Terraform variables (`set_sensitive`).
   * @default []
   */
  readonly sensitiveValues?: readonly SensitiveValue[];
  /**
   * Resources the release waits for (namespaces, other releases).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * TCP ports the controller reaches outside the cluster besides HTTPS (443)
   * and the API server (443/6443): SMTP (587), Git over SSH (22), a Git or
   * webhook host on its own port. The security module opens them in the
   * namespace's egress NetworkPolicy.
   * @default []
   */
  readonly egressPorts?: readonly number[];
  /**
   * Seconds Helm waits for the release to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * A Helm release of a catalogued chart: values are rendered as one YAML
 * document with sorted keys, secrets go through `set_sensitive` only.
 * This is the one adapter between the platform modules and the helm provider.
 */
export class ChartInstall extends Construct {
  /** The underlying `helm_release`. */
  public readonly release: Release;
  /** The chart this release installs. */
  public readonly chart: ChartRef;
  /** The namespace of the release. */
  public readonly namespace: string;
  /** The values, as given (for outputs and tests). */
  public readonly values: Readonly<Record<string, unknown>>;
  /** TCP ports the controller reaches outside the cluster besides 443/6443, sorted. */
  public readonly egressPorts: readonly number[];

  constructor(scope: Construct, id: string, props: ChartInstallProps) {
    super(scope, id);
    checkProps(this, 'ChartInstallProps', props);
    this.chart = props.chart;
    this.namespace = props.namespace;
    this.values = mergeValues(props.values ?? {}, props.valueOverrides);
    // The values reach Terraform as a string, which it would interpolate.
    const interpolation = /[$%]\{[^}]*\}?/.exec(JSON.stringify(this.values));
    if (interpolation) {
      throw new ConfigError(scope.node.path, 'values', interpolation[0], 'Terraform would interpolate this in the Helm values; remove "${" / "%{" from the configuration.');
    }
    for (const port of props.egressPorts ?? []) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new ConfigError(this.node.path, 'egressPorts', port, 'Use TCP ports (1-65535).');
      }
    }
    this.egressPorts = [...new Set(props.egressPorts ?? [])].sort((a, b) => a - b);
    const seen = new Set<string>();
    for (const sensitive of props.sensitiveValues ?? []) {
      if (seen.has(sensitive.path)) {
        throw new ConfigError(this.node.path, 'sensitiveValues', sensitive.path, 'Set each sensitive value once.');
      }
      seen.add(sensitive.path);
    }
    this.release = new Release(this, 'Resource', {
      name: props.releaseName,
      namespace: props.namespace,
      chart: props.chart.chart,
      version: props.chart.version,
      repository: props.chart.repository,
      // Recorded, so the secret scan of the Terraform JSON reads these values rather than parsing the document.
      values: Object.keys(this.values).length > 0 ? [toRecordedYaml(sortKeys(this.values))] : undefined,
      setSensitive:
        props.sensitiveValues && props.sensitiveValues.length > 0
          ? props.sensitiveValues.map((s) => ({ name: s.path, value: s.variable.stringValue, type: 'string' }))
          : undefined,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }

  /** The release status reported by Helm after apply (`deployed`). */
  public get status(): string {
    return this.release.status;
  }

  /** A structured summary for the stack outputs. */
  public describe(): ControllerReleaseStatus {
    return {
      release: this.release.name,
      namespace: this.namespace,
      chart: this.chart.chart,
      chart_version: this.chart.version,
      app_version: this.chart.appVersion,
      repository: this.chart.repository,
      status: this.release.status,
    };
  }
}
