import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../imports/external-secrets.io';

/** A SecretStore or ClusterSecretStore of the External Secrets Operator, by name. */
export interface SecretStoreReference {
  /** The store's name. */
  readonly name: string;
  /** The store's kind. @default 'ClusterSecretStore' */
  readonly kind?: 'ClusterSecretStore' | 'SecretStore';
}

/** One key of the generated Secret, fetched from the store. */
export interface RemoteSecretKey {
  /** Key in the generated Secret (`slack-token`). */
  readonly secretKey: string;
  /** The remote secret's key / path in the store (`argocd/notifications`). */
  readonly remoteKey: string;
  /** The property inside the remote secret. @default - the whole remote value */
  readonly property?: string;
}

/** Options for {@link ArgoCdExternalSecret}. */
export interface ArgoCdExternalSecretProps {
  /** Name of the Secret to create (and of the ExternalSecret). */
  readonly secretName: string;
  /** Namespace (Argo CD's). @default 'argocd' */
  readonly namespace?: string;
  /** The store to read from. */
  readonly store: SecretStoreReference;
  /** The keys to fetch. */
  readonly data: readonly RemoteSecretKey[];
  /** Labels of the generated Secret. @default { 'app.kubernetes.io/part-of': 'argocd' } */
  readonly secretLabels?: Readonly<Record<string, string>>;
  /**
   * Templated data of the generated Secret (ESO v2 templates over the fetched
   * keys, `{{ .token }}`). When set, only these keys are written.
   * @default - the fetched keys as they are
   */
  readonly template?: Readonly<Record<string, string>>;
  /** How often the Secret is refreshed. @default '1h' */
  readonly refreshInterval?: string;
}

/**
 * An ExternalSecret that creates a Secret for Argo CD (SSO client secret,
 * notification tokens, cluster credentials) from a secret store, so no
 * credential is ever written to the GitOps tree.
 */
export class ArgoCdExternalSecret extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The Secret it creates. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: ArgoCdExternalSecretProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.secretName)) {
      throw new ConfigError(this.node.path, 'secretName', props.secretName, 'Use a Kubernetes name such as "argocd-sso".');
    }
    if (props.data.length === 0) {
      throw new ConfigError(this.node.path, 'data', [], 'Fetch at least one key from the store.');
    }
    const seen = new Set<string>();
    for (const d of props.data) {
      if (!/^[-._a-zA-Z0-9]+$/.test(d.secretKey) || seen.has(d.secretKey)) {
        throw new ConfigError(this.node.path, 'data.secretKey', d.secretKey, 'Use each Secret key once (letters, digits, ".", "_" and "-").');
      }
      seen.add(d.secretKey);
      if (d.remoteKey.trim() === '') {
        throw new ConfigError(this.node.path, 'data.remoteKey', d.remoteKey, 'Give the key of the secret in the store, such as "argocd/sso".');
      }
    }
    this.secretName = props.secretName;
    const labels = props.secretLabels ?? { 'app.kubernetes.io/part-of': 'argocd' };
    this.resource = new ExternalSecret(this, 'Resource', {
      metadata: { name: props.secretName, namespace: props.namespace ?? 'argocd' },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: {
          name: props.store.name,
          kind: (props.store.kind ?? 'ClusterSecretStore') as ExternalSecretSpecSecretStoreRefKind,
        },
        target: {
          name: props.secretName,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            type: 'Opaque',
            metadata: { labels: { ...labels } },
            ...(props.template ? { data: { ...props.template } } : {}),
          },
        },
        data: props.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: { key: d.remoteKey, ...(d.property !== undefined ? { property: d.property } : {}) },
        })),
      },
    });
  }
}
