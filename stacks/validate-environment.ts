import {
  BackendConfig,
  defaultLocalStatePath,
  ENFORCEMENT_MODES,
  MODULE_NAMES,
  ModuleName,
  prerequisitesOf,
} from '../lib/platform/environment';
import { ConfigError } from '../lib/platform/errors';
import { DNS_LABEL, GO_DURATION } from '../lib/platform/patterns';
import { checkEnvironmentRules } from '../lib/platform/config-boundary/rules';
import { checkEnvironmentSchema } from '../lib/platform/config-boundary/schema-check';
import { EnvironmentConfig } from './environment';

const TIERS = ['development', 'staging', 'production'];

/**
 * Checks one environment and throws a {@link ConfigError} naming the
 * environment, the field, the bad value and the fix at the first problem.
 */
export function validateEnvironment(config: EnvironmentConfig): EnvironmentConfig {
  // The shape first (unknown keys, types, cycles), so no rule below meets a TypeError.
  checkEnvironmentSchema(config);
  const where = `Environment "${config.name ?? '(unnamed)'}"`;
  const fail = (field: string, value: unknown, fix: string): never => {
    throw new ConfigError(where, field, value, fix);
  };

  if (typeof config.name !== 'string' || !DNS_LABEL.test(config.name)) {
    fail('name', config.name, 'Use a lowercase DNS label such as "dev", "staging" or "prod".');
  }
  if (!TIERS.includes(config.tier)) {
    fail('tier', config.tier, `Use one of ${TIERS.join(', ')}.`);
  }

  validateCluster(config, fail);
  validateRepository(config, fail);
  validateModules(config.modules, fail);

  const sizing = config.sizing;
  if (!Number.isInteger(sizing?.controllerReplicas) || sizing.controllerReplicas < 1) {
    fail('sizing.controllerReplicas', sizing?.controllerReplicas, 'Use a whole number of at least 1.');
  }
  if (config.tier === 'production' && sizing.highAvailability && sizing.controllerReplicas < 2) {
    fail(
      'sizing.controllerReplicas',
      sizing.controllerReplicas,
      'Highly available production needs at least 2 replicas (3 recommended), or set sizing.highAvailability to false.',
    );
  }

  const sync = config.syncPolicy;
  if (config.tier === 'production' && sync.automated && sync.prune) {
    fail(
      'syncPolicy.prune',
      sync.prune,
      'Production requires manual approval of deletions: set syncPolicy.prune to false (selfHeal may stay true).',
    );
  }
  if (!Number.isInteger(sync.retry?.limit) || sync.retry.limit < 0) {
    fail('syncPolicy.retry.limit', sync.retry?.limit, 'Use a whole number of 0 or more (0 disables retries).');
  }
  for (const key of ['backoffDuration', 'backoffMaxDuration'] as const) {
    if (!GO_DURATION.test(String(sync.retry[key]))) {
      fail(`syncPolicy.retry.${key}`, sync.retry[key], 'Use a duration such as "5s", "3m" or "1h".');
    }
  }
  if (!(sync.retry.backoffFactor >= 1)) {
    fail('syncPolicy.retry.backoffFactor', sync.retry.backoffFactor, 'Use a number of at least 1.');
  }

  if (!(ENFORCEMENT_MODES as readonly string[]).includes(config.policyEnforcement)) {
    fail('policyEnforcement', config.policyEnforcement, `Use one of ${ENFORCEMENT_MODES.join(', ')}.`);
  }
  if (config.tier === 'production' && config.policyEnforcement !== 'deny') {
    fail('policyEnforcement', config.policyEnforcement, 'Production must enforce policies: use "deny".');
  }

  validateBackend(config, fail);
  validatePrerequisites(config, fail);
  validateClusterIssuers(config, fail);

  if (config.domain !== undefined && !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(config.domain)) {
    fail('domain', config.domain, 'Use a DNS domain you control: lowercase labels of letters, digits and "-", joined by dots, ending in a top-level domain.');
  }
  checkEnvironmentRules(config);
  return config;
}

/** Validates every environment and rejects two environments with one name. */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): readonly EnvironmentConfig[] {
  const seen = new Set<string>();
  for (const config of configs) {
    validateEnvironment(config);
    if (seen.has(config.name)) {
      throw new ConfigError(
        `Environment "${config.name}"`,
        'name',
        config.name,
        'Each environment needs a unique name: rename one of them.',
      );
    }
    seen.add(config.name);
  }
  return configs;
}

type Fail = (field: string, value: unknown, fix: string) => never;

function validateCluster(config: EnvironmentConfig, fail: Fail): void {
  const cluster = config.cluster ?? {};
  const hasKubeconfig = typeof cluster.kubeconfigPath === 'string' && cluster.kubeconfigPath !== '';
  const hasHost = typeof cluster.host === 'string' && cluster.host !== '';
  if (hasKubeconfig === hasHost) {
    fail(
      'cluster',
      { kubeconfigPath: cluster.kubeconfigPath, host: cluster.host },
      'Set exactly one of cluster.kubeconfigPath (with an optional kubeconfigContext) or cluster.host.',
    );
  }
  if (hasHost && !isHttpsUrl(cluster.host!)) {
    fail('cluster.host', cluster.host, 'Use the https:// URL of the Kubernetes API server.');
  }
  if (cluster.name !== undefined && !DNS_LABEL.test(cluster.name)) {
    fail('cluster.name', cluster.name, 'Use a lowercase DNS label.');
  }
}

function validateRepository(config: EnvironmentConfig, fail: Fail): void {
  const gitops = config.gitops ?? ({} as EnvironmentConfig['gitops']);
  if (typeof gitops.repoUrl !== 'string' || gitops.repoUrl.trim() === '') {
    fail('gitops.repoUrl', gitops.repoUrl, 'Set the https:// URL of the GitOps repository.');
  }
  if (!isHttpsUrl(gitops.repoUrl)) {
    fail(
      'gitops.repoUrl',
      gitops.repoUrl,
      'Use an https:// URL such as "https://github.com/<owner>/<repository>" (credentials go in gitops.credentialsSecret).',
    );
  }
  if (/\/\/[^/]*@/.test(gitops.repoUrl)) {
    fail('gitops.repoUrl', gitops.repoUrl.replace(/\/\/[^/]*@/, '//***@'), 'Remove the credentials from the URL; reference them with gitops.credentialsSecret.');
  }
  if (typeof gitops.revision !== 'string' || !/^[A-Za-z0-9._/-]+$/.test(gitops.revision)) {
    fail('gitops.revision', gitops.revision, 'Use a branch, tag or commit such as "main".');
  }
  if (gitops.path !== undefined && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(gitops.path)) {
    fail('gitops.path', gitops.path, 'Use a relative path without a leading or trailing slash, such as "clusters/prod".');
  }
  if (gitops.credentialsSecret !== undefined && !DNS_LABEL.test(gitops.credentialsSecret)) {
    fail('gitops.credentialsSecret', gitops.credentialsSecret, 'Use the name of a Kubernetes Secret (a DNS label).');
  }
  if (gitops.credentialsRevision !== undefined) {
    if (!Number.isInteger(gitops.credentialsRevision) || gitops.credentialsRevision < 1) {
      fail('gitops.credentialsRevision', gitops.credentialsRevision, 'Use a whole number of at least 1; bump it to rewrite the write-only credentials.');
    }
    if (gitops.credentialsSecret === undefined) {
      fail('gitops.credentialsRevision', gitops.credentialsRevision, 'Set gitops.credentialsSecret too, or remove credentialsRevision (a public repository has no credentials).');
    }
  }
}

/**
 * Argo CD's `redis-ha` (on when highly available) runs 3 Redis and 3 HAProxy
 * pods with required (hard) pod anti-affinity: one node each.
 */
const REDIS_HA_HARD_ANTI_AFFINITY_REPLICAS = 3;

function validatePrerequisites(config: EnvironmentConfig, fail: Fail): void {
  const given = config.prerequisites;
  if (given === undefined) return validatePrerequisiteUse(config, fail);
  if (given.nodes !== undefined && (!Number.isInteger(given.nodes) || given.nodes < 1)) {
    fail('prerequisites.nodes', given.nodes, 'Give the number of schedulable worker nodes, a whole number of at least 1.');
  }
  if (given.ingress !== undefined && given.ingress !== false) {
    if (typeof given.ingress.className !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(given.ingress.className)) {
      fail('prerequisites.ingress.className', given.ingress.className, 'Name the IngressClass the cluster has, such as "nginx".');
    }
    if (given.ingress.namespace !== undefined && !DNS_LABEL.test(given.ingress.namespace)) {
      fail('prerequisites.ingress.namespace', given.ingress.namespace, 'Name the namespace the ingress controller runs in, such as "ingress-nginx".');
    }
  }
  if (given.storage !== undefined) {
    if (typeof given.storage.defaultClass !== 'boolean') {
      fail('prerequisites.storage.defaultClass', given.storage.defaultClass, 'Say whether the cluster has a default StorageClass (true or false).');
    }
    for (const cls of given.storage.classes ?? []) {
      if (typeof cls !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cls)) {
        fail('prerequisites.storage.classes', cls, 'List StorageClass names, such as "fast-ssd".');
      }
    }
  }
  if (given.istio !== undefined) {
    if (typeof given.istio.installed !== 'boolean' || typeof given.istio.cni !== 'boolean') {
      fail('prerequisites.istio', given.istio, 'Give both installed and cni as true or false.');
    }
    if (given.istio.cni && !given.istio.installed) {
      fail('prerequisites.istio.cni', true, 'The Istio CNI plugin is part of an Istio install: set istio.installed to true, or cni to false.');
    }
  }
  validatePrerequisiteUse(config, fail);
}

/** The configuration asks only for what the prerequisites say the cluster has. */
function validatePrerequisiteUse(config: EnvironmentConfig, fail: Fail): void {
  const p = prerequisitesOf(config);
  const on = (module: ModuleName): boolean => Array.isArray(config.modules) && config.modules.includes(module);

  if (p.ingress === undefined) {
    const needs: Array<[string, boolean]> = [
      ["Argo CD's server", on('argocd')],
      ["Flux's webhook receiver", on('flux') && config.flux?.webhookReceiver !== undefined],
      ['Jenkins X (Lighthouse hook, previews)', on('jenkins-x')],
    ];
    const exposed = needs.filter(([, needed]) => needed).map(([what]) => what);
    if (exposed.length > 0) {
      fail('prerequisites.ingress', false, `${exposed.join(', ')} ${exposed.length > 1 ? 'are' : 'is'} exposed through an ingress: install an ingress controller and name its IngressClass in prerequisites.ingress.`);
    }
  } else {
    const argoClass = config.argocd?.ingress?.className;
    if (on('argocd') && argoClass !== undefined && argoClass !== p.ingress.className) {
      fail('argocd.ingress.className', argoClass, `The cluster's ingress controller serves the IngressClass "${p.ingress.className}" (prerequisites.ingress.className): use it, or correct the prerequisites.`);
    }
    const ingressNamespace = config.security?.ingressNamespace;
    if (on('security') && ingressNamespace !== undefined && ingressNamespace !== p.ingress.namespace) {
      fail('security.ingressNamespace', ingressNamespace, `The ingress controller runs in "${p.ingress.namespace}" (prerequisites.ingress.namespace): use it, or correct the prerequisites.`);
    }
  }

  if (on('argocd') && config.sizing?.highAvailability && p.nodes < REDIS_HA_HARD_ANTI_AFFINITY_REPLICAS) {
    fail(
      'prerequisites.nodes',
      p.nodes,
      `Highly available Argo CD runs redis-ha with ${REDIS_HA_HARD_ANTI_AFFINITY_REPLICAS} Redis and ${REDIS_HA_HARD_ANTI_AFFINITY_REPLICAS} HAProxy pods that must each run on their own node (hard anti-affinity): give the cluster at least ${REDIS_HA_HARD_ANTI_AFFINITY_REPLICAS} nodes, or set sizing.highAvailability to false.`,
    );
  }

  if (on('monitoring')) {
    const volumes: Array<[string, { readonly isPersistent: boolean; readonly storageClassName?: string } | undefined]> = [
      ['monitoring.storage', config.monitoring?.storage],
      ['monitoring.grafana.storage', config.monitoring?.grafana?.storage],
    ];
    for (const [field, storage] of volumes) {
      // Grafana is persistent on the cluster's default class unless configured otherwise.
      const persistent = storage === undefined ? field === 'monitoring.grafana.storage' : storage.isPersistent;
      if (!persistent) continue;
      const cls = storage?.storageClassName;
      if (cls === undefined && !p.storage.defaultClass) {
        fail(`${field}.storageClassName`, undefined, `The cluster has no default StorageClass (prerequisites.storage.defaultClass is false): name one of its classes${p.storage.classes.length > 0 ? ` (${p.storage.classes.join(', ')})` : ''}, or use Storage.ephemeral().`);
      }
      if (cls !== undefined && !p.storage.classes.includes(cls)) {
        fail(`${field}.storageClassName`, cls, `The cluster has no StorageClass of that name in prerequisites.storage.classes${p.storage.classes.length > 0 ? ` (${p.storage.classes.join(', ')})` : ''}: add it there if it exists, or name one that does.`);
      }
    }
  }
}

function validateModules(modules: readonly ModuleName[], fail: Fail): void {
  if (!Array.isArray(modules)) {
    fail('modules', modules, `List the modules to turn on, from: ${MODULE_NAMES.join(', ')}.`);
  }
  const seen = new Set<string>();
  for (const module of modules) {
    if (!(MODULE_NAMES as readonly string[]).includes(module)) {
      fail('modules', module, `Unknown module; use one of ${MODULE_NAMES.join(', ')}.`);
    }
    if (seen.has(module)) {
      fail('modules', module, 'List each module once.');
    }
    seen.add(module);
  }
}

function validateBackend(config: EnvironmentConfig, fail: Fail): void {
  const backend: BackendConfig = config.backend;
  const required: Record<string, readonly string[]> = {
    local: [],
    s3: ['bucket', 'key', 'region'],
    gcs: ['bucket'],
    azurerm: ['resourceGroupName', 'storageAccountName', 'containerName', 'key'],
    hcp: ['organization', 'workspace'],
  };
  const type = backend?.type;
  if (!(type in required)) {
    fail('backend.type', type, `Use one of ${Object.keys(required).join(', ')}.`);
  }
  const fields = backend as unknown as Record<string, unknown>;
  for (const key of required[type]) {
    if (typeof fields[key] !== 'string' || fields[key] === '') {
      fail(`backend.${key}`, fields[key], `The ${type} backend needs ${key}.`);
    }
  }
  if (backend.type === 'local' && backend.path !== undefined && (backend.path.startsWith('/') || /^[A-Za-z]:/.test(backend.path))) {
    fail('backend.path', backend.path, 'Use a path relative to the stack directory so the state is portable.');
  }
  if (backend.type === 'local' && backend.path !== undefined && !leavesOutputDirectory(backend.path)) {
    fail(
      'backend.path',
      backend.path,
      `The path is relative to cdktf.out/stacks/${config.name}/, so the state would live in the build folder that a clean build deletes. ` +
        `Lead it out of cdktf.out/ (e.g. "${defaultLocalStatePath(config.name)}", the default) or use a remote backend.`,
    );
  }
  if (backend.type === 'local' && backend.allowInProduction !== undefined && typeof backend.allowInProduction !== 'boolean') {
    fail('backend.allowInProduction', backend.allowInProduction, 'Use true or false.');
  }
  if (config.tier === 'production' && backend.type === 'local' && backend.allowInProduction !== true) {
    fail(
      'backend.type',
      backend.type,
      'Production state needs a remote backend with locking and encryption, such as { type: "s3", bucket, key, region } ' +
        '(see docs/deploy.md); set backend.allowInProduction to true only for a throw-away rehearsal.',
    );
  }
  if (config.tier === 'production' && backend.type === 's3') {
    if (backend.encrypt === false) {
      fail('backend.encrypt', backend.encrypt, 'Production state must be encrypted: remove encrypt or set it to true.');
    }
    if (backend.useLockfile === false && !backend.dynamodbTable) {
      fail('backend.useLockfile', backend.useLockfile, 'Production state needs a lock: keep useLockfile (the default) or set dynamodbTable.');
    }
  }
}

/** True when a path relative to `<outdir>/stacks/<env>/` resolves outside `<outdir>`. */
function leavesOutputDirectory(relative: string): boolean {
  const normalized = relative.replace(/\\/g, '/').split('/').reduce<string[]>((parts, part) => {
    if (part === '' || part === '.') return parts;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
    return parts;
  }, []);
  let ups = 0;
  while (normalized[ups] === '..') ups++;
  return ups >= 3;
}

/**
 * With Flux on (which installs cert-manager and the ClusterIssuers), an ingress
 * that names a ClusterIssuer names one the platform creates. Without Flux the
 * issuer is the cluster's own, and the TLS Secret a prerequisite (SECRETS.md).
 */
function validateClusterIssuers(config: EnvironmentConfig, fail: Fail): void {
  const issuer = config.argocd?.ingress?.annotations?.['cert-manager.io/cluster-issuer'];
  if (issuer === undefined || !config.modules.includes('argocd') || !config.modules.includes('flux')) return;
  const declared = (config.flux?.clusterIssuers ?? []).map((i) => i.name);
  if (!declared.includes(issuer)) {
    fail(
      'argocd.ingress.annotations["cert-manager.io/cluster-issuer"]',
      issuer,
      `No ClusterIssuer of that name is created: declare it in flux.clusterIssuers (with the cert-manager add-on)${declared.length > 0 ? ` or use one of ${declared.join(', ')}` : ''}.`,
    );
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
