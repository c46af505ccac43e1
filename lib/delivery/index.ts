// The public API of Progressive delivery (Argo Rollouts): named exports only; everything else in this folder is internal.
// The API report (api/gitops-platform-cdktf.api.md) shows every change to this surface in review.
export { AnalysisMetric, AnalysisTemplate } from './analysis-template';
export type { AnalysisArgument, AnalysisTemplateProps, JobMetricOptions, PreviewLoadOptions, PrometheusMetricOptions, RateTemplateOptions } from './analysis-template';
export { CanaryStep, TrafficRouting } from './canary-step';
export type { AnalysisOptions, CanaryStepKind, IstioRoutingOptions, TrafficSplitOptions } from './canary-step';
export type { DeliveryContext, DeliveryEnvironment, DeliveryReferences } from './context';
export { Delivery } from './delivery';
export type { DeliveryProps } from './delivery';
export { FluxDeliveryOrder } from './flux-order';
export type { FluxComponent, FluxDeliveryOrderProps } from './flux-order';
export { ArgoRolloutsInstall } from './install';
export type { ArgoRolloutsInstallProps } from './install';
export { IstioCanaryRouting } from './istio';
export type { IstioCanaryRoutingProps } from './istio';
export { PromotionPath, formatPromotion, promote } from './promotion';
export type { Promotion, PromotionStage } from './promotion';
export { Rollout } from './rollout';
export type { RolloutIngressOptions, RolloutMetricsOptions, RolloutProps } from './rollout';
export type { ResolvedService } from './service';
export { ServiceGraph } from './service-graph';
export type { ServiceNode } from './service-graph';
export type { DeliveryEngine, DeliveryServiceDefinition, DeliverySettings, PromotionModel, PromotionSettings, ResourceSettings, ServiceRelease } from './settings';
export { RolloutStrategy } from './strategy';
export type { BlueGreenOptions, CanaryOptions, IstioRouting, RenderedStrategy, RollingOptions, ServiceRole, StrategyContext, StrategyKind, StrategyService } from './strategy';
