import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dev, prod, staging } from '../../environments';
import { EnvironmentConfig } from '../../stacks/environment';
import { ConfigError } from '../../lib/platform/errors';
import { validateEnvironment, validateEnvironments } from '../../stacks/validate-environment';

/** A deep copy of the plain data in `value`; class instances (Storage, NotificationService) are kept as they are. */
function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)])) as T;
}

/** A copy of `base` with changes applied (deep enough for the config's shape). */
function withChanges(base: EnvironmentConfig, changes: Record<string, unknown>): EnvironmentConfig {
  const copy = copyPlain(base) as unknown as Record<string, unknown>;
  for (const [dotted, value] of Object.entries(changes)) {
    const keys = dotted.split('.');
    let target = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys[keys.length - 1]] = value;
  }
  return copy as unknown as EnvironmentConfig;
}

function assertConfigError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('validateEnvironment', () => {
  it('accepts the shipped environments', () => {
    assert.equal(validateEnvironments([dev, staging, prod]).length, 3);
  });

  it('fails when the repo URL is empty', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'gitops.repoUrl': '' })),
      /^Environment "dev": gitops\.repoUrl is empty\. Set the https:\/\/ URL of the GitOps repository\.$/,
    );
  });

  it('fails when the repo URL is not https', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(staging, { 'gitops.repoUrl': 'http://github.com/company/gitops' })),
      /^Environment "staging": gitops\.repoUrl is "http:\/\/github\.com\/company\/gitops"\. Use an https:\/\/ URL/,
    );
  });

  it('fails when the repo URL carries credentials, without echoing them', () => {
    assert.throws(
      () => validateEnvironment(withChanges(dev, { 'gitops.repoUrl': 'https://user:hunter2@github.com/company/gitops' })),
      (error: Error) => {
        assert.match(error.message, /gitops\.repoUrl is "https:\/\/\*\*\*@github\.com\/company\/gitops"\. Remove the credentials/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      },
    );
  });

  it('fails when replicas are below 1', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'sizing.controllerReplicas': 0 })),
      /^Environment "dev": sizing\.controllerReplicas is 0\. Use a whole number of at least 1\.$/,
    );
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'sizing.controllerReplicas': -2 })),
      /sizing\.controllerReplicas is -2/,
    );
  });

  it('fails when production prunes automatically', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { 'syncPolicy.prune': true })),
      /^Environment "prod": syncPolicy\.prune is true\. Production requires manual approval of deletions: set syncPolicy\.prune to false/,
    );
  });

  it('fails on an unknown module name', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { modules: ['argocd', 'spinnaker'] })),
      /^Environment "dev": modules\[1\] is "spinnaker"\. Use one of "argocd", "flux", "jenkins-x", "monitoring", "security", "delivery", "recovery"\.$/,
    );
  });

  it('fails on a duplicate environment name', () => {
    assertConfigError(
      () => validateEnvironments([dev, staging, withChanges(prod, { name: 'staging' })]),
      /^Environment "staging": name is "staging"\. Each environment needs a unique name: rename one of them\.$/,
    );
  });

  it('fails on a negative retry limit', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'syncPolicy.retry.limit': -1 })),
      /syncPolicy\.retry\.limit is -1\. Use a whole number of 0 or more/,
    );
  });

  it('fails on a backoff that is not a duration', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'syncPolicy.retry.backoffDuration': 'five seconds' })),
      /syncPolicy\.retry\.backoffDuration is "five seconds"\. Use a duration/,
    );
  });

  it('fails on an unknown enforcement mode', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { policyEnforcement: 'block' })),
      /policyEnforcement is "block"\. Use one of "warn", "dryrun", "deny"\./,
    );
  });

  it('fails when production does not deny policy violations', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { policyEnforcement: 'warn' })),
      /^Environment "prod": policyEnforcement is "warn"\. Production must enforce policies: use "deny"\.$/,
    );
  });

  it('fails when neither or both of kubeconfig and host are set', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { cluster: {} })),
      /cluster is \{\}\. Set exactly one of cluster\.kubeconfigPath/,
    );
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'cluster.host': 'https://k8s.example.com' })),
      /Set exactly one of cluster\.kubeconfigPath/,
    );
  });

  it('fails when the cluster host is not https', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { cluster: { host: 'k8s.example.com:6443' } })),
      /cluster\.host is "k8s\.example\.com:6443"\. Use the https:\/\/ URL/,
    );
  });

  it('fails on a backend missing a required field', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { backend: { type: 's3', bucket: 'state', region: 'eu-west-1' } })),
      /^Environment "prod": backend\.key is not set\. The s3 backend needs key, a string\.$/,
    );
  });

  it('fails on an unknown backend type', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { backend: { type: 'consul' } })),
      /backend\.type is "consul"\. Use one of "local", "s3", "gcs", "azurerm", "hcp"\./,
    );
  });

  it('fails on an absolute local state path', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { backend: { type: 'local', path: '/var/state/dev.tfstate' } })),
      /backend\.path is "\/var\/state\/dev\.tfstate"\. Use a path relative to the stack directory/,
    );
  });

  it('fails on a local state path inside the build folder', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { backend: { type: 'local', path: 'terraform.dev.tfstate' } })),
      /^Environment "dev": backend\.path is "terraform\.dev\.tfstate"\. The path is relative to cdktf\.out\/stacks\/dev\/, so the state would live in the build folder .* "\.\.\/\.\.\/\.\.\/terraform-state\/dev\.tfstate"/,
    );
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { backend: { type: 'local', path: '../../state/../x.tfstate' } })),
      /backend\.path is "\.\.\/\.\.\/state\/\.\.\/x\.tfstate"/,
    );
    // Out of cdktf.out/ once normalized: accepted.
    validateEnvironment(withChanges(dev, { backend: { type: 'local', path: '../../../../shared-state/dev.tfstate' } }));
    validateEnvironment(withChanges(dev, { backend: { type: 'local', path: './../../../state/dev.tfstate' } }));
  });

  it('fails on local state in production unless explicitly allowed', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { backend: { type: 'local' } })),
      /^Environment "prod": backend\.type is "local"\. Production state needs a remote backend with locking and encryption, .*set backend\.allowInProduction to true only for a throw-away rehearsal\.$/,
    );
    validateEnvironment(withChanges(prod, { backend: { type: 'local', allowInProduction: true } }));
    // The flag does nothing outside production, and staging may keep local state.
    validateEnvironment(withChanges(staging, { backend: { type: 'local' } }));
  });

  it('fails on unencrypted or unlocked S3 state in production', () => {
    const s3 = { type: 's3', bucket: 'state', key: 'prod.tfstate', region: 'us-east-1' };
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { backend: { ...s3, encrypt: false } })),
      /^Environment "prod": backend\.encrypt is false\. Production state must be encrypted/,
    );
    assertConfigError(
      () => validateEnvironment(withChanges(prod, { backend: { ...s3, useLockfile: false } })),
      /^Environment "prod": backend\.useLockfile is false\. Production state needs a lock/,
    );
    validateEnvironment(withChanges(prod, { backend: { ...s3, useLockfile: false, dynamodbTable: 'locks' } }));
  });

  it('fails on an environment name that is not a DNS label', () => {
    assertConfigError(() => validateEnvironment(withChanges(dev, { name: 'Dev_1' })), /^Environment "Dev_1": name is "Dev_1"\./);
  });

  it('fails on a revision with spaces', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'gitops.revision': 'feature branch' })),
      /gitops\.revision is "feature branch"\. Use a branch, tag or commit/,
    );
  });
});

describe('validateEnvironment: gitops.credentialsRevision', () => {
  it('fails when the revision is not a whole number of at least 1', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'gitops.credentialsRevision': 0 })),
      /^Environment "dev": gitops\.credentialsRevision is 0\. Use a whole number of at least 1/,
    );
  });

  it('fails when there is no credentials Secret to rewrite', () => {
    assertConfigError(
      () => validateEnvironment(withChanges(dev, { 'gitops.credentialsSecret': undefined, 'gitops.credentialsRevision': 2 })),
      /^Environment "dev": gitops\.credentialsRevision is 2\. Set gitops\.credentialsSecret too/,
    );
  });
});

describe('validateEnvironment: prerequisites', () => {
  // withChanges copies through JSON, which drops the Storage instances: these tests use spreads.
  it('fails when highly available Argo CD (redis-ha, hard anti-affinity) has fewer than 3 nodes', () => {
    assertConfigError(
      () => validateEnvironment({ ...prod, prerequisites: { ...prod.prerequisites, nodes: 2 } }),
      /^Environment "prod": prerequisites\.nodes is 2\. Highly available Argo CD runs redis-ha with 3 Redis and 3 HAProxy pods that must each run on their own node \(hard anti-affinity\)/,
    );
    assertConfigError(
      () => validateEnvironment({ ...prod, prerequisites: undefined }),
      /^Environment "prod": prerequisites\.nodes is 1\. Highly available Argo CD/,
    );
    assert.doesNotThrow(() => validateEnvironment({ ...prod, modules: ['flux', 'security'], prerequisites: { ...prod.prerequisites, nodes: 1 } }));
  });

  it('fails when a storage setting names a class the cluster does not have, or relies on a default it lacks', () => {
    assertConfigError(
      () => validateEnvironment({ ...prod, prerequisites: { ...prod.prerequisites, storage: { defaultClass: true } } }),
      /^Environment "prod": monitoring\.storage\.storageClassName is "fast-ssd"\. The cluster has no StorageClass of that name in prerequisites\.storage\.classes/,
    );
    assertConfigError(
      () => validateEnvironment({ ...staging, prerequisites: { ...staging.prerequisites, storage: { defaultClass: false, classes: ['fast-ssd'] } } }),
      /^Environment "staging": monitoring\.storage\.storageClassName is not set\. The cluster has no default StorageClass \(prerequisites\.storage\.defaultClass is false\): name one of its classes \(fast-ssd\), or use Storage\.ephemeral\(\)\.$/,
    );
    // dev keeps everything on emptyDir: no StorageClass needed.
    assert.doesNotThrow(() => validateEnvironment({ ...dev, prerequisites: { ...dev.prerequisites, storage: { defaultClass: false } } }));
  });

  it('fails when an ingress setting contradicts the ingress controller the cluster has', () => {
    assertConfigError(
      () => validateEnvironment({ ...dev, argocd: { ...dev.argocd, ingress: { className: 'traefik' } } }),
      /^Environment "dev": argocd\.ingress\.className is "traefik"\. The cluster's ingress controller serves the IngressClass "nginx" \(prerequisites\.ingress\.className\)/,
    );
    assertConfigError(
      () => validateEnvironment({ ...dev, security: { ...dev.security, ingressNamespace: 'traefik' } }),
      /^Environment "dev": security\.ingressNamespace is "traefik"\. The ingress controller runs in "ingress-nginx"/,
    );
  });

  it('fails when something is exposed through an ingress and the cluster has no ingress controller', () => {
    assertConfigError(
      () => validateEnvironment({ ...dev, prerequisites: { ...dev.prerequisites, ingress: false } }),
      /^Environment "dev": prerequisites\.ingress is false\. Argo CD's server, Flux's webhook receiver, Jenkins X \(Lighthouse hook, previews\) are exposed through an ingress: install an ingress controller and name its IngressClass in prerequisites\.ingress\.$/,
    );
    assert.doesNotThrow(() => validateEnvironment({ ...dev, modules: ['security'], prerequisites: { ...dev.prerequisites, ingress: false } }));
  });

  it('fails on malformed prerequisites', () => {
    assertConfigError(() => validateEnvironment({ ...dev, prerequisites: { ...dev.prerequisites, nodes: 0 } }), /^Environment "dev": prerequisites\.nodes is 0\./);
    assertConfigError(
      () => validateEnvironment({ ...dev, prerequisites: { ...dev.prerequisites, istio: { installed: false, cni: true } } }),
      /^Environment "dev": prerequisites\.istio\.cni is true\. The Istio CNI plugin is part of an Istio install/,
    );
    assertConfigError(
      () => validateEnvironment({ ...dev, prerequisites: { ...dev.prerequisites, ingress: { className: 'Nginx Class' } } }),
      /^Environment "dev": prerequisites\.ingress\.className is "Nginx Class"\./,
    );
  });
});
