import {
  BackendConfig,
  defaultLocalStatePath,
  ENFORCEMENT_MODES,
  EnvironmentConfig,
  MODULE_NAMES,
  ModuleName,
} from './environment';
import { ConfigError } from './errors';
import { DNS_LABEL, GO_DURATION } from './patterns';

const TIERS = ['development', 'staging', 'production'];

/**
 * Checks one environment and throws a {@link ConfigError} naming the
 * environment, the field, the bad value and the fix at the first problem.
 */
export function validateEnvironment(config: EnvironmentConfig): EnvironmentConfig {
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

  if (config.domain !== undefined && !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(config.domain)) {
    fail('domain', config.domain, 'Use a DNS domain such as "dev.example.com".');
  }
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
      'Use an https:// URL such as "https://github.com/company/gitops-infrastructure" (credentials go in gitops.credentialsSecret).',
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

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
