export * from './credentials';
export * from './external-secret';
export * from './external-secrets-install';
export * from './sealed-secrets';
export * from './secret-store';
export * from './sops';
export * from './store-secret';
