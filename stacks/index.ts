// The public API of the stacks: named exports only; everything else in this folder is internal.
// The API report (api/gitops-platform-cdktf.api.md) shows every change to this surface in review.
export { configureBackend } from './backend';
export type { EnvironmentConfig } from './environment';
export { GitOpsStack } from './gitops-stack';
export type { GitOpsStackProps } from './gitops-stack';
export { deliveryReferencesOf, MODULE_ORDER } from './modules';
export type { PlatformModuleConstructs, PlatformModules } from './modules';
export { configureProviders } from './providers';
export { runApp } from './run-app';
export { validateEnvironment, validateEnvironments } from './validate-environment';
export type { AppEntryIo } from './run-app';
