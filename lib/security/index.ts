export * from './audit';
export * from './gatekeeper';
export * from './isolation';
export * from './policies';
export * from './secrets';
export * from './security';
export * from './settings';
