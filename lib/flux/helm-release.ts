import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  HelmRelease as HelmReleaseResource,
  HelmReleaseSpecChart,
  HelmReleaseSpecChartRef,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecReconcileStrategy,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecDriftDetectionMode,
  HelmReleaseSpecInstall,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecPostRenderers,
  HelmReleaseSpecRollback,
  HelmReleaseSpecUpgrade,
  HelmReleaseSpecUpgradeCrds,
  HelmReleaseSpecUpgradeRemediationStrategy,
  HelmReleaseSpecValuesFrom,
  HelmReleaseSpecValuesFromKind,
} from '../imports/flux-helm';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { KustomizeImage, imageOverridesJson, KustomizePatch } from './patch';
import { literalSecretPaths } from './secrets';
import { semverRangeProblem } from './semver';
import { IFluxSource } from './source';
import {
  checkArtifactPath,
  checkDuration,
  checkName,
  checkNamespace,
  checkOptionalDuration,
  checkSecretName,
} from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** Where a HelmRelease gets its chart from. */
export class HelmReleaseChart {
  /**
   * A chart from a HelmRepository (by name, with a SemVer `version` range),
   * or from a GitRepository / Bucket (by path, `./charts/app`). Flux creates
   * the HelmChart object that resolves it.
   */
  public static fromSource(
    source: IFluxSource,
    chart: string,
    options: {
      /** SemVer range (`45.x`, `>=4.0.0 <5.0.0`); HelmRepository sources only. @default '*' (Flux: the newest) */
      readonly version?: string;
      /** How often the chart is checked for new versions. @default - the HelmRelease interval */
      readonly interval?: string;
      /** Values files of the chart to merge, in order. @default - the chart's values.yaml */
      readonly valuesFiles?: readonly string[];
      /** For Git/Bucket charts: `Revision` makes every source revision a new chart version. @default 'ChartVersion' */
      readonly reconcileStrategy?: 'ChartVersion' | 'Revision';
    } = {},
  ): HelmReleaseChart {
    const kind = source.sourceKind;
    if (kind === 'OCIRepository') {
      throw new ConfigError('HelmReleaseChart', 'source', `${kind}/${source.name}`, 'An OCIRepository holds one chart: use HelmReleaseChart.fromOciRepository(source).');
    }
    if (kind === 'HelmRepository') {
      if (!/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(chart)) {
        throw new ConfigError('HelmReleaseChart', 'chart', chart, 'Use the chart name as listed in the repository, such as "kube-prometheus-stack".');
      }
    } else {
      checkArtifactPath('HelmReleaseChart', 'chart', chart);
      if (options.version !== undefined) {
        throw new ConfigError('HelmReleaseChart', 'version', options.version, `A chart from a ${kind} is versioned by the source revision; remove version (or use reconcileStrategy "Revision").`);
      }
    }
    if (options.version !== undefined) {
      const problem = semverRangeProblem(options.version);
      if (problem !== undefined) {
        throw new ConfigError(
          'HelmReleaseChart',
          'version',
          options.version,
          `It is not a SemVer range (${problem}); use an exact version ("45.7.1") or a range such as "45.x", "~45.7" or ">=45.0.0 <46.0.0".`,
        );
      }
    }
    const spec: HelmReleaseSpecChart = {
      spec: {
        chart,
        version: options.version,
        interval: checkOptionalDuration('HelmReleaseChart', 'interval', options.interval),
        valuesFiles: options.valuesFiles && options.valuesFiles.length > 0 ? [...options.valuesFiles] : undefined,
        reconcileStrategy: options.reconcileStrategy as HelmReleaseSpecChartSpecReconcileStrategy | undefined,
        sourceRef: { kind: kind as HelmReleaseSpecChartSpecSourceRefKind, name: source.name, namespace: source.namespace },
      },
    };
    return new HelmReleaseChart(spec, undefined, source, chart, options.version);
  }

  /** A chart published as an OCI artifact, pulled by an OCIRepository (`chartRef`). */
  public static fromOciRepository(source: IFluxSource): HelmReleaseChart {
    if (source.sourceKind !== 'OCIRepository') {
      throw new ConfigError('HelmReleaseChart', 'source', `${source.sourceKind}/${source.name}`, 'fromOciRepository takes an OCIRepository; use fromSource for Helm, Git and Bucket sources.');
    }
    return new HelmReleaseChart(
      undefined,
      { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name: source.name, namespace: source.namespace },
      source,
      source.name,
      undefined,
    );
  }

  private constructor(
    private readonly chartJson: HelmReleaseSpecChart | undefined,
    private readonly chartRefJson: HelmReleaseSpecChartRef | undefined,
    /** The source the chart comes from. */
    public readonly source: IFluxSource,
    /** The chart name or path. */
    public readonly chart: string,
    /** The version range, if any. */
    public readonly version: string | undefined,
  ) {}

  /** @returns `chart` (or `chartRef`) for a HelmRelease in `namespace` (same-namespace refs omit the namespace). */
  public specFor(namespace: string): { chart?: HelmReleaseSpecChart; chartRef?: HelmReleaseSpecChartRef } {
    if (this.chartRefJson) {
      const { namespace: ns, ...rest } = this.chartRefJson;
      return { chartRef: ns !== namespace ? { ...rest, namespace: ns } : rest };
    }
    const spec = this.chartJson!.spec;
    const { namespace: ns, ...sourceRef } = spec.sourceRef;
    return { chart: { spec: { ...spec, sourceRef: ns !== namespace ? { ...sourceRef, namespace: ns } : sourceRef } } };
  }
}

/** Values merged from a ConfigMap or Secret (`valuesFrom`). */
export class ValuesReference {
  /**
   * Values from a Secret: the whole `valuesKey` document, or, with
   * `targetPath`, one value set at that path (`grafana.adminPassword`).
   */
  public static secret(name: string, options: ValuesReferenceOptions = {}): ValuesReference {
    return new ValuesReference(HelmReleaseSpecValuesFromKind.SECRET, checkSecretName('ValuesReference', 'name', name), options);
  }

  /** Values from a ConfigMap. */
  public static configMap(name: string, options: ValuesReferenceOptions = {}): ValuesReference {
    return new ValuesReference(HelmReleaseSpecValuesFromKind.CONFIG_MAP, checkName('ValuesReference', 'name', name), options);
  }

  private constructor(
    private readonly kind: HelmReleaseSpecValuesFromKind,
    /** The ConfigMap or Secret name. */
    public readonly name: string,
    private readonly options: ValuesReferenceOptions,
  ) {
    if (options.valuesKey !== undefined && !/^[-._a-zA-Z0-9]{1,253}$/.test(options.valuesKey)) {
      throw new ConfigError('ValuesReference', 'valuesKey', options.valuesKey, 'Use a data key of letters, digits, "-", "_" and ".".');
    }
    if (options.targetPath !== undefined && !/^([a-zA-Z0-9_\-.\\/]|\[[0-9]{1,5}\])+$/.test(options.targetPath)) {
      throw new ConfigError('ValuesReference', 'targetPath', options.targetPath, 'Use a dotted values path such as "grafana.adminPassword" or "servers[0].token".');
    }
  }

  /** The `valuesFrom` entry. */
  public toJson(): HelmReleaseSpecValuesFrom {
    return {
      kind: this.kind,
      name: this.name,
      valuesKey: this.options.valuesKey,
      targetPath: this.options.targetPath,
      optional: this.options.optional,
    };
  }
}

/** Options of a {@link ValuesReference}. */
export interface ValuesReferenceOptions {
  /** The data key. @default 'values.yaml' */
  readonly valuesKey?: string;
  /** Set the key's value at this values path instead of merging a document. @default - merge the whole document */
  readonly targetPath?: string;
  /** Do not fail when the object or key is missing. @default false */
  readonly optional?: boolean;
}

/** A post-renderer applied to the rendered chart before it is installed. */
export class PostRenderer {
  /** Kustomize patches and image overrides over the rendered chart. */
  public static kustomize(options: { readonly patches?: readonly KustomizePatch[]; readonly images?: readonly KustomizeImage[] }): PostRenderer {
    const patches = options.patches ?? [];
    const images = imageOverridesJson('PostRenderer', options.images);
    if (patches.length === 0 && !images) {
      throw new ConfigError('PostRenderer', 'kustomize', options, 'Give at least one patch or image override.');
    }
    return new PostRenderer({ kustomize: { patches: patches.length > 0 ? patches.map((p) => p.toJson()) : undefined, images } });
  }

  private constructor(private readonly json: HelmReleaseSpecPostRenderers) {}

  /** The `postRenderers` entry. */
  public toJson(): HelmReleaseSpecPostRenderers {
    return this.json;
  }
}

/** What Helm does with the chart's CRDs. */
export type HelmCrdPolicy = 'Skip' | 'Create' | 'CreateReplace';

/** Install behaviour. */
export interface HelmInstallOptions {
  /** Retries after a failed install (-1: forever). @default - no retries (Flux's default) */
  readonly remediationRetries?: number;
  /** Create the target namespace. @default false */
  readonly createNamespace?: boolean;
  /** CRD policy on install. @default 'Create' */
  readonly crds?: HelmCrdPolicy;
  /** Install timeout. @default - the HelmRelease timeout */
  readonly timeout?: string;
}

/** Upgrade behaviour. */
export interface HelmUpgradeOptions {
  /** Retries after a failed upgrade (-1: forever). @default - no retries (Flux's default) */
  readonly remediationRetries?: number;
  /** How a failed upgrade is remediated. @default 'rollback' */
  readonly remediationStrategy?: 'rollback' | 'uninstall';
  /** Remediate the last failure too when retries run out. @default false */
  readonly remediateLastFailure?: boolean;
  /** Delete new resources of a failed upgrade. @default false */
  readonly cleanupOnFail?: boolean;
  /** Replace resources that cannot be patched. @default false */
  readonly force?: boolean;
  /** CRD policy on upgrade. @default 'Skip' */
  readonly crds?: HelmCrdPolicy;
  /** Upgrade timeout. @default - the HelmRelease timeout */
  readonly timeout?: string;
}

/** Rollback behaviour. */
export interface HelmRollbackOptions {
  /** Delete new resources of a failed rollback. @default false */
  readonly cleanupOnFail?: boolean;
  /** Replace resources that cannot be patched. @default false */
  readonly force?: boolean;
  /** Restart pods of the rolled-back resources. @default false */
  readonly recreate?: boolean;
  /** Skip hooks during rollback. @default false */
  readonly disableHooks?: boolean;
  /** Rollback timeout. @default - the HelmRelease timeout */
  readonly timeout?: string;
}

/** A HelmRelease identified by name, for `dependsOn`. */
export interface HelmReleaseReference {
  /** Name. */
  readonly name: string;
  /** Namespace. @default - the depending release's namespace */
  readonly namespace?: string;
}

/** Options for {@link HelmRelease}. */
export interface HelmReleaseProps extends FluxObjectOptions {
  /** The chart and where it comes from. */
  readonly chart: HelmReleaseChart;
  /**
   * How often the release is reconciled.
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * Chart values. Never a secret: use `valuesFrom` with a Secret.
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
  /**
   * ConfigMaps and Secrets merged into the values, in order, before `values`.
   * @default []
   */
  readonly valuesFrom?: readonly ValuesReference[];
  /** Install behaviour. @default - Flux's defaults */
  readonly install?: HelmInstallOptions;
  /** Upgrade behaviour. @default - Flux's defaults */
  readonly upgrade?: HelmUpgradeOptions;
  /** Rollback behaviour. @default - Flux's defaults */
  readonly rollback?: HelmRollbackOptions;
  /**
   * Post-renderers, applied in order.
   * @default []
   */
  readonly postRenderers?: readonly PostRenderer[];
  /**
   * Install the release's objects into this namespace.
   * @default - the HelmRelease's namespace
   */
  readonly targetNamespace?: string;
  /**
   * Keep the Helm release secrets in this namespace.
   * @default - the HelmRelease's namespace
   */
  readonly storageNamespace?: string;
  /**
   * The Helm release name.
   * @default - `<targetNamespace>-<name>` with a target namespace, else the name (Flux's default)
   */
  readonly releaseName?: string;
  /**
   * Install as this ServiceAccount (of the HelmRelease's namespace).
   * @default - the controller's identity (or the lockdown default account)
   */
  readonly serviceAccountName?: string;
  /**
   * HelmReleases that must be ready first.
   * @default []
   */
  readonly dependsOn?: readonly (HelmRelease | HelmReleaseReference)[];
  /**
   * Timeout of Helm actions.
   * @default - Flux's default (5m)
   */
  readonly timeout?: string;
  /**
   * Release revisions kept.
   * @default - Flux's default (5)
   */
  readonly maxHistory?: number;
  /**
   * Drift detection against the cluster.
   * @default - disabled
   */
  readonly driftDetection?: 'enabled' | 'warn' | 'disabled';
  /**
   * Stop reconciling.
   * @default false
   */
  readonly suspend?: boolean;
}

/** A Flux HelmRelease (`helm.toolkit.fluxcd.io/v2`). */
export class HelmRelease extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The chart. */
  public readonly chart: HelmReleaseChart;
  /** The namespace the release installs into. */
  public readonly targetNamespace: string;
  /** The Secrets and ConfigMaps the values come from, by name. */
  public readonly valuesFrom: readonly ValuesReference[];

  constructor(scope: Construct, id: string, props: HelmReleaseProps) {
    super(scope, id);
    checkProps(this, 'HelmReleaseProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    this.chart = props.chart;
    this.valuesFrom = [...(props.valuesFrom ?? [])];
    this.targetNamespace =
      props.targetNamespace === undefined ? this.namespace : checkNamespace(where, 'targetNamespace', props.targetNamespace);

    const secrets = literalSecretPaths(props.values ?? {});
    if (secrets.length > 0) {
      throw new ConfigError(
        where,
        `values.${secrets[0]}`,
        '(redacted)',
        `Never put a secret in Helm values: take it from a Secret with valuesFrom, e.g. ValuesReference.secret("<secret>", { valuesKey: "<key>", targetPath: "${secrets[0]}" }).`,
      );
    }
    if (props.releaseName !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.releaseName)) {
      throw new ConfigError(where, 'releaseName', props.releaseName, 'Use a Helm release name: a DNS label.');
    }
    if (props.releaseName !== undefined && props.releaseName.length > 53) {
      throw new ConfigError(where, 'releaseName', props.releaseName, 'Helm release names are at most 53 characters.');
    }
    if (props.maxHistory !== undefined && (!Number.isInteger(props.maxHistory) || props.maxHistory < 0)) {
      throw new ConfigError(where, 'maxHistory', props.maxHistory, 'Use a whole number of 0 or more (0: unlimited).');
    }
    const dependsOn = (props.dependsOn ?? []).map((d) => {
      const ns = d.namespace ?? this.namespace;
      if (d.name === this.name && ns === this.namespace) {
        throw new ConfigError(where, 'dependsOn', `${ns}/${d.name}`, 'A HelmRelease cannot depend on itself; remove this dependency.');
      }
      return { name: checkName(where, 'dependsOn.name', d.name), ...(ns !== this.namespace ? { namespace: ns } : {}) };
    });

    this.resource = new HelmReleaseResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        interval: checkDuration(where, 'interval', props.interval ?? '10m'),
        ...props.chart.specFor(this.namespace),
        values: props.values && Object.keys(props.values).length > 0 ? props.values : undefined,
        valuesFrom: this.valuesFrom.length > 0 ? this.valuesFrom.map((v) => v.toJson()) : undefined,
        install: installJson(where, props.install),
        upgrade: upgradeJson(where, props.upgrade),
        rollback: rollbackJson(where, props.rollback),
        postRenderers: props.postRenderers && props.postRenderers.length > 0 ? props.postRenderers.map((p) => p.toJson()) : undefined,
        targetNamespace: props.targetNamespace === undefined ? undefined : this.targetNamespace,
        storageNamespace: props.storageNamespace === undefined ? undefined : checkNamespace(where, 'storageNamespace', props.storageNamespace),
        releaseName: props.releaseName,
        serviceAccountName: props.serviceAccountName === undefined ? undefined : checkName(where, 'serviceAccountName', props.serviceAccountName),
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
        timeout: checkOptionalDuration(where, 'timeout', props.timeout),
        maxHistory: props.maxHistory,
        driftDetection: props.driftDetection ? { mode: props.driftDetection as HelmReleaseSpecDriftDetectionMode } : undefined,
        suspend: props.suspend,
      },
    });
  }
}

function checkRetries(where: string, field: string, retries: number | undefined): number | undefined {
  if (retries === undefined) return undefined;
  if (!Number.isInteger(retries) || retries < -1) {
    throw new ConfigError(where, field, retries, 'Use a whole number of retries (0 or more, or -1 to retry forever).');
  }
  return retries;
}

function installJson(where: string, install: HelmInstallOptions | undefined): HelmReleaseSpecInstall | undefined {
  if (!install) return undefined;
  const retries = checkRetries(where, 'install.remediationRetries', install.remediationRetries);
  return {
    remediation: retries !== undefined ? { retries } : undefined,
    createNamespace: install.createNamespace,
    crds: install.crds as HelmReleaseSpecInstallCrds | undefined,
    timeout: checkOptionalDuration(where, 'install.timeout', install.timeout),
  };
}

function upgradeJson(where: string, upgrade: HelmUpgradeOptions | undefined): HelmReleaseSpecUpgrade | undefined {
  if (!upgrade) return undefined;
  const retries = checkRetries(where, 'upgrade.remediationRetries', upgrade.remediationRetries);
  const remediation =
    retries !== undefined || upgrade.remediationStrategy !== undefined || upgrade.remediateLastFailure !== undefined
      ? {
          retries,
          strategy: upgrade.remediationStrategy as HelmReleaseSpecUpgradeRemediationStrategy | undefined,
          remediateLastFailure: upgrade.remediateLastFailure,
        }
      : undefined;
  return {
    remediation,
    cleanupOnFail: upgrade.cleanupOnFail,
    force: upgrade.force,
    crds: upgrade.crds as HelmReleaseSpecUpgradeCrds | undefined,
    timeout: checkOptionalDuration(where, 'upgrade.timeout', upgrade.timeout),
  };
}

function rollbackJson(where: string, rollback: HelmRollbackOptions | undefined): HelmReleaseSpecRollback | undefined {
  if (!rollback) return undefined;
  return {
    cleanupOnFail: rollback.cleanupOnFail,
    force: rollback.force,
    recreate: rollback.recreate,
    disableHooks: rollback.disableHooks,
    timeout: checkOptionalDuration(where, 'rollback.timeout', rollback.timeout),
  };
}
