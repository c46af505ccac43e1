import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';

/** Options for {@link ArgoRolloutsInstall}. */
export interface ArgoRolloutsInstallProps extends ControllerInstallProps {
  /** Namespace of the controller. @default 'argo-rollouts' */
  readonly namespace?: string;
  /** Helm release name. @default 'argo-rollouts' */
  readonly releaseName?: string;
  /** Controller replicas (leader election picks one). @default - 2 when highly available, else 1 */
  readonly replicas?: number;
  /** Install the dashboard. @default false */
  readonly dashboard?: boolean;
}

/**
 * Installs Argo Rollouts with the `argo-rollouts` chart: the controller (with
 * its CRDs, kept on uninstall), its metrics Service, non-root pods with
 * requests and limits, a PodDisruptionBudget when highly available, and the
 * dashboard on request.
 */
export class ArgoRolloutsInstall extends ControllerInstall {
  constructor(scope: Construct, id: string, props: ArgoRolloutsInstallProps = {}) {
    // Leader-elected: a warm standby when highly available (the HA table).
    super(scope, id, props, { chart: CHARTS.argoRollouts, defaultNamespace: 'argo-rollouts', releaseName: props.releaseName ?? 'argo-rollouts', role: 'standby', replicas: props.replicas });
    const platform = this.platform;
    const resources = {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    };
    this.installChart({
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
      facts: {
        serviceAccounts: ['argo-rollouts'],
        crdKinds: ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'].map((k) => `argoproj.io/${k}`),
        services: [
          { name: 'argo-rollouts-metrics', labels: { 'app.kubernetes.io/component': 'rollouts-controller' }, podLabels: { 'app.kubernetes.io/name': 'argo-rollouts' }, ports: [{ name: 'metrics', port: 8090 }], metrics: ['rollout_', 'analysis_run_', 'experiment_'] },
        ],
      },
    });
    const controller = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'argo-rollouts' } };
    platform.requireFlow({ from: controller, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'the rollouts controller resolves names' });
    platform.requireFlow({ from: controller, to: { external: 'Kubernetes API server' }, port: 443, why: 'the rollouts controller manages ReplicaSets and traffic routing' });
  }
}
