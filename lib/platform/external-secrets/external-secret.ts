import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../errors';
import {
  ExternalSecret as ExternalSecretResource,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/external-secrets.io';
import { SecretStoreRef } from './store-ref';

/** The default ClusterSecretStore name (seed 001 `vault-backend`). */
export const DEFAULT_SECRET_STORE = 'vault-backend';

/** One value fetched from the store. */
export interface ExternalSecretValue {
  /** The key in the Kubernetes Secret (or the template variable). */
  readonly secretKey: string;
  /** The key in the store (`database/production`). */
  readonly remoteKey: string;
  /**
   * The property of a structured value.
   * @default - the whole value
   */
  readonly property?: string;
}

/** How the written Secret looks. */
export interface ExternalSecretTemplate {
  /**
   * The Secret type.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * Secret keys rendered from the fetched values with Go templates
   * (`"{{ .username }}"`). Literal parts must not be secret (URLs, ports).
   * @default - the fetched values as they are
   */
  readonly data?: Readonly<Record<string, string>>;
  /**
   * Labels of the written Secret (Argo CD secret types, ...).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options for {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /** The ExternalSecret's name. */
  readonly name: string;
  /** Its namespace (the Secret is written there). */
  readonly namespace: string;
  /**
   * The store to read from.
   * @default SecretStoreRef.cluster('vault-backend')
   */
  readonly store?: SecretStoreRef;
  /** The values to fetch. */
  readonly data: readonly ExternalSecretValue[];
  /**
   * The Secret to write.
   * @default - the ExternalSecret's name
   */
  readonly targetName?: string;
  /**
   * How the Secret looks.
   * @default - an Opaque Secret with the fetched values
   */
  readonly template?: ExternalSecretTemplate;
  /**
   * How often the values are read again (Go duration).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** A Go duration; the micro sign escaped, so the app's bundle stays ASCII (see `scripts/run-app.cjs`). */
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|\u00b5s|ms|s|m|h))+$/;

/**
 * An ExternalSecret (seed 001): the operator reads the values from the store
 * and writes a Secret owned by the ExternalSecret, so no secret value is ever
 * in Git. Templates build derived keys such as a connection string.
 */
export class ExternalSecret extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The Secret the operator writes. */
  public readonly secretName: string;
  /** The namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const fail = (field: string, value: unknown, fix: string): never => {
      throw new ConfigError(this.node.path, field, value, fix);
    };
    if (!DNS_SUBDOMAIN.test(props.name ?? '')) fail('name', props.name, 'Use a lowercase DNS subdomain.');
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.namespace ?? '')) fail('namespace', props.namespace, 'Use a namespace name.');
    if (!props.data || props.data.length === 0) fail('data', props.data, 'Fetch at least one value.');
    const keys = new Set<string>();
    props.data.forEach((d, i) => {
      if (!SECRET_KEY.test(d.secretKey ?? '')) fail(`data[${i}].secretKey`, d.secretKey, 'Use a Secret key (letters, digits, "-", "_", ".").');
      if (keys.has(d.secretKey)) fail(`data[${i}].secretKey`, d.secretKey, 'Use each secretKey once.');
      keys.add(d.secretKey);
      if (typeof d.remoteKey !== 'string' || d.remoteKey.trim() === '') fail(`data[${i}].remoteKey`, d.remoteKey, 'Name the key in the store, such as "database/production".');
    });
    const refresh = props.refreshInterval ?? '1h';
    if (!DURATION.test(refresh)) fail('refreshInterval', refresh, 'Use a Go duration such as "1h" or "15m".');
    for (const [key, value] of Object.entries(props.template?.data ?? {})) {
      if (!SECRET_KEY.test(key)) fail(`template.data.${key}`, key, 'Use a Secret key (letters, digits, "-", "_", ".").');
      if (!value.includes('{{')) {
        // A literal is allowed for non-secret fields (type, url, name), never for credentials.
        if (/pass|token|secret|key|credential/i.test(key)) {
          fail(`template.data.${key}`, '(value withheld)', 'Secret fields must come from the store: use a template such as "{{ .password }}".');
        }
      }
    }
    this.secretName = props.targetName ?? props.name;
    this.namespace = props.namespace;
    const store = props.store ?? SecretStoreRef.cluster(DEFAULT_SECRET_STORE);
    const template = props.template;
    this.resource = new ExternalSecretResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        refreshInterval: refresh,
        secretStoreRef: {
          name: store.name,
          kind: store.kind === 'ClusterSecretStore' ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
        },
        target: {
          name: this.secretName,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          ...(template
            ? {
                template: {
                  engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
                  type: template.type ?? 'Opaque',
                  ...(template.labels ? { metadata: { labels: { ...template.labels } } } : {}),
                  ...(template.data ? { data: { ...template.data } } : {}),
                },
              }
            : {}),
        },
        data: props.data.map((d) => ({
          secretKey: d.secretKey,
          remoteRef: { key: d.remoteKey, ...(d.property ? { property: d.property } : {}) },
        })),
      },
    });
  }
}
