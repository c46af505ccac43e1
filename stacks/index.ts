export * from './backend';
export * from './gitops-stack';
export * from './modules';
export * from './providers';
export * from './run-app';
