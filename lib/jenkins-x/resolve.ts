import { ConfigError } from '../platform/errors';
import { DNS_LABEL } from './internal';
import { Platform } from '../platform/platform';
import { GitUrl } from './git-url';
import { PromotionStrategy } from './promotion';
import { RequirementsIngress } from './requirements';
import { JenkinsXSettings } from './settings';

/** A Jenkins X environment as the module resolved it. */
export interface ResolvedJenkinsXEnvironment {
  readonly key: string;
  readonly namespace: string;
  readonly promotion: PromotionStrategy;
  readonly production: boolean;
  readonly repository: GitUrl;
  readonly remoteCluster: boolean;
  readonly order?: number;
  readonly label?: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const SUBDOMAIN = /^[-.a-z0-9]*\.$/;

/** The cluster repository: the setting (https only), or `jx3-<cluster name>` next to the GitOps repository. */
export function resolveClusterRepository(settings: JenkinsXSettings, platform: Platform, where: string): GitUrl {
  if (settings.clusterRepository !== undefined) {
    return GitUrl.parse(settings.clusterRepository, where, 'jenkinsX.clusterRepository', true);
  }
  const gitops = GitUrl.parse(platform.environment.gitops.repoUrl, where, 'gitops.repoUrl', true);
  const name = `jx3-${platform.clusterName}`.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
  return gitops.sibling(name);
}

/**
 * The promotion targets with every default applied; checks keys, unique
 * namespaces (the development namespace included), repositories, and that no
 * production environment is promoted automatically.
 */
export function resolveEnvironments(settings: JenkinsXSettings, cluster: GitUrl, devNamespace: string, where: string): ResolvedJenkinsXEnvironment[] {
  const options = settings.environments ?? [{ key: 'staging' }, { key: 'production' }];
  const keys = new Map<string, string>([['dev', 'dev']]);
  const namespaces = new Map<string, string>([[devNamespace, 'dev']]);
  return options.map((e, i) => {
    const field = `jenkinsX.environments[${i}]`;
    if (typeof e.key !== 'string' || !DNS_LABEL.test(e.key) || e.key.length > 63) {
      throw new ConfigError(where, `${field}.key`, e.key, 'Use a lowercase DNS label such as "staging".');
    }
    if (keys.has(e.key)) {
      const fix = e.key === 'dev' ? 'The development environment is always there; give promotion targets other keys.' : 'Give every environment its own key.';
      throw new ConfigError(where, `${field}.key`, e.key, fix);
    }
    keys.set(e.key, e.key);
    const namespace = e.namespace ?? `jx-${e.key}`;
    if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
      throw new ConfigError(where, `${field}.namespace`, namespace, 'Use a lowercase DNS label such as "jx-staging".');
    }
    const owner = namespaces.get(namespace);
    if (owner !== undefined) {
      throw new ConfigError(where, `${field}.namespace`, namespace, `It is already the namespace of environment "${owner}"; give every environment its own namespace.`);
    }
    namespaces.set(namespace, e.key);
    const production = e.production ?? (e.key === 'production' || e.key === 'prod');
    const promotion = e.promotion ?? (production ? PromotionStrategy.manual() : PromotionStrategy.auto());
    if (!(promotion instanceof PromotionStrategy)) {
      throw new ConfigError(where, `${field}.promotion`, promotion, 'Use PromotionStrategy.auto(), .manual() or .never().');
    }
    if (production && promotion.isAutomatic) {
      throw new ConfigError(
        where,
        `${field}.promotion`,
        promotion.value,
        `Production environments are promoted manually: use PromotionStrategy.manual() (or never()) for "${e.key}".`,
      );
    }
    const repository = e.repository !== undefined ? GitUrl.parse(e.repository, where, `${field}.repository`, true) : cluster;
    const order = e.order ?? (i + 1) * 100;
    if (!Number.isInteger(order) || order < 0) {
      throw new ConfigError(where, `${field}.order`, order, 'Use a whole number of 0 or more.');
    }
    return {
      key: e.key,
      namespace,
      promotion,
      production,
      repository,
      remoteCluster: !repository.sameRepository(cluster),
      order,
      label: e.label,
    };
  });
}

/** The ingress of `jx-requirements.yml`; TLS needs a contact e-mail. */
export function resolveIngress(settings: JenkinsXSettings, domain: () => string, where: string): RequirementsIngress {
  const ingress = settings.ingress ?? {};
  const tls = ingress.tls ?? {};
  const enabled = tls.enabled ?? false;
  if (enabled && (tls.email === undefined || !EMAIL.test(tls.email))) {
    throw new ConfigError(where, 'jenkinsX.ingress.tls.email', tls.email, 'TLS certificates from Let\'s Encrypt need a contact e-mail address (name@host) for expiry notices.');
  }
  const namespaceSubDomain = ingress.namespaceSubDomain ?? '-jx.';
  if (!SUBDOMAIN.test(namespaceSubDomain)) {
    throw new ConfigError(where, 'jenkinsX.ingress.namespaceSubDomain', namespaceSubDomain, 'Use text that ends with a dot, such as "-jx." or ".".');
  }
  const ingressDomain = ingress.domain ?? domain();
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(ingressDomain)) {
    throw new ConfigError(where, 'jenkinsX.ingress.domain', ingressDomain, 'Use a DNS domain: lowercase labels of letters, digits and "-", joined by dots, ending in a top-level domain.');
  }
  return {
    domain: ingressDomain,
    externalDNS: ingress.externalDns ?? false,
    namespaceSubDomain,
    tls: { enabled, email: tls.email ?? '', production: tls.production ?? true },
  };
}
