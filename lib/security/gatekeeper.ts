import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { ConfigError } from '../platform/errors';

/** The namespace label Gatekeeper's webhooks skip (the chart's post-install job sets it on its own namespace). */
export const GATEKEEPER_IGNORE_LABEL = 'admission.gatekeeper.sh/ignore';

/** Options for {@link GatekeeperInstall}. */
export interface GatekeeperInstallProps extends ControllerInstallProps {
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
}

/**
 * Installs OPA Gatekeeper with the pinned `gatekeeper` chart (CRDs v3.23.0).
 * Registered as a controller, so the bootstrap chart that holds the
 * ConstraintTemplates is installed after it. Denials and audit results are
 * logged and emitted as events; the webhook fails open (`Ignore`, the chart's
 * default) so a Gatekeeper outage cannot block the cluster, while the audit
 * still reports what slipped through.
 */
export class GatekeeperInstall extends ControllerInstall {
  constructor(scope: Construct, id: string, props: GatekeeperInstallProps = {}) {
    // Every API request waits for the webhook: a quorum of replicas when highly available (the HA table).
    // One owner for the namespace's labels: Terraform sets the label that keeps
    // Gatekeeper from validating its own namespace, and the chart's post-install
    // job, which would add it and overwrite the Pod Security labels (enforce-version
    // v1.24) behind Terraform's back on every install, is off.
    super(scope, id, props, {
      chart: CHARTS.gatekeeper,
      defaultNamespace: 'gatekeeper-system',
      releaseName: props.releaseName ?? 'gatekeeper',
      role: 'quorum',
      replicas: props.replicas,
      namespaceLabels: { [GATEKEEPER_IGNORE_LABEL]: 'no-self-managing' },
    });
    const audit = props.auditIntervalSeconds ?? 60;
    if (!Number.isInteger(audit) || audit < 10) {
      throw new ConfigError(this.node.path, 'auditIntervalSeconds', audit, 'Use a whole number of seconds, at least 10.');
    }
    this.installChart({
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
      facts: {
        serviceAccounts: ['gatekeeper-admin'],
        secrets: ['gatekeeper-webhook-server-cert'],
        crdKinds: ['templates.gatekeeper.sh/ConstraintTemplate', 'config.gatekeeper.sh/Config', 'mutations.gatekeeper.sh/Assign', 'expansion.gatekeeper.sh/ExpansionTemplate'],
        // postInstall.labelNamespace is off (above): Terraform alone labels the namespace.
      },
    });
  }
}
