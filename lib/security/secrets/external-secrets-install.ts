import { Construct } from 'constructs';
import { CHARTS } from '../../platform/catalogue';
import { ChartInstall, HELM_RESOURCE_POLICY } from '../../platform/chart-install';
import { replicasFor } from '../../platform/high-availability';
import { Platform } from '../../platform/platform';

/** The service account of the operator, referenced by the seed's stores (`external-secrets-sa`). */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets-sa';

/** Options for {@link ExternalSecretsInstall}. */
export interface ExternalSecretsInstallProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Namespace of the operator. @default 'external-secrets' */
  readonly namespace?: string;
  /** Helm release name. @default 'external-secrets' */
  readonly releaseName?: string;
  /**
   * Annotations of the operator's service account (IRSA: `eks.amazonaws.com/role-arn`).
   * @default {}
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * Chart values merged over the ones this install computes, last: the
   * escape hatch for a chart setting without a prop. Every path must exist in
   * the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Installs the External Secrets Operator with the pinned `external-secrets`
 * chart (CRDs v2.9.0): the controller, its webhook and cert controller, each
 * with two replicas when the environment is highly available. The operator's
 * service account is `external-secrets-sa`, the identity the secret stores
 * authenticate with (Vault Kubernetes auth, AWS JWT).
 */
export class ExternalSecretsInstall extends Construct {
  /** The Helm release. */
  public readonly install: ChartInstall;
  /** The namespace of the operator. */
  public readonly namespace: string;
  /** The operator's service account. */
  public readonly serviceAccountName = EXTERNAL_SECRETS_SERVICE_ACCOUNT;

  constructor(scope: Construct, id: string, props: ExternalSecretsInstallProps = {}) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    this.namespace = props.namespace ?? 'external-secrets';
    const ns = platform.namespace(this.namespace);
    // Leader-elected: a warm standby when highly available (the HA table).
    const replicas = replicasFor(platform.environment.sizing, 'standby');
    const ha = replicas > 1;
    const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    this.install = new ChartInstall(this, 'Resource', {
      chart: CHARTS.externalSecrets,
      releaseName: props.releaseName ?? 'external-secrets',
      namespace: this.namespace,
      dependsOn: [ns],
      values: {
        installCRDs: true,
        // Destroy: the CRDs (and the ExternalSecrets and stores) stay when the chart goes.
        crds: { annotations: { [HELM_RESOURCE_POLICY]: 'keep' } },
        replicaCount: replicas,
        leaderElect: ha,
        serviceAccount: {
          create: true,
          name: this.serviceAccountName,
          annotations: { ...(props.serviceAccountAnnotations ?? {}) },
        },
        resources,
        webhook: { replicaCount: replicas, resources },
        certController: { replicaCount: 1, resources },
      },
      valueOverrides: props.values,
    });
    platform.addController(this.install, {
      serviceAccounts: [this.serviceAccountName, 'external-secrets-webhook', 'external-secrets-cert-controller'],
      serviceAccountAnnotations: { [this.serviceAccountName]: { ...(props.serviceAccountAnnotations ?? {}) } },
      secrets: ['external-secrets-webhook'],
      crdKinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret', 'PushSecret'].map((k) => `external-secrets.io/${k}`),
    });
    const controller = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'external-secrets' } };
    platform.requireFlow({ from: controller, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'the External Secrets Operator resolves names' });
    platform.requireFlow({ from: controller, to: { external: 'Kubernetes API server' }, port: 443, why: 'the External Secrets Operator writes Secrets' });
  }
}
