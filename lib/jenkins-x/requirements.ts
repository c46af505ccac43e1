import { toYaml } from '../platform/yaml';
import { GitKind, GitUrl } from './git-url';
import { PromotionStrategyValue } from './promotion';
import { ClusterProvider } from './settings';
import { SecretStorageValue } from './secret-storage';

/** The apiVersion and kind of `jx-requirements.yml`. */
export const JX_REQUIREMENTS = { apiVersion: 'core.jenkins-x.io/v4beta1', kind: 'Requirements' } as const;

/** The file name Jenkins X reads at the root of the cluster repository. */
export const REQUIREMENTS_FILE = 'jx-requirements.yml';

/** `spec.environments[]` of `jx-requirements.yml` (field names of jx-api's `EnvironmentConfig`). */
export interface RequirementsEnvironment {
  readonly key: string;
  readonly owner?: string;
  readonly repository?: string;
  readonly gitServer?: string;
  readonly gitKind?: GitKind;
  readonly remoteCluster?: boolean;
  readonly promotionStrategy?: PromotionStrategyValue;
  readonly namespace?: string;
}

/** `spec.ingress` (jx-api's `IngressConfig`). */
export interface RequirementsIngress {
  readonly domain: string;
  readonly externalDNS: boolean;
  readonly namespaceSubDomain: string;
  readonly tls: { readonly enabled: boolean; readonly email: string; readonly production: boolean };
}

/** `spec.cluster` (jx-api's `ClusterConfig`). */
export interface RequirementsCluster {
  readonly clusterName: string;
  readonly provider: ClusterProvider;
  readonly environmentGitOwner: string;
  readonly gitKind: GitKind;
  readonly gitName: string;
  readonly gitServer: string;
  readonly registry?: string;
}

/** The typed content of `jx-requirements.yml` this module writes (`core.jenkins-x.io/v4beta1` Requirements). */
export interface RequirementsDocument {
  readonly apiVersion: typeof JX_REQUIREMENTS.apiVersion;
  readonly kind: typeof JX_REQUIREMENTS.kind;
  readonly spec: {
    readonly cluster: RequirementsCluster;
    readonly environments: readonly RequirementsEnvironment[];
    readonly ingress: RequirementsIngress;
    readonly secretStorage: SecretStorageValue;
    readonly webhook: 'lighthouse';
  };
}

/** One environment as {@link ClusterRequirements} needs it. */
export interface RequirementsEnvironmentInput {
  /** The key. */
  readonly key: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its promotion strategy. */
  readonly promotion: PromotionStrategyValue;
  /** The cluster repository of a remote cluster, if it runs elsewhere. */
  readonly remoteRepository?: GitUrl;
}

/** Options for {@link ClusterRequirements}. */
export interface ClusterRequirementsProps {
  /** The cluster name. */
  readonly clusterName: string;
  /** The cluster provider. */
  readonly provider: ClusterProvider;
  /** The cluster repository (its server and owner are the defaults for environment repositories). */
  readonly clusterRepository: GitUrl;
  /** The container registry host. @default - not set */
  readonly registry?: string;
  /** The environments, development first. */
  readonly environments: readonly RequirementsEnvironmentInput[];
  /** The ingress. */
  readonly ingress: RequirementsIngress;
  /** The secret storage. */
  readonly secretStorage: SecretStorageValue;
}

/**
 * The content of the cluster repository's `jx-requirements.yml`: what the
 * jx boot job reads to render the cluster (environments, ingress, TLS, secret
 * storage, Lighthouse webhooks). Keys are written in a fixed order, so the
 * file is byte-identical for the same input.
 */
export class ClusterRequirements {
  /** The typed document. */
  public readonly document: RequirementsDocument;

  constructor(props: ClusterRequirementsProps) {
    const repo = props.clusterRepository;
    this.document = {
      ...JX_REQUIREMENTS,
      spec: {
        cluster: {
          clusterName: props.clusterName,
          provider: props.provider,
          environmentGitOwner: repo.owner,
          gitKind: repo.kind,
          gitName: repo.providerName,
          gitServer: repo.server,
          ...(props.registry !== undefined ? { registry: props.registry } : {}),
        },
        environments: props.environments.map((e) => ({
          key: e.key,
          ...(e.remoteRepository
            ? {
                owner: e.remoteRepository.owner,
                repository: e.remoteRepository.repository,
                gitServer: e.remoteRepository.server,
                gitKind: e.remoteRepository.kind,
                remoteCluster: true,
              }
            : {}),
          promotionStrategy: e.promotion,
          namespace: e.namespace,
        })),
        ingress: props.ingress,
        secretStorage: props.secretStorage,
        webhook: 'lighthouse',
      },
    };
  }

  /** The file content. */
  public toYaml(): string {
    return toYaml(this.document);
  }
}
