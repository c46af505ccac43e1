import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { dev, prod } from '../../../environments';
import { ArgoCdInstall } from '../../../lib/argocd/install';
import { ImageUpdaterInstall } from '../../../lib/argocd/image-updater-install';
import { ArgoRolloutsInstall } from '../../../lib/delivery/install';
import { FluxInstall } from '../../../lib/flux/install';
import { JenkinsXInstall } from '../../../lib/jenkins-x/install';
import { CostAllocation } from '../../../lib/monitoring/cost/opencost';
import { MonitoringInstall } from '../../../lib/monitoring/install';
import { CHARTS } from '../../../lib/platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../../../lib/platform/controller-install';
import { ChartFacts } from '../../../lib/platform/deploy-model/facts';
import { Sizing } from '../../../lib/platform/environment';
import { ConfigError } from '../../../lib/platform/errors';
import { ReplicaRole } from '../../../lib/platform/high-availability';
import { Platform } from '../../../lib/platform/platform';
import { VeleroInstall } from '../../../lib/recovery/install';
import { GatekeeperInstall } from '../../../lib/security/gatekeeper';
import { Falco } from '../../../lib/security/runtime/falco';
import { TrivyOperator } from '../../../lib/security/scanning/trivy-operator';
import { ExternalSecretsInstall } from '../../../lib/security/secrets/external-secrets-install';
import { SealedSecretsInstall } from '../../../lib/security/secrets/sealed-secrets';
import { Security } from '../../../lib/security/security';
import { EnvironmentConfig } from '../../../stacks/environment';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { validateEnvironment } from '../../../stacks/validate-environment';
import { synthEnvironment, TerraformJson } from '../../support/synth';

type Json = Record<string, any>;

const FACTS: ChartFacts = { serviceAccounts: ['team-cache'], crdKinds: ['example.com/Cache'] };

interface TeamCacheProps extends ControllerInstallProps {
  readonly role?: ReplicaRole;
  readonly replicas?: number;
  readonly createNamespace?: boolean;
  /** Skip the release (to read the base before it exists). */
  readonly noRelease?: boolean;
}

/** A controller install as a team would write one: the base's hooks and nothing else. */
class TeamCache extends ControllerInstall {
  constructor(scope: Construct, id: string, props: TeamCacheProps = {}) {
    super(scope, id, props, {
      chart: CHARTS.argoRollouts,
      defaultNamespace: 'team-cache',
      releaseName: 'team-cache',
      role: props.role ?? 'quorum',
      replicas: props.replicas,
      namespaceLabels: { 'example.com/owner': 'team-a' },
      createNamespace: props.createNamespace,
    });
    if (props.noRelease) return;
    this.installChart({
      values: {
        controller: { replicas: this.replicas, pdb: { enabled: this.disruptionBudget, minAvailable: 1 }, logging: { level: 'info', format: 'text' } },
        dashboard: { enabled: false },
      },
      facts: FACTS,
      egressPorts: [22],
    });
  }
}

function platformFor(sizing: Sizing): { stack: TerraformStack; platform: Platform } {
  const stack = new TerraformStack(Testing.app(), 'stack');
  const platform = new Platform(stack, 'Platform', { environment: validateEnvironment({ ...dev, sizing, prerequisites: { ...dev.prerequisites, nodes: 3 } }), outputDirectory: path.join(os.tmpdir(), 'controller-install-unused') });
  return { stack, platform };
}

const SINGLE: Sizing = { highAvailability: false, controllerReplicas: 1 };
const HA: Sizing = { highAvailability: true, controllerReplicas: 4 };

function terraform(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

function releaseOf(tf: TerraformJson, name: string): Json {
  const release = Object.values(tf.resource.helm_release).find((r) => r.name === name);
  assert.ok(release, `helm_release ${name}`);
  return release as Json;
}

describe('ControllerInstall', () => {
  it('creates its namespace with the platform labels and its own, and a release of the catalogued chart waiting for it', () => {
    const { stack, platform } = platformFor(SINGLE);
    const cache = new TeamCache(stack, 'Cache', { platform });
    const tf = terraform(stack);
    const namespaces = Object.values(tf.resource.kubernetes_namespace_v1) as Json[];
    const ns = namespaces.find((n) => n.metadata.name === 'team-cache');
    assert.ok(ns, 'the namespace');
    assert.equal(ns.metadata.labels['example.com/owner'], 'team-a');
    assert.equal(ns.metadata.labels['app.kubernetes.io/managed-by'], 'terraform');
    assert.equal(ns.metadata.labels['gitops.platform/environment'], platform.environment.name);
    const release = releaseOf(tf, 'team-cache');
    assert.equal(release.namespace, 'team-cache');
    assert.equal(release.chart, CHARTS.argoRollouts.chart);
    assert.equal(release.version, CHARTS.argoRollouts.version);
    assert.equal(release.repository, CHARTS.argoRollouts.repository);
    assert.equal(release.atomic, true);
    assert.equal(release.timeout, 600);
    assert.deepEqual(release.depends_on, [`kubernetes_namespace_v1.${Object.keys(tf.resource.kubernetes_namespace_v1).find((k) => tf.resource.kubernetes_namespace_v1[k] === ns)}`]);
    assert.equal(cache.namespace, 'team-cache');
    assert.equal(cache.releaseName, 'team-cache');
    assert.equal(cache.chart, CHARTS.argoRollouts);
    assert.deepEqual(cache.install.egressPorts, [22]);
  });

  it('takes the namespace from its props', () => {
    const { stack, platform } = platformFor(SINGLE);
    const cache = new TeamCache(stack, 'Cache', { platform, namespace: 'caches' });
    assert.equal(cache.install.namespace, 'caches');
    assert.deepEqual(platform.namespaceNames, ['caches']);
  });

  it('registers the release as a controller with its chart facts', () => {
    const { stack, platform } = platformFor(SINGLE);
    const cache = new TeamCache(stack, 'Cache', { platform });
    assert.deepEqual(platform.controllerReleases, [cache.install]);
    assert.deepEqual(platform.chartFacts(cache.install), FACTS);
  });

  for (const [role, sizing, replicas, pdb] of [
    ['quorum', SINGLE, 1, false],
    ['quorum', HA, 3, false],
    ['standby', HA, 2, false],
    ['scaled', SINGLE, 1, false],
    ['scaled', HA, 4, true],
    ['singleton', HA, 1, false],
  ] as const) {
    it(`gives a ${role} controller ${replicas} replica(s)${pdb ? ' and a disruption budget' : ''} when ${sizing.highAvailability ? 'highly available' : 'not highly available'}`, () => {
      const { stack, platform } = platformFor(sizing);
      const cache = new TeamCache(stack, 'Cache', { platform, role });
      assert.equal(cache.role, role);
      assert.equal(cache.replicas, replicas);
      assert.equal(cache.disruptionBudget, pdb);
      const values = parse(releaseOf(terraform(stack), 'team-cache').values[0]) as Json;
      assert.equal(values.controller.replicas, replicas);
      assert.equal(values.controller.pdb.enabled, pdb);
    });
  }

  it('takes replicas from its props over the HA table', () => {
    const { stack, platform } = platformFor(HA);
    assert.equal(new TeamCache(stack, 'Cache', { platform, replicas: 5 }).replicas, 5);
  });

  it('fails when the replicas are not a whole number of at least 1', () => {
    const { stack, platform } = platformFor(HA);
    assert.throws(() => new TeamCache(stack, 'Cache', { platform, replicas: 0 }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, 'stack/Cache: replicas is 0. Use a whole number of at least 1.');
      return true;
    });
  });

  it('merges the values override last: objects key by key, the rest replaced', () => {
    const { stack, platform } = platformFor(SINGLE);
    new TeamCache(stack, 'Cache', { platform, values: { controller: { logging: { level: 'debug' } }, dashboard: { enabled: true }, podAnnotations: { team: 'a' } } });
    const values = parse(releaseOf(terraform(stack), 'team-cache').values[0]) as Json;
    assert.deepEqual(values, {
      controller: { replicas: 1, pdb: { enabled: false, minAvailable: 1 }, logging: { level: 'debug', format: 'text' } },
      dashboard: { enabled: true },
      podAnnotations: { team: 'a' },
    });
  });

  it("installs into another install's namespace without creating it", () => {
    const { stack, platform } = platformFor(SINGLE);
    const cache = new TeamCache(stack, 'Cache', { platform, createNamespace: false });
    const tf = terraform(stack);
    assert.equal(tf.resource.kubernetes_namespace_v1, undefined);
    assert.deepEqual(releaseOf(tf, 'team-cache').depends_on, []);
    assert.equal(cache.namespace, 'team-cache');
    assert.throws(() => (cache as unknown as { namespaceResource: unknown }).namespaceResource, /stack\/Cache: the install runs in a namespace it does not create/);
  });

  it('has no release until the subclass creates it, and creates one only', () => {
    const { stack, platform } = platformFor(SINGLE);
    const cache = new TeamCache(stack, 'Cache', { platform, noRelease: true });
    assert.equal(cache.installed, false);
    assert.throws(() => cache.install, /stack\/Cache: the Helm release is created when the stack is synthesized/);
    const installed = new TeamCache(stack, 'Installed', { platform, namespace: 'other' });
    assert.equal(installed.installed, true);
    assert.throws(() => (installed as unknown as { installChart(o: unknown): void }).installChart({ values: {} }), /stack\/Installed: the Helm release is already created/);
  });

  it('gets the Pod Security labels of the security module on its namespace', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'controller-install-'));
    try {
      const stack = new GitOpsStack(Testing.app(), dev.name, { environment: dev, manifestDirectory: directory });
      new TeamCache(stack, 'Cache', { platform: stack.platform });
      const tf = terraform(stack);
      const ns = (Object.values(tf.resource.kubernetes_namespace_v1) as Json[]).find((n) => n.metadata.name === 'team-cache');
      const level = (stack.modules.security as Security).podSecurityLevelOf('team-cache');
      assert.equal(ns?.metadata.labels['pod-security.kubernetes.io/enforce'], level);
      assert.equal(ns?.metadata.labels['example.com/owner'], 'team-a');
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('the controller installs', () => {
  it('all extend ControllerInstall', () => {
    for (const install of [ArgoCdInstall, ImageUpdaterInstall, ArgoRolloutsInstall, FluxInstall, JenkinsXInstall, MonitoringInstall, CostAllocation, VeleroInstall, GatekeeperInstall, ExternalSecretsInstall, SealedSecretsInstall, TrivyOperator, Falco]) {
      assert.ok(install.prototype instanceof ControllerInstall, install.name);
    }
  });

  it('merge the values override of the installs the HA test does not reach (Velero, OpenCost, Trivy Operator, Falco) last', () => {
    const env: EnvironmentConfig = {
      ...prod,
      recovery: { ...prod.recovery!, values: { priorityClassName: 'system-cluster-critical' } },
      monitoring: { ...prod.monitoring, cost: { ...prod.monitoring?.cost, values: { priorityClassName: 'system-cluster-critical' } } },
      security: {
        ...prod.security,
        scanning: { ...prod.security?.scanning, values: { priorityClassName: 'system-cluster-critical', operator: { scanJobsConcurrentLimit: 2 } } },
        falco: { ...prod.security?.falco, values: { priorityClassName: 'system-node-critical' } },
      },
    };
    const releases = Object.fromEntries(
      Object.values(synthEnvironment(env).tf.resource.helm_release).map((r) => [r.name as string, r.values ? parse((r.values as string[])[0]) : {}]),
    ) as Record<string, Json>;
    assert.equal(releases.velero.priorityClassName, 'system-cluster-critical');
    assert.equal(releases.velero.snapshotsEnabled, false, 'velero values kept');
    assert.equal(releases.opencost.priorityClassName, 'system-cluster-critical');
    assert.equal(releases.opencost.opencost.ui.enabled, false, 'opencost values kept');
    assert.equal(releases['trivy-operator'].priorityClassName, 'system-cluster-critical');
    assert.equal(releases['trivy-operator'].operator.scanJobsConcurrentLimit, 2);
    assert.equal(releases['trivy-operator'].operator.vulnerabilityScannerEnabled, true, 'trivy values kept');
    assert.equal(releases.falco.priorityClassName, 'system-node-critical');
    assert.equal(releases.falco.driver.kind, 'modern_ebpf', 'falco values kept');
  });
});
