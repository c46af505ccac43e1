// The delivery module's public API. Helpers used between its files (overlay
// rendering, settings resolution, diffs) stay internal so their names cannot
// collide with other modules' exports.
export { AnalysisMetric, AnalysisTemplate, DEFAULT_PROMETHEUS_ADDRESS } from './analysis-template';
export type { AnalysisArgument, AnalysisTemplateProps, PrometheusMetricOptions, RateTemplateOptions } from './analysis-template';
export { CanaryStep, TrafficRouting } from './canary-step';
export type { AnalysisOptions, CanaryStepKind, IstioRoutingOptions, TrafficSplitOptions } from './canary-step';
export type { DeliveryContext } from './context';
export { Delivery } from './delivery';
export type { DeliveryProps } from './delivery';
export { FluxDeliveryOrder } from './flux-order';
export type { FluxComponent, FluxDeliveryOrderProps } from './flux-order';
export { ArgoRolloutsInstall } from './install';
export type { ArgoRolloutsInstallProps } from './install';
export { IstioCanaryRouting, ROLLOUT_IGNORE_DIFFERENCES } from './istio';
export type { IstioCanaryRoutingProps } from './istio';
export { formatPromotion, promote, PromotionPath } from './promotion';
export type { Promotion, PromotionStage } from './promotion';
export { Rollout } from './rollout';
export type { RolloutProps } from './rollout';
export { SEED_PROMOTION, SEED_SERVICES, seedProductionCanary, WEB_APP_RESOURCES } from './seed-services';
export { ServiceGraph } from './service-graph';
export type { ServiceNode } from './service-graph';
export type {
  DeliveryEngine, DeliveryServiceDefinition, DeliverySettings, PromotionModel, PromotionSettings, ResourceSettings, ServiceRelease,
} from './settings';
export { RolloutStrategy } from './strategy';
export type {
  BlueGreenOptions, CanaryOptions, IstioRouting, RenderedStrategy, RollingOptions, ServiceRole, StrategyContext, StrategyKind, StrategyService,
} from './strategy';
