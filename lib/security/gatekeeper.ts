import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ChartInstall } from '../platform/chart-install';
import { ConfigError } from '../platform/errors';
import { replicasFor } from '../platform/high-availability';
import { Platform } from '../platform/platform';

/** The namespace label Gatekeeper's webhooks skip (the chart's post-install job sets it on its own namespace). */
export const GATEKEEPER_IGNORE_LABEL = 'admission.gatekeeper.sh/ignore';

/** Options for {@link GatekeeperInstall}. */
export interface GatekeeperInstallProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Namespace of Gatekeeper. @default 'gatekeeper-system' */
  readonly namespace?: string;
  /** Helm release name. @default 'gatekeeper' */
  readonly releaseName?: string;
  /**
   * Replicas of the admission webhook.
   * @default - 3 when the environment is highly available, else 1
   */
  readonly replicas?: number;
  /**
   * Seconds between audit runs (the audit records violations of existing objects,
   * which is what `dryrun` constraints report).
   * @default 60
   */
  readonly auditIntervalSeconds?: number;
  /**
   * Chart values merged over the ones this install computes, last: the
   * escape hatch for a chart setting without a prop. Every path must exist in
   * the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Installs OPA Gatekeeper with the pinned `gatekeeper` chart (CRDs v3.23.0).
 * Registered as a controller, so the bootstrap chart that holds the
 * ConstraintTemplates is installed after it. Denials and audit results are
 * logged and emitted as events; the webhook fails open (`Ignore`, the chart's
 * default) so a Gatekeeper outage cannot block the cluster, while the audit
 * still reports what slipped through.
 */
export class GatekeeperInstall extends Construct {
  /** The Helm release. */
  public readonly install: ChartInstall;
  /** The namespace Gatekeeper runs in. */
  public readonly namespace: string;
  /** Webhook replicas. */
  public readonly replicas: number;

  constructor(scope: Construct, id: string, props: GatekeeperInstallProps = {}) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const sizing = platform.environment.sizing;
    this.namespace = props.namespace ?? 'gatekeeper-system';
    // Every API request waits for the webhook: a quorum of replicas when highly available (the HA table).
    this.replicas = props.replicas ?? replicasFor(sizing, 'quorum');
    if (!Number.isInteger(this.replicas) || this.replicas < 1) {
      throw new ConfigError(this.node.path, 'replicas', this.replicas, 'Use a whole number of at least 1.');
    }
    const audit = props.auditIntervalSeconds ?? 60;
    if (!Number.isInteger(audit) || audit < 10) {
      throw new ConfigError(this.node.path, 'auditIntervalSeconds', audit, 'Use a whole number of seconds, at least 10.');
    }
    // One owner for the namespace's labels: Terraform sets the label that keeps
    // Gatekeeper from validating its own namespace, and the chart's post-install
    // job, which would add it and overwrite the Pod Security labels (enforce-version
    // v1.24) behind Terraform's back on every install, is off.
    const ns = platform.namespace(this.namespace, { [GATEKEEPER_IGNORE_LABEL]: 'no-self-managing' });
    this.install = new ChartInstall(this, 'Resource', {
      chart: CHARTS.gatekeeper,
      releaseName: props.releaseName ?? 'gatekeeper',
      namespace: this.namespace,
      dependsOn: [ns],
      values: {
        replicas: this.replicas,
        auditInterval: audit,
        constraintViolationsLimit: 20,
        validatingWebhookFailurePolicy: 'Ignore',
        logDenies: true,
        emitAdmissionEvents: true,
        emitAuditEvents: true,
        enableRuntimeDefaultSeccompProfile: true,
        postInstall: { labelNamespace: { enabled: false } },
      },
      valueOverrides: props.values,
    });
    platform.addController(this.install, {
      serviceAccounts: ['gatekeeper-admin'],
      secrets: ['gatekeeper-webhook-server-cert'],
      crdKinds: ['templates.gatekeeper.sh/ConstraintTemplate', 'config.gatekeeper.sh/Config', 'mutations.gatekeeper.sh/Assign', 'expansion.gatekeeper.sh/ExpansionTemplate'],
      // postInstall.labelNamespace is off (above): Terraform alone labels the namespace.
    });
  }
}
