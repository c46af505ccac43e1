/**
 * One environment (dev, every module on) plus N items of one kind, for the
 * benchmark's growth measurements. BENCH_KIND is one of SCALE_KINDS,
 * BENCH_ITEMS the number of items (0 is the environment alone).
 */
import { App } from 'cdktf';
import { dev } from '../../environments/dev';
import { Application } from '../../lib/argocd/application';
import { ApplicationSet } from '../../lib/argocd/application-set';
import { ApplicationSetGenerator } from '../../lib/argocd/generators';
import { ApplicationSource } from '../../lib/argocd/source';
import { IN_CLUSTER } from '../../lib/argocd/application';
import { RolloutStrategy } from '../../lib/delivery/strategy';
import { DeliveryServiceDefinition } from '../../lib/delivery/settings';
import { EnvironmentConfig } from '../../stacks/environment';
import { GitOpsStack } from '../../stacks/gitops-stack';
import { runApp } from '../../stacks/run-app';
import { SCALE_KINDS, ScaleKind } from './kinds';


const kind = (process.env.BENCH_KIND ?? 'applications-one-file') as ScaleKind;
const items = Number(process.env.BENCH_ITEMS ?? '0');
if (!SCALE_KINDS.includes(kind) || !Number.isInteger(items) || items < 0) {
  throw new Error(`BENCH_KIND must be one of ${SCALE_KINDS.join(', ')} and BENCH_ITEMS a whole number`);
}

const pad = (i: number): string => String(i).padStart(5, '0');

function environment(): EnvironmentConfig {
  if (kind === 'delivery-services') {
    const services: DeliveryServiceDefinition[] = [];
    for (let i = 0; i < items; i++) {
      services.push({
        name: `svc-${pad(i)}`,
        image: `ghcr.io/company/svc-${pad(i)}:v1.0.0`,
        healthCheckPath: '/health',
        ...(i > 0 ? { dependsOn: [`svc-${pad(i - 1)}`] } : {}),
        strategy: RolloutStrategy.rolling(),
      });
    }
    return { ...dev, delivery: { ...dev.delivery, services: [...(dev.delivery?.services ?? []), ...services] } };
  }
  if (kind === 'flux-tenants') {
    const tenants = [...(dev.flux?.tenants ?? [])];
    for (let i = 0; i < items; i++) {
      tenants.push({ name: `tenant-${pad(i)}`, repoUrl: `https://github.com/company/tenant-${pad(i)}`, branch: 'main' });
    }
    return { ...dev, flux: { ...dev.flux, tenants } };
  }
  return dev;
}

runApp(() => {
  const app = new App({ stackTraces: false });
  const stack = new GitOpsStack(app, 'dev', { environment: environment() });
  const tree = stack.platform.tree;
  const repoUrl = 'https://github.com/company/bench-apps';
  for (let i = 0; i < items && kind.startsWith('applications'); i++) {
    const chart = tree.chart('apps', kind === 'applications-one-file' ? 'bench-applications' : `bench-app-${pad(i)}`);
    new Application(chart, `App${pad(i)}`, {
      name: `app-${pad(i)}`,
      project: 'default',
      source: ApplicationSource.git({ repoUrl, targetRevision: 'main', path: `apps/app-${pad(i)}` }),
      destination: { server: IN_CLUSTER, namespace: `app-${pad(i)}` },
    });
  }
  for (let i = 0; i < items && kind === 'application-sets'; i++) {
    new ApplicationSet(tree.chart('apps', 'bench-application-sets'), `Set${pad(i)}`, {
      name: `set-${pad(i)}`,
      generators: [ApplicationSetGenerator.list([{ cluster: 'dev', url: IN_CLUSTER }])],
      template: {
        name: `set-${pad(i)}-{{cluster}}`,
        project: 'default',
        source: ApplicationSource.git({ repoUrl, targetRevision: 'main', path: `sets/set-${pad(i)}` }),
        destination: { server: '{{url}}', namespace: `set-${pad(i)}` },
      },
    });
  }
  app.synth();
});
