export * from './network-policies';
export * from './pod-security';
export * from './tenant-rbac';
