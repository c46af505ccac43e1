/** The kinds of items the benchmark grows one environment by (scripts/bench/scale-app.ts). */
export const SCALE_KINDS = ['applications-one-file', 'applications-one-chart-each', 'application-sets', 'delivery-services', 'flux-tenants'] as const;

/** One of {@link SCALE_KINDS}. */
export type ScaleKind = (typeof SCALE_KINDS)[number];
