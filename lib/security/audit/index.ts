export * from './compliance-report';
export * from './falco-rules';
