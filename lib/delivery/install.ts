import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ChartInstall } from '../platform/chart-install';
import { replicasFor } from '../platform/high-availability';
import { ConfigError } from '../platform/errors';
import { Platform } from '../platform/platform';

/** Options for {@link ArgoRolloutsInstall}. */
export interface ArgoRolloutsInstallProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Namespace of the controller. @default 'argo-rollouts' */
  readonly namespace?: string;
  /** Helm release name. @default 'argo-rollouts' */
  readonly releaseName?: string;
  /** Controller replicas (leader election picks one). @default - 2 when highly available, else 1 */
  readonly replicas?: number;
  /** Install the dashboard. @default false */
  readonly dashboard?: boolean;
  /**
   * Chart values merged over the ones this install computes, last: the
   * escape hatch for a chart setting without a prop. Every path must exist in
   * the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Installs Argo Rollouts with the `argo-rollouts` chart: the controller (with
 * its CRDs, kept on uninstall), its metrics Service, non-root pods with
 * requests and limits, a PodDisruptionBudget when highly available, and the
 * dashboard on request.
 */
export class ArgoRolloutsInstall extends Construct {
  /** The Helm release. */
  public readonly install: ChartInstall;
  /** The namespace the controller runs in. */
  public readonly namespace: string;
  /** Controller replicas. */
  public readonly replicas: number;

  constructor(scope: Construct, id: string, props: ArgoRolloutsInstallProps = {}) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    this.namespace = props.namespace ?? 'argo-rollouts';
    // Leader-elected: a warm standby when highly available (the HA table).
    this.replicas = props.replicas ?? replicasFor(platform.environment.sizing, 'standby');
    if (!Number.isInteger(this.replicas) || this.replicas < 1) {
      throw new ConfigError(this.node.path, 'replicas', this.replicas, 'Use a whole number of at least 1.');
    }
    const ns = platform.namespace(this.namespace);
    const resources = {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    };
    this.install = new ChartInstall(this, 'Resource', {
      chart: CHARTS.argoRollouts,
      releaseName: props.releaseName ?? 'argo-rollouts',
      namespace: this.namespace,
      dependsOn: [ns],
      values: {
        installCRDs: true,
        keepCRDs: true,
        controller: {
          replicas: this.replicas,
          resources,
          metrics: { enabled: true },
          pdb: { enabled: this.replicas > 1, minAvailable: 1 },
        },
        dashboard: { enabled: props.dashboard ?? false, resources },
        podSecurityContext: { runAsNonRoot: true },
      },
      valueOverrides: props.values,
    });
    platform.addController(this.install, {
      serviceAccounts: ['argo-rollouts'],
      crdKinds: ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'].map((k) => `argoproj.io/${k}`),
      services: [
        { name: 'argo-rollouts-metrics', labels: { 'app.kubernetes.io/component': 'rollouts-controller' }, podLabels: { 'app.kubernetes.io/name': 'argo-rollouts' }, ports: [{ name: 'metrics', port: 8090 }], metrics: ['rollout_', 'analysis_run_', 'experiment_'] },
      ],
    });
    const controller = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'argo-rollouts' } };
    platform.requireFlow({ from: controller, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'the rollouts controller resolves names' });
    platform.requireFlow({ from: controller, to: { external: 'Kubernetes API server' }, port: 443, why: 'the rollouts controller manages ReplicaSets and traffic routing' });
  }
}
