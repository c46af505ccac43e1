import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { EnvironmentTier } from '../platform/environment';
import { PrometheusEndpoint, prometheusEndpoint } from '../platform/references';
import { ServiceEndpoint } from '../platform/service-endpoint';
import { AlertRouting } from './alert-routing';
import { DASHBOARD_LABEL, FOLDER_ANNOTATION } from './dashboard';
import { fluxKubeStateMetricsValues } from './flux-metrics';
import { checkDuration } from './promql';
import { ContainerResources, MonitoringResources } from './settings';
import { GRAFANA_ADMIN_SECRET, GrafanaAdmin, Storage } from './storage';

/**
 * The Prometheus that kube-prometheus-stack installs as `releaseName` in
 * `namespace` (the chart names its Service `<release>-prometheus`, port 9090),
 * known before the install is created, so a module created earlier can take it.
 */
export function kubePrometheusEndpoint(options: { readonly namespace?: string; readonly releaseName?: string } = {}): PrometheusEndpoint {
  return prometheusEndpoint(monitoringEndpoints({
    namespace: options.namespace ?? DEFAULT_MONITORING_LOCATION.namespace,
    releaseName: options.releaseName ?? DEFAULT_MONITORING_LOCATION.releaseName,
  }).prometheus);
}

/** The monitoring namespace and the kube-prometheus-stack release name when nothing overrides them. */
export const DEFAULT_MONITORING_LOCATION = { namespace: 'monitoring', releaseName: 'kube-prometheus-stack' } as const;

/**
 * The Prometheus and Alertmanager Services kube-prometheus-stack creates for
 * a release in a namespace (the chart names them `<release>-prometheus` and
 * `<release>-alertmanager`).
 */
export function monitoringEndpoints(
  location: { readonly namespace: string; readonly releaseName: string } = DEFAULT_MONITORING_LOCATION,
): { readonly prometheus: ServiceEndpoint; readonly alertmanager: ServiceEndpoint } {
  return {
    prometheus: { namespace: location.namespace, name: `${location.releaseName}-prometheus`, port: 9090, targetPort: 9090, podLabels: { 'app.kubernetes.io/name': 'prometheus' } },
    alertmanager: { namespace: location.namespace, name: `${location.releaseName}-alertmanager`, port: 9093, targetPort: 9093, podLabels: { 'app.kubernetes.io/name': 'alertmanager' } },
  };
}

/** Options for {@link MonitoringInstall}. */
export interface MonitoringInstallProps extends ControllerInstallProps {
  /** Alertmanager's routing tree and receivers. */
  readonly routing: AlertRouting;
  /** Namespace of the stack. @default 'monitoring' */
  readonly namespace?: string;
  /** Helm release name. @default 'kube-prometheus-stack' */
  readonly releaseName?: string;
  /** How long Prometheus keeps samples. @default '10d' */
  readonly retention?: string;
  /** Prometheus storage. @default Storage.ephemeral() */
  readonly storage?: Storage;
  /** Prometheus replicas. @default 2 with high availability, else 1 */
  readonly prometheusReplicas?: number;
  /** Alertmanager replicas. @default 3 with high availability, else 1 */
  readonly alertmanagerReplicas?: number;
  /** Grafana's admin password source. @default GrafanaAdmin.fromSensitiveVariable() */
  readonly grafanaAdmin?: GrafanaAdmin;
  /** Grafana's storage. @default Storage.persistent({ size: '10Gi' }) */
  readonly grafanaStorage?: Storage;
  /** Export Flux object state (`gotk_resource_info`) through kube-state-metrics. @default false */
  readonly fluxMetrics?: boolean;
  /**
   * Namespace label keys kube-state-metrics exports in `kube_namespace_labels`
   * (cost allocation by team reads them).
   * @default []
   */
  readonly namespaceLabelMetrics?: readonly string[];
  /** Container resources. @default - by environment tier */
  readonly resources?: MonitoringResources;
}

/** Container resources per tier: small in development, production-sized in production. */
export function defaultResources(tier: EnvironmentTier): Required<MonitoringResources> {
  const r = (cpuReq: string, memReq: string, cpuLim: string, memLim: string): ContainerResources => ({
    requests: { cpu: cpuReq, memory: memReq },
    limits: { cpu: cpuLim, memory: memLim },
  });
  if (tier === 'production') {
    return {
      prometheus: r('1', '4Gi', '4', '8Gi'),
      alertmanager: r('100m', '256Mi', '500m', '512Mi'),
      grafana: r('250m', '512Mi', '1', '1Gi'),
      operator: r('100m', '256Mi', '500m', '512Mi'),
      kubeStateMetrics: r('100m', '256Mi', '500m', '512Mi'),
      nodeExporter: r('50m', '64Mi', '250m', '128Mi'),
      sidecar: r('50m', '128Mi', '200m', '256Mi'),
    };
  }
  if (tier === 'staging') {
    return {
      prometheus: r('500m', '2Gi', '2', '4Gi'),
      alertmanager: r('50m', '128Mi', '250m', '256Mi'),
      grafana: r('100m', '256Mi', '500m', '512Mi'),
      operator: r('100m', '128Mi', '250m', '256Mi'),
      kubeStateMetrics: r('50m', '128Mi', '250m', '256Mi'),
      nodeExporter: r('25m', '32Mi', '100m', '64Mi'),
      sidecar: r('25m', '64Mi', '100m', '128Mi'),
    };
  }
  return {
    prometheus: r('250m', '1Gi', '1', '2Gi'),
    alertmanager: r('25m', '64Mi', '100m', '128Mi'),
    grafana: r('50m', '128Mi', '250m', '256Mi'),
    operator: r('50m', '64Mi', '200m', '128Mi'),
    kubeStateMetrics: r('25m', '64Mi', '100m', '128Mi'),
    nodeExporter: r('10m', '16Mi', '100m', '64Mi'),
    sidecar: r('10m', '32Mi', '100m', '64Mi'),
  };
}

/**
 * Installs kube-prometheus-stack (Prometheus Operator, Prometheus,
 * Alertmanager, Grafana, kube-state-metrics, node-exporter) with typed values:
 * retention and storage, replicas from the environment's sizing, Grafana
 * persistence and dashboard sidecar, the admin password from a sensitive
 * variable or a Secret, Alertmanager routing with credentials read from
 * mounted Secrets, and resources on every component.
 *
 * Prometheus selects every PrometheusRule, ServiceMonitor, PodMonitor and
 * Probe in the cluster (`*SelectorNilUsesHelmValues: false`), so objects
 * synced from Git need no Helm release label.
 */
export class MonitoringInstall extends ControllerInstall {
  /** Prometheus retention. */
  public readonly retention: string;
  /** Prometheus storage. */
  public readonly storage: Storage;
  /** Grafana storage. */
  public readonly grafanaStorage: Storage;
  /** Grafana admin password source. */
  public readonly grafanaAdmin: GrafanaAdmin;
  /** The Secret Terraform writes the admin password into, when it comes from a sensitive variable. */
  public readonly grafanaAdminSecret?: SecretV1;
  /** Prometheus replicas. */
  public readonly prometheusReplicas: number;
  /** Alertmanager replicas. */
  public readonly alertmanagerReplicas: number;
  /** Whether Flux object metrics are exported. */
  public readonly fluxMetrics: boolean;
  /** The Prometheus it installs (computed from the namespace and release name). */
  public readonly prometheus: PrometheusEndpoint;
  /** Alertmanager's Service, for the components that send it alerts. */
  public readonly alertmanager: ServiceEndpoint;

  constructor(scope: Construct, id: string, props: MonitoringInstallProps) {
    // Replicas from the HA table (README, "High availability") unless the settings say otherwise:
    // Prometheus redundant (both scrape), Alertmanager a gossip quorum.
    // node-exporter needs the host's network, PID namespace and file system:
    // the security module's Pod Security exceptions grant it (`privileged` by
    // default, or the level an environment chooses), so no level is set here.
    super(scope, id, props, {
      chart: CHARTS.kubePrometheusStack,
      defaultNamespace: DEFAULT_MONITORING_LOCATION.namespace,
      releaseName: props.releaseName ?? DEFAULT_MONITORING_LOCATION.releaseName,
      role: 'redundant',
      replicas: props.prometheusReplicas,
      replicasField: 'prometheusReplicas',
    });
    const platform = this.platform;
    const env = platform.environment;
    const where = this.node.path;
    this.retention = checkDuration(where, 'retention', props.retention ?? '10d');
    this.storage = props.storage ?? Storage.ephemeral();
    this.storage.validate(where, 'storage');
    this.grafanaStorage = props.grafanaStorage ?? Storage.persistent({ size: '10Gi' });
    this.grafanaStorage.validate(where, 'grafana.storage');
    this.grafanaAdmin = props.grafanaAdmin ?? GrafanaAdmin.fromSensitiveVariable();
    this.prometheusReplicas = this.replicas;
    this.alertmanagerReplicas = this.replicasOf('quorum', props.alertmanagerReplicas, 'alertmanagerReplicas');
    this.fluxMetrics = props.fluxMetrics ?? false;
    const endpoints = monitoringEndpoints({ namespace: this.namespace, releaseName: this.releaseName });
    this.prometheus = prometheusEndpoint(endpoints.prometheus);
    this.alertmanager = endpoints.alertmanager;
    const namespaceLabelMetrics = [...new Set(props.namespaceLabelMetrics ?? [])].sort();
    const resources = { ...defaultResources(env.tier), ...(props.resources ?? {}) };

    const ns = this.namespaceResource;

    const grafanaAdmin: Record<string, unknown> = {};
    const dependsOn: ITerraformDependable[] = [];
    if (this.grafanaAdmin.secret) {
      grafanaAdmin.admin = {
        existingSecret: this.grafanaAdmin.secret.secretName,
        userKey: this.grafanaAdmin.secret.userKey,
        passwordKey: this.grafanaAdmin.secret.passwordKey,
      };
    } else {
      // The password never passes through Helm values (set_sensitive keeps them in the
      // state): Terraform writes it write-only into a Secret Grafana reads.
      const password = platform.sensitiveVariable(
        this.grafanaAdmin.variableName!,
        `Grafana admin password of the ${env.name} environment (kube-prometheus-stack).`,
        { ephemeral: true },
      );
      this.grafanaAdminSecret = new SecretV1(this, 'GrafanaAdmin', {
        metadata: {
          name: GRAFANA_ADMIN_SECRET,
          namespace: this.namespace,
          labels: { 'app.kubernetes.io/managed-by': 'terraform', 'app.kubernetes.io/part-of': 'gitops-platform' },
        },
        type: 'Opaque',
        dataWo: { 'admin-user': 'admin', 'admin-password': password.stringValue },
        dataWoRevision: this.grafanaAdmin.revision,
        dependsOn: [ns],
      });
      dependsOn.push(this.grafanaAdminSecret);
      grafanaAdmin.admin = { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' };
    }

    const routing = props.routing;
    const values: Record<string, unknown> = {
      crds: { enabled: true },
      defaultRules: { create: true },
      prometheusOperator: { resources: resources.operator },
      prometheus: {
        prometheusSpec: {
          replicas: this.prometheusReplicas,
          retention: this.retention,
          resources: resources.prometheus,
          externalLabels: { environment: env.name, cluster: platform.clusterName },
          ruleSelectorNilUsesHelmValues: false,
          serviceMonitorSelectorNilUsesHelmValues: false,
          podMonitorSelectorNilUsesHelmValues: false,
          probeSelectorNilUsesHelmValues: false,
          scrapeConfigSelectorNilUsesHelmValues: false,
          ...(this.storage.isPersistent ? { storageSpec: volumeClaim(this.storage) } : {}),
        },
      },
      alertmanager: {
        // The configuration is passed as-is (toYaml), never through Helm's
        // tpl, so the {{ }} of notification templates reach Alertmanager.
        tplConfig: false,
        config: routing.config,
        templateFiles: { ...routing.templateFiles },
        alertmanagerSpec: {
          replicas: this.alertmanagerReplicas,
          secrets: [...routing.secretNames],
          resources: resources.alertmanager,
        },
      },
      grafana: {
        ...grafanaAdmin,
        defaultDashboardsEnabled: true,
        resources: resources.grafana,
        persistence: this.grafanaStorage.isPersistent
          ? {
              enabled: true,
              size: this.grafanaStorage.size,
              ...(this.grafanaStorage.storageClassName ? { storageClassName: this.grafanaStorage.storageClassName } : {}),
            }
          : { enabled: false },
        testFramework: { enabled: false },
        sidecar: {
          resources: resources.sidecar,
          dashboards: {
            enabled: true,
            label: DASHBOARD_LABEL.key,
            labelValue: DASHBOARD_LABEL.value,
            searchNamespace: 'ALL',
            folderAnnotation: FOLDER_ANNOTATION,
            provider: { foldersFromFilesStructure: true, allowUiUpdates: false },
          },
        },
      },
      'kube-state-metrics': {
        resources: resources.kubeStateMetrics,
        ...(this.fluxMetrics ? fluxKubeStateMetricsValues() : {}),
        ...(namespaceLabelMetrics.length > 0 ? { metricLabelsAllowlist: [`namespaces=[${namespaceLabelMetrics.join(',')}]`] } : {}),
      },
      'prometheus-node-exporter': { resources: resources.nodeExporter },
    };
    const release = this.releaseName;
    this.installChart({
      dependsOn,
      values,
      timeoutSeconds: 900,
      facts: {
        serviceAccounts: [`${release}-prometheus`, `${release}-alertmanager`, `${release}-operator`, `${release}-kube-state-metrics`, `${release}-prometheus-node-exporter`, `${release}-grafana`],
        secrets: [`${release}-grafana`, `alertmanager-${release}-alertmanager`],
        consumesSecrets: [...routing.secretNames],
        crdKinds: ['Alertmanager', 'AlertmanagerConfig', 'PodMonitor', 'Probe', 'Prometheus', 'PrometheusAgent', 'PrometheusRule', 'ScrapeConfig', 'ServiceMonitor', 'ThanosRuler'].map((k) => `monitoring.coreos.com/${k}`),
        services: [
          {
            name: `${release}-prometheus`,
            podLabels: { 'app.kubernetes.io/name': 'prometheus', prometheus: `${release}-prometheus` },
            ports: [{ name: 'http-web', port: 9090 }],
            metrics: ['prometheus_'],
            scrapes: true,
            monitoredByChart: true,
          },
          { name: `${release}-alertmanager`, podLabels: { 'app.kubernetes.io/name': 'alertmanager' }, ports: [{ name: 'http-web', port: 9093 }], metrics: ['alertmanager_'], monitoredByChart: true },
          { name: `${release}-kube-state-metrics`, podLabels: { 'app.kubernetes.io/name': 'kube-state-metrics' }, ports: [{ name: 'http', port: 8080 }], metrics: ['kube_', ...(this.fluxMetrics ? ['gotk_resource_info'] : [])], monitoredByChart: true },
          { name: `${release}-prometheus-node-exporter`, podLabels: { 'app.kubernetes.io/name': 'prometheus-node-exporter' }, ports: [{ name: 'http-metrics', port: 9100 }], metrics: ['node_'], monitoredByChart: true },
          { name: `${release}-kubelet`, namespace: 'kube-system', ports: [{ name: 'https-metrics', port: 10250 }], metrics: ['container_', 'kubelet_', 'machine_'], monitoredByChart: true },
          { name: `${release}-grafana`, podLabels: { 'app.kubernetes.io/name': 'grafana' }, ports: [{ name: 'http-web', port: 80, targetPort: 3000 }] },
          { name: `${release}-operator`, podLabels: { app: `${release}-operator` }, ports: [{ name: 'https', port: 443, targetPort: 10250 }] },
        ],
      },
    });
    const prometheus = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
    platform.requireFlow({ from: prometheus, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'Prometheus resolves names' });
    platform.requireFlow({ from: prometheus, to: { external: 'Kubernetes API server' }, port: 443, why: 'Prometheus discovers its scrape targets' });
    platform.requireFlow({ from: prometheus, to: { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'alertmanager' } }, port: 9093, why: 'Prometheus sends alerts to Alertmanager' });
    if (routing.secretNames.length > 0) {
      platform.requireFlow({ from: { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'alertmanager' } }, to: { external: 'alert receivers (chat, paging webhooks)' }, port: 443, why: 'Alertmanager delivers notifications' });
    }
  }
}

function volumeClaim(storage: Storage): Record<string, unknown> {
  return {
    volumeClaimTemplate: {
      spec: {
        ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: storage.size } },
      },
    },
  };
}
