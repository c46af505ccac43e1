export * from './facts';
export { buildInventory, DeployModelInput, ChartRelease, TerraformObject, Inventory, DeployedObject, SyncPath, OwnerKind, normalizeRepoUrl, parseObjects, resolveDirectory } from './inventory';
export * from './model';
export { evaluatePodSecurity, checksFor, podTemplateOf, POD_SECURITY_CHECKS, PodSecurityCheck, PodSecurityResult, PodTemplate } from './pod-security';
export { metricNames } from './rules/metrics';
export { derivedFlows, selectorMatches } from './rules/network';
