import { ModuleName } from '../platform/environment';
import { GrafanaDashboardProps, Panel } from './dashboard';
import { FLUX_RESOURCE_INFO } from './flux-metrics';

/** A shipped dashboard, before it is given a namespace. */
export type DashboardDefinition = Omit<GrafanaDashboardProps, 'namespace'>;

/**
 * The seeds' "GitOps Overview": application sync status, sync frequency and
 * Flux reconciliation rate (the seeds' queries, as written), plus health and
 * not-ready counts. Argo CD and Flux panels appear when those modules are on.
 */
export function gitOpsOverview(modules: { argocd: boolean; flux: boolean }): DashboardDefinition | undefined {
  const panels: Panel[] = [];
  if (modules.argocd) {
    panels.push(
      Panel.stat({
        title: 'Application Sync Status',
        queries: [{ expr: 'sum by (sync_status) (argocd_app_info)', legendFormat: '{{ sync_status }}' }],
        width: 12,
      }),
      Panel.stat({
        title: 'Application Health',
        queries: [{ expr: 'sum by (health_status) (argocd_app_info)', legendFormat: '{{ health_status }}' }],
        width: 12,
      }),
      Panel.timeSeries({
        title: 'Sync Frequency',
        unit: 'ops',
        queries: [{ expr: 'rate(argocd_app_sync_total[5m])', legendFormat: '{{ name }}' }],
      }),
    );
  }
  if (modules.flux) {
    panels.push(
      Panel.timeSeries({
        title: 'Flux Reconciliation Rate',
        unit: 'ops',
        queries: [{ expr: 'rate(gotk_reconcile_duration_seconds_count[5m])', legendFormat: '{{ kind }}/{{ name }}' }],
      }),
      Panel.stat({
        title: 'Flux Objects Not Ready',
        queries: [{ expr: `count(${FLUX_RESOURCE_INFO}{ready="False"}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'red' }],
        width: 12,
      }),
    );
  }
  if (panels.length === 0) return undefined;
  return {
    uid: 'gitops-overview',
    title: 'GitOps Overview',
    description: 'Sync and reconciliation state of everything the GitOps controllers manage.',
    tags: ['gitops', 'overview'],
    panels,
  };
}

function argoCdDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-argocd',
    title: 'Argo CD',
    tags: ['gitops', 'argocd'],
    panels: [
      Panel.stat({ title: 'Applications', queries: [{ expr: 'count(argocd_app_info)' }] }),
      Panel.stat({
        title: 'Out of Sync',
        queries: [{ expr: 'count(argocd_app_info{sync_status="OutOfSync"}) or vector(0)' }],
        thresholds: [{ value: 1, color: 'orange' }],
      }),
      Panel.stat({
        title: 'Degraded',
        queries: [{ expr: 'count(argocd_app_info{health_status="Degraded"}) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Failed Syncs (1h)',
        queries: [{ expr: 'sum(increase(argocd_app_sync_total{phase=~"Error|Failed"}[1h])) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.timeSeries({
        title: 'Syncs by Phase',
        unit: 'ops',
        queries: [{ expr: 'sum by (phase) (rate(argocd_app_sync_total[5m]))', legendFormat: '{{ phase }}' }],
      }),
      Panel.timeSeries({
        title: 'Reconciliation p95',
        unit: 's',
        queries: [{ expr: 'histogram_quantile(0.95, sum by (le) (rate(argocd_app_reconcile_bucket[5m])))', legendFormat: 'p95' }],
      }),
      Panel.timeSeries({
        title: 'Git Requests',
        unit: 'reqps',
        queries: [{ expr: 'sum by (request_type) (rate(argocd_git_request_total[5m]))', legendFormat: '{{ request_type }}' }],
      }),
      Panel.table({
        title: 'Applications Not Synced or Not Healthy',
        queries: [{ expr: 'argocd_app_info{sync_status!="Synced"} or argocd_app_info{health_status!="Healthy"}' }],
      }),
    ],
  };
}

function fluxDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-flux',
    title: 'Flux',
    tags: ['gitops', 'flux'],
    panels: [
      Panel.stat({ title: 'Flux Objects', queries: [{ expr: `count(${FLUX_RESOURCE_INFO})` }] }),
      Panel.stat({
        title: 'Not Ready',
        queries: [{ expr: `count(${FLUX_RESOURCE_INFO}{ready="False"}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Suspended',
        queries: [{ expr: `count(${FLUX_RESOURCE_INFO}{suspended="true"}) or vector(0)` }],
        thresholds: [{ value: 1, color: 'orange' }],
      }),
      Panel.stat({
        title: 'Controllers Up',
        queries: [{ expr: 'sum(up{namespace="flux-system"})' }],
      }),
      Panel.timeSeries({
        title: 'Reconciliation Duration p95',
        unit: 's',
        queries: [
          {
            expr: 'histogram_quantile(0.95, sum by (kind, le) (rate(gotk_reconcile_duration_seconds_bucket[5m])))',
            legendFormat: '{{ kind }}',
          },
        ],
      }),
      Panel.timeSeries({
        title: 'Controller Work Queue Depth',
        queries: [{ expr: 'sum by (name) (workqueue_depth{namespace="flux-system"})', legendFormat: '{{ name }}' }],
      }),
      Panel.table({
        title: 'Objects Not Ready',
        width: 24,
        queries: [{ expr: `${FLUX_RESOURCE_INFO}{ready!="True"}` }],
      }),
    ],
  };
}

function jenkinsXDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-jenkins-x',
    title: 'Jenkins X',
    tags: ['gitops', 'jenkins-x'],
    panels: [
      Panel.stat({ title: 'Pods Running', queries: [{ expr: 'sum(kube_pod_status_phase{namespace="jx", phase="Running"})' }] }),
      Panel.stat({
        title: 'Pods Failed',
        queries: [{ expr: 'sum(kube_pod_status_phase{namespace="jx", phase="Failed"})' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Container Restarts (1h)',
        queries: [{ expr: 'sum(increase(kube_pod_container_status_restarts_total{namespace="jx"}[1h]))' }],
        thresholds: [{ value: 1, color: 'orange' }],
      }),
      Panel.stat({
        title: 'Pipeline Pods (1h)',
        queries: [{ expr: 'count(count_over_time(kube_pod_info{namespace=~"jx|jx-.*", created_by_kind="TaskRun"}[1h])) or vector(0)' }],
      }),
      Panel.timeSeries({
        title: 'CPU by Pod',
        unit: 'cores',
        queries: [{ expr: 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="jx", container!=""}[5m]))', legendFormat: '{{ pod }}' }],
      }),
      Panel.timeSeries({
        title: 'Memory by Pod',
        unit: 'bytes',
        queries: [{ expr: 'sum by (pod) (container_memory_working_set_bytes{namespace="jx", container!=""})', legendFormat: '{{ pod }}' }],
      }),
    ],
  };
}

function monitoringDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-monitoring',
    title: 'Monitoring and SLOs',
    tags: ['gitops', 'monitoring', 'slo'],
    panels: [
      Panel.stat({
        title: 'Firing Alerts',
        queries: [{ expr: 'count by (severity) (ALERTS{alertstate="firing"})', legendFormat: '{{ severity }}' }],
      }),
      Panel.stat({
        title: 'Targets Down',
        queries: [{ expr: 'count(up == 0) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({ title: 'Active Series', queries: [{ expr: 'sum(prometheus_tsdb_head_series)' }] }),
      Panel.stat({
        title: 'Failed Notifications (1h)',
        queries: [{ expr: 'sum(increase(alertmanager_notifications_failed_total[1h])) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.gauge({
        title: 'Error Budget Remaining',
        unit: 'percentunit',
        min: 0,
        max: 1,
        width: 12,
        queries: [{ expr: 'min by (slo) (slo:error_budget:remaining_ratio)', legendFormat: '{{ slo }}' }],
        thresholds: [
          { value: 0.25, color: 'orange' },
          { value: 0.5, color: 'green' },
        ],
      }),
      Panel.timeSeries({
        title: 'Error Budget Burn Rate (1h)',
        width: 12,
        queries: [
          {
            expr: 'max by (slo) (slo:sli_error:ratio_rate1h / on (slo) group_left () (1 - slo:objective:ratio))',
            legendFormat: '{{ slo }}',
          },
        ],
        thresholds: [{ value: 14.4, color: 'red' }],
      }),
      Panel.timeSeries({
        title: 'Rule Evaluation Failures',
        unit: 'ops',
        queries: [{ expr: 'sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[5m]))', legendFormat: '{{ rule_group }}' }],
      }),
      Panel.timeSeries({
        title: 'Remediation Notifications',
        unit: 'ops',
        queries: [
          {
            expr: 'sum by (receiver_name) (rate(alertmanager_notifications_total{receiver_name="remediation"}[5m]))',
            legendFormat: '{{ receiver_name }}',
          },
        ],
      }),
    ],
  };
}

function securityDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-security',
    title: 'Security and Policies',
    tags: ['gitops', 'security'],
    panels: [
      Panel.stat({
        title: 'Policy Violations',
        queries: [{ expr: 'sum by (enforcement_action) (gatekeeper_violations)', legendFormat: '{{ enforcement_action }}' }],
        thresholds: [{ value: 1, color: 'orange' }],
      }),
      Panel.stat({ title: 'Constraints', queries: [{ expr: 'sum(gatekeeper_constraints)' }] }),
      Panel.stat({
        title: 'ExternalSecrets Not Ready',
        queries: [{ expr: 'sum(externalsecret_status_condition{condition="Ready", status="False"}) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Unseal Errors (1h)',
        queries: [{ expr: 'sum(increase(sealed_secrets_controller_unseal_errors_total[1h])) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.timeSeries({
        title: 'Admission Requests',
        unit: 'reqps',
        queries: [
          {
            expr: 'sum by (admission_status) (rate(gatekeeper_validation_request_count[5m]))',
            legendFormat: '{{ admission_status }}',
          },
        ],
      }),
      Panel.timeSeries({
        title: 'Secret Sync Errors',
        unit: 'ops',
        queries: [{ expr: 'sum by (namespace) (rate(externalsecret_sync_calls_error[5m]))', legendFormat: '{{ namespace }}' }],
      }),
    ],
  };
}

function deliveryDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-delivery',
    title: 'Progressive Delivery',
    tags: ['gitops', 'delivery', 'argo-rollouts'],
    panels: [
      Panel.stat({
        title: 'Rollouts by Phase',
        width: 12,
        queries: [{ expr: 'sum by (phase) (rollout_info)', legendFormat: '{{ phase }}' }],
      }),
      Panel.stat({
        title: 'Degraded Rollouts',
        queries: [{ expr: 'count(rollout_info{phase="Degraded"}) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Failed Analysis Runs',
        queries: [{ expr: 'count(analysis_run_info{phase=~"Failed|Error"}) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.timeSeries({
        title: 'Available Replicas',
        queries: [{ expr: 'sum by (namespace, name) (rollout_info_replicas_available)', legendFormat: '{{ namespace }}/{{ name }}' }],
      }),
      Panel.timeSeries({
        title: 'Canary Success Rate',
        unit: 'percentunit',
        min: 0,
        max: 1,
        queries: [
          {
            expr: 'sum by (service) (rate(http_requests_total{status!~"5.."}[2m])) / sum by (service) (rate(http_requests_total[2m]))',
            legendFormat: '{{ service }}',
          },
        ],
      }),
    ],
  };
}

/** Backups and restores (Velero): the last backup per schedule, failures, the storage location. */
function recoveryDashboard(): DashboardDefinition {
  return {
    uid: 'gitops-recovery',
    title: 'Backups and Recovery',
    tags: ['gitops', 'recovery'],
    panels: [
      Panel.stat({
        title: 'Hours Since Last Successful Backup',
        queries: [{ expr: 'min by (schedule) ((time() - velero_backup_last_successful_timestamp{schedule!=""}) / 3600)', legendFormat: '{{ schedule }}' }],
        thresholds: [{ value: 25, color: 'red' }],
      }),
      Panel.stat({
        title: 'Failed Backups (24h)',
        queries: [{ expr: 'sum(increase(velero_backup_failure_total[24h])) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.stat({
        title: 'Storage Location Unavailable',
        queries: [{ expr: 'count(velero_backup_location_status_gauge == 0) or vector(0)' }],
        thresholds: [{ value: 1, color: 'red' }],
      }),
      Panel.timeSeries({
        title: 'Backup Duration',
        unit: 's',
        queries: [{ expr: 'histogram_quantile(0.95, sum by (schedule, le) (rate(velero_backup_duration_seconds_bucket[1h])))', legendFormat: '{{ schedule }}' }],
      }),
      Panel.timeSeries({
        title: 'Restores',
        queries: [
          { expr: 'sum(increase(velero_restore_success_total[1h]))', legendFormat: 'succeeded' },
          { expr: 'sum(increase(velero_restore_failed_total[1h]))', legendFormat: 'failed' },
        ],
      }),
    ],
  };
}

/** The dashboard of each module, shipped when the module is on. */
export const MODULE_DASHBOARDS: Readonly<Record<ModuleName, () => DashboardDefinition>> = {
  argocd: argoCdDashboard,
  flux: fluxDashboard,
  'jenkins-x': jenkinsXDashboard,
  monitoring: monitoringDashboard,
  security: securityDashboard,
  delivery: deliveryDashboard,
  recovery: recoveryDashboard,
};
