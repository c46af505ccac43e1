export * from './external-secrets-install';
export * from './sealed-secrets';
export * from './secret-store';
export * from './sops';
