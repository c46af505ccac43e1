// The public API of the platform context: named exports only; everything else in this folder is internal.
// The API report (api/gitops-platform-cdktf.api.md) shows every change to this surface in review.
export { GitOpsOutput } from './bootstrap';
export type { GitOpsOutputProps, ManifestSummary } from './bootstrap';
export { CHARTS } from './catalogue';
export type { ChartName, ChartRef } from './catalogue';
export { ChartInstall } from './chart-install';
export type { ChartInstallProps, SensitiveValue } from './chart-install';
export type { AcknowledgedViolation, ChartFacts, ChartPods, ChartService, ChartServicePort, DeployModelSettings, DeployViolation, FlowEndpoint, PrerequisiteSecret, RequiredFlow } from './deploy-model/facts';
export { DEPLOY_RULES } from './deploy-model/model';
export type { DeployModelResult, DeployRule } from './deploy-model/model';
export { ENFORCEMENT_MODES, MODULE_NAMES } from './environment';
export type { AzureBackendConfig, BackendConfig, ClusterConnection, EnforcementMode, EnvironmentTier, GcsBackendConfig, GitOpsRepository, HcpBackendConfig, LocalBackendConfig, ModuleName, PlatformEnvironment, S3BackendConfig, Sizing, SyncPolicyDefaults, SyncRetry } from './environment';
export { ConfigError, PolicyViolationError } from './errors';
export { GitOpsTree, TREE_SECTIONS } from './gitops-tree';
export type { GitOpsTreeProps, ManifestObject, RenderedManifest, TreeSection } from './gitops-tree';
export { Platform } from './platform';
export type { ManifestCheck, PlatformProps } from './platform';
export { SecretRegistry } from './secrets';
export type { RequiredSecret, SecretStoreHandle } from './secrets';
export type { JsonSchema, Shape, ShapeType } from './shape';
export { STATUS_OUTPUTS, StatusRegistry } from './status';
export type { StatusOutput } from './status';
export { checkEnvironmentRules, checkStatusOutputs, readStatusOutputs } from './status-check';
export type { CheckedEnvironment } from './status-check';
export { checkStatusContract, statusOutputSchemas, STATUS_OUTPUT_SHAPES } from './status-contract';
export type { ControllerReleaseStatus, StatusOutputs } from './status-contract';
export { toYaml, toYamlDocuments } from './yaml';
