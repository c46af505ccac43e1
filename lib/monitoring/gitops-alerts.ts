import { ConfigError } from '../platform/errors';
import { FLUX_RESOURCE_INFO } from './flux-metrics';
import { RemediationAction, Rule, RuleGroupOptions, Severity } from './rules';

/**
 * The seeds' GitOps alert rules, written against the metrics the pinned
 * controllers actually export:
 * - Argo CD reports application state in `argocd_app_info{sync_status, health_status}`
 *   (the older `argocd_app_sync_status`/`argocd_app_health_status` series are
 *   legacy, off unless `ARGOCD_LEGACY_CONTROLLER_METRICS` is set), and
 *   `argocd_app_sync_total` is a counter, so failures are alerted on its increase;
 * - Flux object state comes from kube-state-metrics (see `flux-metrics.ts`).
 */

/** `argocd.rules`: ArgoCDAppSyncFailed, ArgoCDAppHealthDegraded, ApplicationOutOfSync. */
export function argoCdRuleGroup(): RuleGroupOptions {
  return {
    name: 'argocd.rules',
    rules: [
      Rule.alert({
        name: 'ArgoCDAppSyncFailed',
        expr: 'sum by (namespace, name, project) (increase(argocd_app_sync_total{phase=~"Error|Failed"}[10m])) > 0',
        for: '5m',
        severity: Severity.CRITICAL,
        summary: 'ArgoCD application sync failed',
        description: 'Application {{ $labels.name }} sync failed in project {{ $labels.project }}',
      }),
      Rule.alert({
        name: 'ArgoCDAppHealthDegraded',
        expr: 'argocd_app_info{health_status=~"Degraded|Missing|Unknown"} > 0',
        for: '10m',
        severity: Severity.WARNING,
        summary: 'ArgoCD application health degraded',
        description: 'Application {{ $labels.name }} health status is {{ $labels.health_status }}',
      }),
      Rule.alert({
        name: 'ApplicationOutOfSync',
        expr: 'argocd_app_info{sync_status="OutOfSync"} > 0',
        for: '5m',
        severity: Severity.WARNING,
        summary: 'Application {{ $labels.name }} is out of sync',
        description: 'Application {{ $labels.name }} in project {{ $labels.project }} differs from Git for more than 5 minutes.',
      }),
    ],
  };
}

/** `flux.rules`: FluxReconciliationFailure, FluxSuspendedResource. */
export function fluxRuleGroup(): RuleGroupOptions {
  return {
    name: 'flux.rules',
    rules: [
      Rule.alert({
        name: 'FluxReconciliationFailure',
        expr: `${FLUX_RESOURCE_INFO}{ready="False"} > 0`,
        for: '5m',
        severity: Severity.CRITICAL,
        summary: 'Flux reconciliation failure',
        description:
          '{{ $labels.customresource_kind }}/{{ $labels.name }} reconciliation failed in namespace {{ $labels.exported_namespace }}',
      }),
      Rule.alert({
        name: 'FluxSuspendedResource',
        expr: `${FLUX_RESOURCE_INFO}{suspended="true"} > 0`,
        for: '1h',
        severity: Severity.WARNING,
        summary: 'Flux resource suspended',
        description: '{{ $labels.customresource_kind }}/{{ $labels.name }} has been suspended for over 1 hour',
      }),
    ],
  };
}

/** Thresholds of the application alerts. */
export interface ApplicationAlertOptions {
  /** Share of 5xx responses (per namespace and service, over 5 minutes) that triggers HighErrorRate. @default 0.1 */
  readonly errorRatio?: number;
  /** Share of the memory limit (per container) that triggers HighMemoryUsage. @default 0.9 */
  readonly memoryRatio?: number;
  /** Runbook of HighErrorRate (its `runbook_url` annotation). @default - none */
  readonly errorRateRunbookUrl?: string;
}

/**
 * `application-alerts`: the seeds' HighErrorRate (auto-rollback) and
 * HighMemoryUsage (auto-scale). The error rate is the share of 5xx responses
 * rather than the seeds' absolute `rate(...) > 0.1`, so the threshold means
 * the same for a busy and a quiet service; memory use is the working set
 * against the limit, and containers without a limit are left out (the
 * seeds' division would be +Inf for them).
 */
export function applicationRuleGroup(options: ApplicationAlertOptions = {}, where = 'ApplicationAlerts'): RuleGroupOptions {
  const errorRatio = options.errorRatio ?? 0.1;
  const memoryRatio = options.memoryRatio ?? 0.9;
  for (const [field, value] of [['errorRatio', errorRatio], ['memoryRatio', memoryRatio]] as const) {
    if (typeof value !== 'number' || !(value > 0 && value < 1)) {
      throw new ConfigError(where, `applicationAlerts.${field}`, value, 'Use a ratio strictly between 0 and 1, such as 0.1.');
    }
  }
  const containers = 'container!="", container!="POD"';
  return {
    name: 'application-alerts',
    rules: [
      Rule.alert({
        name: 'HighErrorRate',
        expr:
          `sum by (namespace, service) (rate(http_requests_total{status=~"5.."}[5m])) / ` +
          `sum by (namespace, service) (rate(http_requests_total[5m])) > ${errorRatio}`,
        for: '5m',
        severity: Severity.CRITICAL,
        automation: RemediationAction.AUTO_ROLLBACK,
        summary: 'High error rate detected',
        description: 'Error rate is {{ $value | humanizePercentage }} for {{ $labels.service }} in {{ $labels.namespace }}',
        runbookUrl: options.errorRateRunbookUrl,
      }),
      Rule.alert({
        name: 'HighMemoryUsage',
        expr:
          `max by (namespace, pod, container) (container_memory_working_set_bytes{${containers}}) / ` +
          `max by (namespace, pod, container) (container_spec_memory_limit_bytes{${containers}} > 0) > ${memoryRatio}`,
        for: '10m',
        severity: Severity.WARNING,
        automation: RemediationAction.AUTO_SCALE,
        summary: 'High memory usage detected',
        description:
          'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit',
      }),
    ],
  };
}
