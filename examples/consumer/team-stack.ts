import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  AnalysisTemplate,
  AppProject,
  ApplicationSet,
  ApplicationSetGenerator,
  ApplicationSource,
  CanaryStep,
  EnvironmentConfig,
  FluxTenant,
  HelmRelease,
  HelmReleaseChart,
  HelmRepository,
  IN_CLUSTER,
  Platform,
  Rollout,
  RolloutStrategy,
  ServiceLevelObjective,
  SloIndicator,
  SyncPolicy,
  validateEnvironment,
} from 'gitops-platform-cdktf';

/** Options for {@link PaymentsStack}. */
export interface PaymentsStackProps {
  /** The environment the team deploys to; no platform module needs to be on. */
  readonly environment: EnvironmentConfig;
  /** Where the team's GitOps tree is written. @default `dist/<environment name>` */
  readonly outputDirectory?: string;
}

/**
 * A team's own stack: no GitOpsStack, only the constructs it needs. Its tree is
 * written when the stack is synthesized.
 */
export class PaymentsStack extends TerraformStack {
  public readonly platform: Platform;

  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    super(scope, id);
    this.platform = new Platform(this, 'Platform', {
      environment: validateEnvironment(props.environment),
      ...(props.outputDirectory === undefined ? {} : { outputDirectory: props.outputDirectory }),
    });
    const apps = this.platform.tree.chart('apps', 'payments');

    new AppProject(apps, 'Project', {
      name: 'payments',
      description: 'The payments team',
      sourceRepos: ['https://git.acme.test/payments/*'],
      destinations: [{ server: IN_CLUSTER, namespace: 'payments-*' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    });

    new ApplicationSet(apps, 'Services', {
      name: 'payments-services',
      generators: [
        ApplicationSetGenerator.gitDirectories({
          repoUrl: 'https://git.acme.test/payments/deploy',
          revision: 'main',
          directories: ['services/*'],
        }),
      ],
      template: {
        name: 'payments-{{path.basename}}',
        project: 'payments',
        source: ApplicationSource.git({ repoUrl: 'https://git.acme.test/payments/deploy', targetRevision: 'main', path: '{{path}}' }),
        destination: { server: IN_CLUSTER, namespace: 'payments-{{path.basename}}' },
        syncPolicy: SyncPolicy.automated({ prune: true, selfHeal: true }),
      },
    });

    const templates = [
      AnalysisTemplate.successRate(apps, 'SuccessRate', { namespace: 'payments-api' }),
      AnalysisTemplate.errorRate(apps, 'ErrorRate', { namespace: 'payments-api' }),
    ];
    new Rollout(apps, 'Api', {
      name: 'payments-api',
      namespace: 'payments-api',
      replicas: 4,
      analysisTemplates: templates,
      container: {
        image: 'ghcr.io/acme/payments-api:v3.2.1',
        ports: [{ number: 8080, name: 'http' }],
        resources: {
          cpu: { request: Cpu.millis(250), limit: Cpu.millis(1000) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        },
      },
      strategy: RolloutStrategy.canary({
        steps: [
          CanaryStep.setWeight(20),
          CanaryStep.pause('2m'),
          CanaryStep.analysis({ templates: ['success-rate'] }),
          CanaryStep.setWeight(100),
        ],
      }),
    });

    new ServiceLevelObjective(apps, 'Availability', {
      name: 'payments-api-availability',
      indicator: SloIndicator.availability({ selector: 'service="payments-api"' }),
      target: 0.995,
      window: '30d',
    });

    const tenants = this.platform.tree.chart('tenants', 'payments');
    new FluxTenant(tenants, 'Tenant', {
      name: 'payments-batch',
      repoUrl: 'https://git.acme.test/payments/batch',
      path: './deploy',
      // The platform team's Flux (another repository) owns the infrastructure Kustomization.
      dependsOn: [{ name: 'infrastructure', namespace: 'flux-system', external: true }],
    });
    const charts = new HelmRepository(tenants, 'acme-charts', { namespace: 'payments-batch', url: 'https://charts.acme.test' });
    new HelmRelease(tenants, 'ledger', {
      namespace: 'payments-batch',
      interval: '10m',
      chart: HelmReleaseChart.fromSource(charts, 'ledger', { version: '1.4.x' }),
      values: { replicaCount: 2 },
    });
  }
}
