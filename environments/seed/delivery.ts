import { CanaryStep, DeliveryServiceDefinition, PromotionSettings, ResourceSettings, RolloutStrategy, TrafficRouting } from '../../lib/delivery';

/** The seeds' web-app requests and limits (500m/1 CPU, 256Mi/512Mi memory). */
export const WEB_APP_RESOURCES: ResourceSettings = {
  cpuRequest: '500m',
  cpuLimit: '1000m',
  memoryRequest: '256Mi',
  memoryLimit: '512Mi',
};

/**
 * The seeds' full production canary (the `web-app` Rollout): 10%, 20%,
 * analysis of the canary's success rate, 50%, 100%, with pauses between.
 */
export function seedProductionCanary(): RolloutStrategy {
  return RolloutStrategy.canary({
    trafficRouting: TrafficRouting.istio({ canaryHeader: { name: 'canary', value: 'true' } }),
    steps: [
      CanaryStep.setWeight(10),
      CanaryStep.pause('2m'),
      CanaryStep.setWeight(20),
      CanaryStep.pause('2m'),
      CanaryStep.analysis({ templates: ['success-rate'] }),
      CanaryStep.setWeight(50),
      CanaryStep.pause('5m'),
      CanaryStep.setWeight(100),
      CanaryStep.pause('2m'),
    ],
  });
}

/**
 * The seeds' service dependency graph (`deployment-config.yaml`): database →
 * backend-api → frontend, and worker-service after database and backend-api;
 * rolling updates for database and worker-service, blue-green for backend-api
 * (pre-promotion success rate under a load Job against the preview, since
 * nothing else calls it; post-promotion error rate), a 10/50/100 canary
 * through Istio with success-rate analysis for the frontend (the seeds'
 * `web-app`). Images are pinned; environments choose their tags.
 */
export const SEED_SERVICES: readonly DeliveryServiceDefinition[] = [
  {
    name: 'database',
    image: 'ghcr.io/company/database:v1.0.0',
    healthCheckPath: '/health',
    strategy: RolloutStrategy.rolling(),
  },
  {
    name: 'backend-api',
    image: 'ghcr.io/company/api-service:v2.1.0',
    healthCheckPath: '/api/health',
    dependsOn: ['database'],
    strategy: RolloutStrategy.blueGreen({
      previewService: 'backend-api-preview',
      // Nobody calls the preview before promotion: a load Job gives the success rate real requests.
      prePromotionAnalysis: { templates: ['preview-load', 'success-rate'], args: { 'request-path': '/api/health' } },
      postPromotionAnalysis: { templates: ['error-rate'] },
    }),
  },
  {
    name: 'frontend',
    image: 'ghcr.io/company/web-app:v1.2.3',
    healthCheckPath: '/health',
    dependsOn: ['backend-api'],
    resources: WEB_APP_RESOURCES,
    strategy: RolloutStrategy.canary({
      trafficRouting: TrafficRouting.istio({ canaryHeader: { name: 'canary', value: 'true' } }),
      steps: CanaryStep.trafficSplit([10, 50, 100], { pause: '2m', analysis: { templates: ['success-rate'] } }),
    }),
  },
  {
    name: 'worker-service',
    image: 'ghcr.io/company/worker-service:v1.0.0',
    healthCheckPath: '/worker/health',
    dependsOn: ['database', 'backend-api'],
    strategy: RolloutStrategy.rolling(),
  },
];

/** The seeds' branch-based promotion: dev (develop) → staging (staging) → prod (main). */
export const SEED_PROMOTION: PromotionSettings = { path: ['dev', 'staging', 'prod'], model: 'branch' };
