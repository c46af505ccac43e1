export * from './application';
export * from './argocd';
export * from './install';
export * from './settings';
export * from './sync-policy';
