// The public API: `import { GitOpsStack, ArgoCd, ... } from 'gitops-platform-cdktf'`.
export * from './platform';
export * from './argocd';
export * from './flux';
export * from './security';
export * from './jenkins-x';
export * from './monitoring';
export * from './delivery';
export * from './recovery';
export * from '../stacks';
