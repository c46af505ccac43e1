import { Construct } from 'constructs';
import { CHARTS } from '../../platform/catalogue';
import { HELM_RESOURCE_POLICY } from '../../platform/chart-install';
import { ControllerInstall, ControllerInstallProps } from '../../platform/controller-install';

/** The service account of the operator, referenced by the seed's stores (`external-secrets-sa`). */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets-sa';

/** Options for {@link ExternalSecretsInstall}. */
export interface ExternalSecretsInstallProps extends ControllerInstallProps {
  /** Namespace of the operator. @default 'external-secrets' */
  readonly namespace?: string;
  /** Helm release name. @default 'external-secrets' */
  readonly releaseName?: string;
  /**
   * Annotations of the operator's service account (IRSA: `eks.amazonaws.com/role-arn`).
   * @default {}
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

/**
 * Installs the External Secrets Operator with the pinned `external-secrets`
 * chart (CRDs v2.9.0): the controller, its webhook and cert controller, each
 * with two replicas when the environment is highly available. The operator's
 * service account is `external-secrets-sa`, the identity the secret stores
 * authenticate with (Vault Kubernetes auth, AWS JWT).
 */
export class ExternalSecretsInstall extends ControllerInstall {
  /** The operator's service account. */
  public readonly serviceAccountName = EXTERNAL_SECRETS_SERVICE_ACCOUNT;

  constructor(scope: Construct, id: string, props: ExternalSecretsInstallProps = {}) {
    // Leader-elected: a warm standby when highly available (the HA table).
    super(scope, id, props, { chart: CHARTS.externalSecrets, defaultNamespace: 'external-secrets', releaseName: props.releaseName ?? 'external-secrets', role: 'standby' });
    const platform = this.platform;
    const replicas = this.replicas;
    const ha = replicas > 1;
    const resources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    this.installChart({
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
      facts: {
        serviceAccounts: [this.serviceAccountName, 'external-secrets-webhook', 'external-secrets-cert-controller'],
        serviceAccountAnnotations: { [this.serviceAccountName]: { ...(props.serviceAccountAnnotations ?? {}) } },
        secrets: ['external-secrets-webhook'],
        crdKinds: ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret', 'PushSecret'].map((k) => `external-secrets.io/${k}`),
      },
    });
    const controller = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'external-secrets' } };
    platform.requireFlow({ from: controller, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'the External Secrets Operator resolves names' });
    platform.requireFlow({ from: controller, to: { external: 'Kubernetes API server' }, port: 443, why: 'the External Secrets Operator writes Secrets' });
  }
}
