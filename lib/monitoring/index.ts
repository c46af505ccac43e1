// The public API of Monitoring: named exports only; everything else in this folder is internal.
// The API report (api/gitops-platform-cdktf.api.md) shows every change to this surface in review.
export { AlertRouting, RemediationWebhook } from './alert-routing';
export type { AlertRoutingProps, RemediationWebhookOptions } from './alert-routing';
export { CostAllocation, DEFAULT_TEAM_LABEL } from './cost/opencost';
export type { CostAllocationOptions, CostAllocationProps } from './cost/opencost';
export { GrafanaDashboard, Panel } from './dashboard';
export type { GrafanaDashboardProps, GridPos, PanelOptions, PanelQuery, PanelType, Threshold } from './dashboard';
export type { DashboardDefinition } from './dashboards';
export type { ApplicationAlertOptions } from './gitops-alerts';
export { kubePrometheusEndpoint, MonitoringInstall, monitoringEndpoints } from './install';
export type { MonitoringInstallProps } from './install';
export { DEFAULT_SLOS, Monitoring } from './monitoring';
export type { MonitoringProps } from './monitoring';
export { NotificationSecrets } from './notification-secrets';
export type { NotificationSecretsProps } from './notification-secrets';
export { Notifier } from './notifier';
export type { EmailNotifierOptions, NotifierType, PagerDutyNotifierOptions, SecretKey, SlackNotifierOptions, WebhookNotifierOptions } from './notifier';
export { PrometheusRule, RemediationAction, Rule, Severity } from './rules';
export type { AlertRuleOptions, PrometheusRuleProps, RecordingRuleOptions, RuleGroupOptions } from './rules';
export { ArgoCdScrapeTargets, FluxScrapeTargets, PodMonitor, ServiceMonitor } from './scrape';
export type { ArgoCdScrapeTargetsProps, FluxScrapeTargetsProps, MonitorOptions } from './scrape';
export type { AlertingSettings, ContainerResources, GrafanaSettings, MonitoringResources, MonitoringSettings } from './settings';
export { ServiceLevelObjective, SloIndicator } from './slo';
export type { AvailabilitySliOptions, BurnRateWindow, CustomSliOptions, LatencySliOptions, ServiceLevelObjectiveOptions, ServiceLevelObjectiveProps } from './slo';
export { GrafanaAdmin, Storage } from './storage';
export type { GrafanaAdminSecretOptions, PersistentStorageOptions } from './storage';
export { scanningRuleGroup, TRIVY_METRICS } from './scanning-alerts';
export type { ScanningAlertOptions } from './scanning-alerts';
