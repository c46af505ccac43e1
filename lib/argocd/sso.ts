import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';

/**
 * A key of a Kubernetes Secret in Argo CD's namespace. Argo CD reads it from
 * argocd-cm as `$<secret>:<key>`; the Secret must carry the label
 * `app.kubernetes.io/part-of: argocd` (the module's ExternalSecret sets it).
 */
export interface SecretKeyReference {
  /** The Secret's name (`argocd-sso`). */
  readonly secretName: string;
  /** The key inside it (`oidc.clientSecret`). */
  readonly key: string;
}

/** Options for {@link ArgoCdSso.oidc}. */
export interface OidcOptions {
  /** Name shown on the login button (`Okta`). */
  readonly name: string;
  /** Issuer URL (https). */
  readonly issuer: string;
  /** OAuth client ID (not a secret). */
  readonly clientId: string;
  /** Where the client secret is. */
  readonly clientSecret: SecretKeyReference;
  /** Separate client ID for the CLI. @default - the same client */
  readonly cliClientId?: string;
  /** Scopes requested. @default ['openid', 'profile', 'email', 'groups'] */
  readonly requestedScopes?: readonly string[];
  /** Ask the IdP for the groups claim in the ID token. @default true */
  readonly requestGroupsClaim?: boolean;
}

/** Options for {@link DexConnector.github}. */
export interface GitHubConnectorOptions {
  /** OAuth app client ID (not a secret). */
  readonly clientId: string;
  /** Where the client secret is. */
  readonly clientSecret: SecretKeyReference;
  /** GitHub organisations (and optionally teams) allowed to log in. */
  readonly orgs: ReadonlyArray<{ readonly name: string; readonly teams?: readonly string[] }>;
  /** Connector id. @default 'github' */
  readonly id?: string;
  /** Name on the login button. @default 'GitHub' */
  readonly name?: string;
}

/** Options for {@link DexConnector.oidc}. */
export interface DexOidcConnectorOptions {
  /** Connector id. */
  readonly id: string;
  /** Name on the login button. */
  readonly name: string;
  /** Issuer URL (https). */
  readonly issuer: string;
  /** Client ID (not a secret). */
  readonly clientId: string;
  /** Where the client secret is. */
  readonly clientSecret: SecretKeyReference;
}

/** A Dex connector (an upstream identity provider). */
export class DexConnector {
  /** GitHub OAuth, restricted to organisations / teams. */
  public static github(options: GitHubConnectorOptions): DexConnector {
    if (options.orgs.length === 0) {
      throw new ConfigError('DexConnector', 'github.orgs', [], 'Restrict logins to at least one GitHub organisation.');
    }
    return new DexConnector(options.id ?? 'github', options.clientSecret, {
      type: 'github',
      id: options.id ?? 'github',
      name: options.name ?? 'GitHub',
      config: {
        clientID: options.clientId,
        clientSecret: secretRef(options.clientSecret),
        orgs: options.orgs.map((o) => ({ name: o.name, ...(o.teams && o.teams.length > 0 ? { teams: [...o.teams] } : {}) })),
      },
    });
  }

  /** A generic OIDC provider behind Dex. */
  public static oidc(options: DexOidcConnectorOptions): DexConnector {
    checkHttps('DexConnector', 'oidc.issuer', options.issuer);
    return new DexConnector(options.id, options.clientSecret, {
      type: 'oidc',
      id: options.id,
      name: options.name,
      config: { issuer: options.issuer, clientID: options.clientId, clientSecret: secretRef(options.clientSecret) },
    });
  }

  private constructor(
    /** The connector id. */
    public readonly id: string,
    /** The client secret reference. */
    public readonly clientSecret: SecretKeyReference,
    private readonly config: Record<string, unknown>,
  ) {
    checkSecretRef('DexConnector', 'clientSecret', clientSecret);
  }

  /** The connector entry of `dex.config`. */
  public toJson(): Record<string, unknown> {
    return structuredClone(this.config);
  }
}

/**
 * How people log in to Argo CD: directly against an OIDC provider, or
 * through the bundled Dex with upstream connectors. Client secrets are
 * `$<secret>:<key>` references, never values.
 */
export class ArgoCdSso {
  /** Log in against an OIDC provider (Okta, Entra ID, Keycloak ...); Dex is not deployed. */
  public static oidc(options: OidcOptions): ArgoCdSso {
    checkHttps('ArgoCdSso', 'oidc.issuer', options.issuer);
    if (!/^\S+$/.test(options.clientId)) {
      throw new ConfigError('ArgoCdSso', 'oidc.clientId', options.clientId, 'Give the OAuth client ID (without spaces).');
    }
    checkSecretRef('ArgoCdSso', 'oidc.clientSecret', options.clientSecret);
    const config = {
      name: options.name,
      issuer: options.issuer,
      clientID: options.clientId,
      clientSecret: secretRef(options.clientSecret),
      ...(options.cliClientId !== undefined ? { cliClientID: options.cliClientId } : {}),
      requestedScopes: [...(options.requestedScopes ?? ['openid', 'profile', 'email', 'groups'])],
      ...(options.requestGroupsClaim === false ? {} : { requestedIDTokenClaims: { groups: { essential: true } } }),
    };
    return new ArgoCdSso('oidc', options.name, { 'oidc.config': toYaml(config) }, [options.clientSecret]);
  }

  /** Log in through Dex, with one or more upstream connectors. */
  public static dex(connectors: readonly DexConnector[]): ArgoCdSso {
    if (connectors.length === 0) {
      throw new ConfigError('ArgoCdSso', 'dex.connectors', [], 'Give at least one connector, such as DexConnector.github(...).');
    }
    const ids = new Set<string>();
    for (const c of connectors) {
      if (ids.has(c.id)) throw new ConfigError('ArgoCdSso', 'dex.connectors', c.id, 'Give each connector its own id.');
      ids.add(c.id);
    }
    return new ArgoCdSso(
      'dex',
      connectors.map((c) => c.id).join(', '),
      { 'dex.config': toYaml({ connectors: connectors.map((c) => c.toJson()) }) },
      connectors.map((c) => c.clientSecret),
    );
  }

  private constructor(
    /** `oidc` or `dex`. */
    public readonly type: 'oidc' | 'dex',
    /** The provider name (OIDC) or connector ids (Dex), for outputs. */
    public readonly provider: string,
    private readonly cm: Record<string, string>,
    /** Every Secret key the configuration references. */
    public readonly secretReferences: readonly SecretKeyReference[],
  ) {}

  /** Whether the bundled Dex server runs. */
  public get dexEnabled(): boolean {
    return this.type === 'dex';
  }

  /** The argocd-cm entries (`oidc.config` or `dex.config`). */
  public configMapEntries(): Record<string, string> {
    return { ...this.cm };
  }
}

/** Renders a Secret key reference the way argocd-cm reads it. */
export function secretRef(ref: SecretKeyReference): string {
  return `$${ref.secretName}:${ref.key}`;
}

function checkSecretRef(where: string, field: string, ref: SecretKeyReference): void {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ref.secretName)) {
    throw new ConfigError(where, `${field}.secretName`, ref.secretName, 'Use the name of a Secret in Argo CD\'s namespace.');
  }
  if (!/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
    throw new ConfigError(where, `${field}.key`, ref.key, 'Use a Secret key (letters, digits, ".", "_" and "-").');
  }
}

function checkHttps(where: string, field: string, url: string): void {
  let ok = false;
  try {
    ok = new URL(url).protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw new ConfigError(where, field, url, 'Use the https:// URL of the identity provider.');
}
