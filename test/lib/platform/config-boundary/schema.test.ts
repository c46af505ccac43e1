import assert from 'node:assert/strict';
import * as fs from 'fs';
import { describe, it } from 'node:test';
import { App, Chart } from 'cdk8s';
import { Testing } from 'cdktf';
import { dev, prod, staging } from '../../../../environments';
import { GitRepository, GitRef, Kustomization } from '../../../../lib/flux';
import { ConfigError } from '../../../../lib/platform/errors';
import { checkProps, withCheckedConfig } from '../../../../lib/platform/config-boundary/props';
import { conforms, explainersCompiled, findSchemaProblem, hasPropsSchema } from '../../../../lib/platform/config-boundary/schema-check';
import { didYouMean, editDistance } from '../../../../lib/platform/config-boundary/did-you-mean';
import { withPlainData } from '../../../../lib/platform/config-boundary/ajv-setup';
import { Opaque, plainView } from '../../../../lib/platform/config-boundary/plain-view';
import { CHECKED_PROPS, ENVIRONMENT_SCHEMA_FILE, generateSchemas, PROPS_SCHEMA_FILE, VALIDATORS_FILE } from '../../../../scripts/config-schema';
import { GitOpsStack } from '../../../../stacks/gitops-stack';

describe('the generated schemas', () => {
  it('are up to date with the TypeScript types (npm run schema)', () => {
    const { environment, props, validators } = generateSchemas();
    assert.equal(fs.readFileSync(ENVIRONMENT_SCHEMA_FILE, 'utf8'), environment, 'environment.schema.json is stale: run `npm run schema`');
    assert.equal(fs.readFileSync(PROPS_SCHEMA_FILE, 'utf8'), props, 'props.schema.json is stale: run `npm run schema`');
    assert.equal(fs.readFileSync(VALIDATORS_FILE, 'utf8'), validators, 'validators.generated.ts is stale: run `npm run schema`');
  });

  it('close every object: no schema object accepts unknown keys', () => {
    const open: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const s = node as Record<string, unknown>;
      if (s.type === 'object' && s.properties !== undefined && s.additionalProperties !== false) open.push(at);
      for (const [k, v] of Object.entries(s)) if (k !== 'default' && k !== 'const' && k !== 'enum') visit(v, `${at}/${k}`);
    };
    for (const file of [ENVIRONMENT_SCHEMA_FILE, PROPS_SCHEMA_FILE]) visit(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    assert.deepEqual(open, []);
  });

  it('describe every checked props type', () => {
    for (const type of CHECKED_PROPS) assert.ok(hasPropsSchema(type), type);
  });

  it('accept the shipped environments', () => {
    for (const env of [dev, staging, prod]) assert.equal(findSchemaProblem(env, { document: 'environment' }), undefined, env.name);
  });
});

describe('the precompiled validators', () => {
  const view = (value: unknown): unknown => plainView(value, { allowFunctions: true }).view;

  it('cover the environment and every checked props type', () => {
    assert.equal(conforms('environment', undefined, view(dev)), true);
    for (const type of CHECKED_PROPS) assert.equal(typeof conforms('props', type, {}), 'boolean', type);
    assert.equal(conforms('props', 'NoSuchProps', {}), undefined);
  });

  it('check a conforming environment or props without compiling a validator', () => {
    const before = explainersCompiled();
    for (const env of [dev, staging, prod]) assert.equal(findSchemaProblem(env, { document: 'environment' }), undefined);
    const chart = new Chart(new App(), 'c');
    const source = new GitRepository(chart, 'Source', { name: 'apps', url: 'https://github.com/company/apps', ref: GitRef.branch('main') });
    // A handle (an interface, IFluxSource) given as a construct: accepted by the precompiled check too.
    new Kustomization(chart, 'K', { name: 'apps', source, path: './apps' });
    assert.equal(explainersCompiled(), before);
  });

  it('refuse what the explaining validator refuses, and explain it with it', () => {
    const bad = [
      { ...dev, sizing: { replica: 3 } },
      { ...dev, monitoring: { ...dev.monitoring, retention: 30 } },
      { ...dev, labels: new Map([['a', 'b']]) },
      { ...dev, name: undefined },
    ];
    for (const env of bad) {
      assert.equal(conforms('environment', undefined, view(env)), false);
      assert.notEqual(findSchemaProblem(env, { document: 'environment' }), undefined);
    }
    assert.equal(conforms('props', 'KustomizationProps', view({ name: 'apps', path: './apps', intervl: '5m' })), false);
  });

  it('hold a class instance to an interface only inside a union, as the lenient check does', () => {
    // Outside a union a class instance stands for any interface (ChartInstallProps.dependsOn: ITerraformDependable[]).
    class Resource {
      get fqn(): string {
        return 'helm_release.x';
      }
    }
    const install = { chart: { chart: 'argo-cd', repository: 'https://argoproj.github.io/argo-helm', version: '7.7.0', appVersion: 'v2.13.0' }, releaseName: 'r', namespace: 'n', dependsOn: [new Resource()] };
    assert.equal(conforms('props', 'ChartInstallProps', view(install)), findSchemaProblem(install, { document: 'props', type: 'ChartInstallProps', lenient: true }) === undefined);
    assert.equal(conforms('props', 'ChartInstallProps', view(install)), true);
    // Plain data is still held to the interface's keys.
    assert.equal(conforms('props', 'ChartInstallProps', view({ ...install, dependsOn: [{}] })), false);
  });

  it('mark every object and list as plain data, also the schema of a setting named like a keyword', () => {
    const schema = {
      type: 'object',
      properties: { default: { type: 'object', properties: {} }, enum: { type: 'array' }, name: { type: 'string', default: { type: 'object' } } },
    };
    assert.deepEqual(withPlainData(schema), {
      type: 'object',
      plainData: true,
      properties: {
        default: { type: 'object', properties: {}, plainData: true },
        enum: { type: 'array', plainData: true },
        name: { type: 'string', default: { type: 'object' } },
      },
    });
  });
});

describe('the plain view', () => {
  it('never recurses without bound: a deep nesting or a cycle is one problem with its path', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    assert.match(plainView(root).problem!.what, /nested more than 48 levels deep/);
    const a: Record<string, unknown> = { list: [] };
    (a.list as unknown[]).push({ back: a });
    assert.deepEqual(plainView(a).problem!.path, ['list', 0, 'back']);
  });

  it('names a class instance by its class, through a bundler\'s renames', () => {
    const renamed = { Storage2: class {}, _Storage: class {} };
    for (const made of [new renamed.Storage2(), new renamed._Storage()]) {
      const { view } = plainView({ storage: made });
      assert.deepEqual(((view as { storage: Opaque }).storage).classNames, ['Storage']);
    }
  });

  it('reports NaN, bigint and symbols', () => {
    assert.equal(plainView({ x: NaN }).problem!.what, 'NaN');
    assert.equal(plainView({ x: 1n }).problem!.what, 'the bigint 1n');
    assert.equal(plainView({ x: Symbol('s') }).problem!.what, 'a symbol');
  });
});

describe('did you mean', () => {
  it('suggests the closest known key', () => {
    assert.equal(editDistance('retension', 'retention'), 1);
    assert.equal(didYouMean('selfheal', ['automated', 'prune', 'selfHeal']), 'selfHeal');
    assert.equal(didYouMean('replica', ['controllerReplicas', 'highAvailability']), 'controllerReplicas');
    assert.equal(didYouMean('zzz', ['controllerReplicas', 'highAvailability']), undefined);
  });
});

describe('construct props', () => {
  const chart = (): Chart => new Chart(new App(), 'c');

  it('reject an unknown key, with the key it was probably meant to be', () => {
    const source = new GitRepository(chart(), 'Source', { name: 'apps', url: 'https://github.com/company/apps', ref: GitRef.branch('main') });
    assert.throws(
      () => new Kustomization(chart(), 'K', { name: 'apps', source, path: './apps', intervl: '5m' } as never),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          'c/K: KustomizationProps.intervl is "5m". Unknown setting: it would be ignored. Did you mean "interval"? Known settings of KustomizationProps: annotations, commonMetadata, decryption, deletionPolicy, dependsOn, force, healthChecks, images, interval, labels, name, namespace, patches, path, postBuild, prune, retryInterval, serviceAccountName, source, suspend, targetNamespace, timeout, wait.',
    );
  });

  it('reject plain data where a class made by its factories is expected', () => {
    assert.throws(
      () => new GitRepository(chart(), 'G', { name: 'x', url: 'https://github.com/a/b', ref: { branch: 'main' } } as never),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === 'c/G: GitRepositoryProps.ref is {"branch":"main"}. Use a GitRef made with GitRef.branch(...) or GitRef.commit(...) or GitRef.fromRevision(...) or GitRef.refName(...) or GitRef.semver(...) or GitRef.tag(...).',
    );
  });

  it('reject an unknown key of a module root and of the stack', () => {
    assert.throws(
      () => new GitOpsStack(Testing.app(), 'dev', { environment: dev, manifestDirectry: 'out' } as never),
      (e: unknown) => e instanceof ConfigError && /^dev: GitOpsStackProps\.manifestDirectry is "out"\. Unknown setting: it would be ignored\. Did you mean "manifestDirectory"\?/.test(e.message),
    );
  });

  it('accept handles that implement an interface and leave checked props alone', () => {
    assert.doesNotThrow(() => checkProps('Test', 'ArgoCdProps', {}));
    assert.doesNotThrow(() => checkProps('Test', 'ArgoCdProps', undefined));
    assert.throws(() => checkProps('Test', 'ArgoCdProps', 'argocd'), { name: 'ConfigError', message: 'Test: ArgoCdProps is "argocd". Pass the ArgoCdProps as an object.' });
  });

  it('are not checked again while a composition builds modules from a config its schema has checked, and only then', () => {
    const misspelt = { retension: '30d' };
    assert.doesNotThrow(() => withCheckedConfig(() => checkProps('Test', 'MonitoringProps', misspelt)));
    // The region ends with the build, also when it throws.
    assert.throws(() => withCheckedConfig(() => { throw new Error('build failed'); }), /build failed/);
    assert.throws(() => checkProps('Test', 'MonitoringProps', misspelt), (e: unknown) => e instanceof ConfigError && /^Test: MonitoringProps\.retension is "30d"\. Unknown setting/.test(e.message));
    // Through GitOpsStack the same mistake is the environment's, named by validateEnvironment.
    assert.throws(
      () => new GitOpsStack(Testing.app(), 'dev', { environment: { ...dev, monitoring: { ...dev.monitoring, retension: '30d' } as never } }),
      (e: unknown) => e instanceof ConfigError && /^Environment "dev": monitoring\.retension is "30d"\. Unknown setting/.test(e.message),
    );
  });
});
