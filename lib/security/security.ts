import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { KubeServiceAccount } from 'cdk8s-plus-27/lib/imports/k8s';
import { prerequisitesOf } from '../platform/environment';
import { ConfigError } from '../platform/errors';
import { compareNames } from '../platform/compare';
import { recordFrom } from '../platform/plain-object';
import { Platform } from '../platform/platform';
import { ComplianceReportJob } from './audit/compliance-report';
import { gitopsDriftRule, unauthorizedRepositoryAccessRule } from './audit/falco-rules';
import { Falco, GITOPS_RULES_FILE } from './runtime/falco';
import { TrivyOperator } from './scanning/trivy-operator';
import { GatekeeperInstall } from './gatekeeper';
import { ControllerNetworkPolicy, DEFAULT_NETWORK_PROFILES, ingressFromProfiles } from './isolation/network-policies';
import {
  DEFAULT_POD_SECURITY_EXCEPTIONS,
  podSecurityLevelFor,
  defaultPodSecurityLevel,
  POD_SECURITY_PREFIX,
  PodSecurityLevel,
  podSecurityLabels,
  validatePodSecurityExceptions,
} from './isolation/pod-security';
import { TenantRbac } from './isolation/tenant-rbac';
import {
  allowedRepositoriesOf,
  defaultPolicies,
  platformExemptions,
  resolvePolicyModes,
  reviewReference,
} from './policies/defaults';
import { PolicyLibrary } from './policies/library';
import { DatabaseCredentials } from '../platform/external-secrets/credentials';
import { ExternalSecretsInstall } from './secrets/external-secrets-install';
import { SealedSecretsInstall } from './secrets/sealed-secrets';
import { ClusterSecretStore, SecretStore, SecretStoreProvider, SecretStoreRef } from './secrets/secret-store';
import { SopsAgeKey, sopsConfig, SopsDecryption } from './secrets/sops';
import { SecuritySettings } from './settings';
import { PrometheusEndpoint, ServiceAccountHandle, serviceAccountUser } from '../platform/references';
import { ServiceEndpoint } from '../platform/service-endpoint';
import { checkProps } from '../platform/config-boundary/props';

/** The service-account annotation EKS reads for IRSA. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

const AWS_ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;

/** Options for {@link Security}. */
export interface SecurityProps extends SecuritySettings {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /**
   * The Prometheus the compliance report pushes to and whose namespace the
   * controller NetworkPolicies admit for scraping (the monitoring module's
   * `prometheus`, known before it is created: `kubePrometheusEndpoint`).
   * @default - none: no compliance report, no scrape admission
   */
  readonly prometheus?: PrometheusEndpoint;
  /**
   * The Alertmanager falcosidekick forwards Falco's events to (the monitoring
   * install's `alertmanager`), unless `falco.alertmanager` names another.
   * @default - none: `security.falco` needs `falco.alertmanager`
   */
  readonly alertmanager?: ServiceEndpoint;
  /**
   * Argo CD's namespace, when Argo CD runs here: the `default` AppProject it
   * creates at start-up is exempt from the review label.
   * @default - Argo CD does not run here
   */
  readonly argoCdNamespace?: string;
  /**
   * The Flux tenants: a Flux tenant of the same name as a security tenant
   * owns the tenant's reconciler.
   * @default []
   */
  readonly fluxTenants?: readonly string[];
  /**
   * Flux decrypts SOPS-encrypted manifests here: the age key Secret is written
   * from the secret store when `sops.ageKeyRemoteKey` is set.
   * @default false
   */
  readonly sopsDecryption?: boolean;
}

/**
 * The security and compliance module of an environment (settings from
 * `EnvironmentConfig.security`):
 *
 * - policy as code: the {@link PolicyLibrary} (synth-time checks over every
 *   manifest + Gatekeeper templates and constraints) and the Gatekeeper install;
 * - secrets: the External Secrets Operator with its ClusterSecretStores (Vault,
 *   AWS Secrets Manager), the seed's database credentials, Sealed Secrets, and
 *   SOPS decryption for Flux (`sops`);
 * - isolation: Pod Security admission labels on every Terraform-managed
 *   namespace, default-deny NetworkPolicies for the controller namespaces,
 *   least-privilege tenant roles;
 * - audit: Falco with the GitOps rules (`falco`) and the weekly compliance report;
 * - scanning: Trivy Operator's vulnerability, exposed-secret and
 *   configuration-audit reports (`scanning`);
 * - a compliance summary in `gitops_security_status.security`.
 *
 * Created first in every stack, so the other modules' manifests are checked by
 * its policies. Namespace labels and network policies are applied when the
 * tree is rendered, once every module has created its namespaces.
 */
export class Security extends Construct {
  /** The policy library. */
  public readonly policies: PolicyLibrary;
  /** The Gatekeeper install. */
  public readonly gatekeeper: GatekeeperInstall;
  /** The External Secrets Operator install. */
  public readonly externalSecrets: ExternalSecretsInstall;
  /** The Sealed Secrets controller install. */
  public readonly sealedSecrets: SealedSecretsInstall;
  /** The ClusterSecretStores, by provider. */
  public readonly secretStores: ReadonlyMap<'vault' | 'aws', ClusterSecretStore>;
  /** The store ExternalSecrets use by default (undefined when no store is configured). */
  public readonly defaultStore?: SecretStoreRef;
  /** SOPS decryption for Flux Kustomizations: `spec.decryption = security.sops.toJson()`. */
  public readonly sops: SopsDecryption;
  /** Tenants, by name. */
  public readonly tenants: ReadonlyMap<string, TenantRbac>;
  /** The tenants' own SecretStores (`security.tenants[].secretStore`), by tenant. */
  public readonly tenantStores: ReadonlyMap<string, SecretStore>;
  /** Falco with the GitOps rules (when `security.falco` is set). */
  public readonly falco?: Falco;
  /** The security scanner (when `security.scanning` is set). */
  public readonly scanning?: TrivyOperator;
  /** The compliance report job (when monitoring is on). */
  public readonly complianceReport?: ComplianceReportJob;
  /** The security review reference of the environment (`labels[reviewLabel]`). */
  public readonly reviewReference?: string;
  private readonly platform: Platform;
  private readonly podSecurity = new Map<string, PodSecurityLevel>();
  private readonly settings: SecuritySettings;
  private readonly prometheus?: PrometheusEndpoint;
  private readonly sopsDecryption: boolean;
  private readonly exceptions: Readonly<Record<string, { level: PodSecurityLevel }>>;
  private readonly controllerAccounts: ServiceAccountHandle[] = [];
  private readonly isolated: string[] = [];

  constructor(scope: Construct, id: string, props: SecurityProps = {}) {
    super(scope, id);
    checkProps(this, 'SecurityProps', props);
    const platform = props.platform ?? Platform.of(this);
    this.platform = platform;
    const env = platform.environment;
    const settings: SecuritySettings = props;
    this.settings = settings;
    this.prometheus = props.prometheus;
    this.sopsDecryption = props.sopsDecryption ?? false;
    const where = `Environment "${env.name}"`;

    // Policy as code.
    this.reviewReference = reviewReference(env, settings);
    this.gatekeeper = new GatekeeperInstall(this, 'Gatekeeper', { platform, replicas: settings.gatekeeperReplicas, values: settings.values?.gatekeeper });
    this.policies = new PolicyLibrary(this, 'Policies', {
      platform,
      policies: defaultPolicies(where, settings),
      policyEnforcement: resolvePolicyModes(where, settings),
      exemptions: [...platformExemptions(env, settings, props.argoCdNamespace), ...(settings.exemptions ?? [])],
    });

    // Secrets.
    // The AWS store's JWT auth needs IRSA: the role on the operator's service account.
    if (settings.aws && (typeof settings.aws.roleArn !== 'string' || !AWS_ROLE_ARN.test(settings.aws.roleArn))) {
      throw new ConfigError(
        where,
        'security.aws.roleArn',
        settings.aws.roleArn,
        'The AWS store authenticates with the external-secrets service account\'s JWT (IRSA): set the ARN of the IAM role it assumes, such as "arn:aws:iam::111122223333:role/external-secrets".',
      );
    }
    this.externalSecrets = new ExternalSecretsInstall(this, 'ExternalSecrets', {
      values: settings.values?.externalSecrets,
      platform,
      serviceAccountAnnotations: settings.aws ? { [IRSA_ROLE_ANNOTATION]: settings.aws.roleArn } : {},
    });
    this.sealedSecrets = new SealedSecretsInstall(this, 'SealedSecrets', { platform, values: settings.values?.sealedSecrets });
    const storesChart = platform.tree.chart('infrastructure', 'security-secret-stores');
    const stores = new Map<'vault' | 'aws', ClusterSecretStore>();
    if (settings.vault) {
      const v = settings.vault;
      stores.set('vault', new ClusterSecretStore(storesChart, 'Vault', {
        name: v.name ?? 'vault-backend',
        provider: SecretStoreProvider.vault({ server: v.server, path: v.path, version: v.version, authMountPath: v.authMountPath, role: v.role }),
      }));
    }
    if (settings.aws) {
      stores.set('aws', new ClusterSecretStore(storesChart, 'Aws', {
        name: settings.aws.name ?? 'aws-secretsmanager',
        provider: SecretStoreProvider.awsSecretsManager({ region: settings.aws.region }),
      }));
    }
    this.secretStores = stores;
    const defaultKind = settings.defaultStore ?? (stores.has('vault') ? 'vault' : 'aws');
    if (settings.defaultStore && !stores.has(settings.defaultStore)) {
      throw new ConfigError(where, 'security.defaultStore', settings.defaultStore, `Configure security.${settings.defaultStore} first, or choose a configured store.`);
    }
    this.defaultStore = stores.get(defaultKind)?.ref;
    // The other modules' ExternalSecrets read from this store (storeSecret).
    if (this.defaultStore) platform.secrets.useSecretStore({ name: this.defaultStore.name, kind: this.defaultStore.kind });

    const needsStore = (field: string): SecretStoreRef => {
      if (!this.defaultStore) throw new ConfigError(where, field, 'set', 'Configure a secret store (security.vault or security.aws) first.');
      return this.defaultStore;
    };
    const tenantNames = new Set((settings.tenants ?? []).map((t) => t.name));
    // A tenant's own store: its ExternalSecrets log in to Vault as the tenant.
    const tenantStores = new Map<string, SecretStore>();
    for (const [index, tenant] of (settings.tenants ?? []).entries()) {
      if (!tenant.secretStore) continue;
      const field = `security.tenants[${index}].secretStore`;
      if (!settings.vault) throw new ConfigError(where, field, tenant.name, 'A tenant\'s store logs in to Vault: configure security.vault, or remove the tenant\'s secretStore.');
      const serviceAccount = tenant.secretStore.serviceAccount ?? 'external-secrets-sa';
      const chart = platform.tree.chart('tenants', `security-tenant-${tenant.name}`);
      new KubeServiceAccount(chart, `SecretStoreAccount-${tenant.name}`, { metadata: { name: serviceAccount, namespace: tenant.name }, automountServiceAccountToken: false });
      const v = settings.vault;
      tenantStores.set(tenant.name, new SecretStore(chart, `SecretStore-${tenant.name}`, {
        name: tenant.secretStore.name ?? 'vault-backend',
        namespace: tenant.name,
        provider: SecretStoreProvider.vault({ server: v.server, path: v.path, version: v.version, authMountPath: v.authMountPath, role: tenant.secretStore.vaultRole, serviceAccount: { name: serviceAccount } }),
      }));
    }
    this.tenantStores = tenantStores;
    if (settings.databaseCredentials) {
      const db = settings.databaseCredentials;
      const section = tenantNames.has(db.namespace) ? 'tenants' : 'infrastructure';
      new DatabaseCredentials(platform.tree.chart(section, 'security-database-credentials'), 'DatabaseCredentials', {
        namespace: db.namespace,
        remoteKey: db.remoteKey,
        secretName: db.secretName,
        store: tenantStores.get(db.namespace)?.ref ?? needsStore('security.databaseCredentials'),
      });
    }
    const sops = settings.sops ?? {};
    this.sops = SopsDecryption.age(sops.ageKeySecret ?? 'sops-age');
    if (sops.ageKeyRemoteKey && props.sopsDecryption) {
      new SopsAgeKey(platform.tree.chart('infrastructure', 'security-sops'), 'AgeKey', {
        secretName: this.sops.secretName,
        remoteKey: sops.ageKeyRemoteKey,
        store: needsStore('security.sops.ageKeyRemoteKey'),
      });
    }
    if (sops.ageRecipients) platform.tree.addFile('.sops.yaml', sopsConfig(sops.ageRecipients));

    // Isolation.
    const exceptions = this.exceptions = validatePodSecurityExceptions(where, settings.podSecurityExceptions ?? DEFAULT_POD_SECURITY_EXCEPTIONS);
    const ingressNamespace = settings.ingressNamespace ?? prerequisitesOf(env).ingress?.namespace ?? 'ingress-nginx';
    const tenants = new Map<string, TenantRbac>();
    // A Flux tenant of the same name owns the reconciler (least privilege, used by its Kustomization).
    const fluxTenants = new Set(props.fluxTenants ?? []);
    for (const tenant of settings.tenants ?? []) {
      if (tenants.has(tenant.name)) throw new ConfigError(where, 'security.tenants', tenant.name, 'Define each tenant once.');
      platform.namespace(tenant.name, { 'toolkit.fluxcd.io/tenant': tenant.name });
      tenants.set(tenant.name, new TenantRbac(platform.tree.chart('tenants', `security-tenant-${tenant.name}`), 'Tenant', {
        namespace: tenant.name,
        developerGroups: tenant.developerGroups,
        viewerGroups: tenant.viewerGroups,
        allowPortForward: env.tier !== 'production',
        ingressNamespace,
        reconciler: !fluxTenants.has(tenant.name),
      }));
    }
    this.tenants = tenants;

    // Audit.
    const allowed = allowedRepositoriesOf(where, settings);
    if (settings.falco) {
      const alertmanager = settings.falco.alertmanager ?? props.alertmanager;
      if (!alertmanager) {
        throw new ConfigError(where, 'security.falco.alertmanager', undefined, 'falcosidekick forwards to Alertmanager: turn the monitoring module on, or give the Alertmanager Service to use.');
      }
      const falcoNamespace = settings.falcoNamespace ?? 'falco-system';
      this.falco = new Falco(this, 'Falco', {
        platform,
        ...settings.falco,
        namespace: falcoNamespace,
        alertmanager,
        rules: () => [
          unauthorizedRepositoryAccessRule(allowed),
          // Falco's own release is registered after its rules are produced: its namespace is named here.
          gitopsDriftRule({ controllerUsers: this.gitopsControllerUsers(), ignoredNamespaces: [...new Set([...this.policies.controllerNamespaces(), falcoNamespace])] }),
        ],
      });
    }
    if (settings.scanning) this.scanning = new TrivyOperator(this, 'Scanning', { platform, ...settings.scanning });
    if (props.prometheus) {
      const report = settings.complianceReport ?? {};
      if (report.recipients === undefined) {
        throw new ConfigError(
          where,
          'security.complianceReport.recipients',
          undefined,
          'With the monitoring module on, the security module runs the weekly compliance report: list the e-mail addresses it goes to.',
        );
      }
      platform.namespace(props.prometheus.namespace);
      this.complianceReport = new ComplianceReportJob(platform.tree.chart('infrastructure', 'security-compliance-report'), 'ComplianceReport', {
        environment: env.name,
        image: report.image,
        schedule: report.schedule,
        recipients: report.recipients,
        prometheusUrl: report.prometheusUrl ?? props.prometheus.url,
        podSecurityDefault: defaultPodSecurityLevel(env.tier),
        podSecurityExceptions: Object.fromEntries(Object.entries(exceptions).map(([ns, e]) => [ns, e.level])),
        apiServerCidrs: settings.egressCidrs ?? ['0.0.0.0/0'],
      });
      const reporter = { namespace: this.complianceReport.namespace, podLabels: this.complianceReport.podLabels };
      platform.requireFlow({ from: reporter, to: { external: 'Kubernetes API server' }, port: 443, why: 'the compliance report reads constraints, namespaces and Applications' });
      const prometheus = this.complianceReport.prometheus;
      if (prometheus.namespace) {
        platform.requireFlow({ from: reporter, to: { namespace: prometheus.namespace }, port: prometheus.port, why: `the compliance report queries the firing alerts (${prometheus.url})` });
      }
    }

    // Namespace labels and network policies need every module's namespaces:
    // applied once every module is constructed, before the tree is rendered.
    const egressCidrs = settings.egressCidrs ?? ['0.0.0.0/0'];
    platform.beforeRender(() => this.applyIsolation(exceptions, ingressNamespace, egressCidrs));

    platform.status.set('gitops_security_status', 'security', this.summary());
  }

  /**
   * The Pod Security level `namespace` will enforce: its exception
   * (`podSecurityExceptions`), else the tier's default (restricted in
   * production, baseline elsewhere). Give it to modules that shape their pods
   * for the level (`Delivery` prop `podSecurityLevelOf`).
   */
  public readonly podSecurityLevelOf = (namespace: string): PodSecurityLevel =>
    podSecurityLevelFor(namespace, this.platform.environment.tier, this.exceptions);

  /**
   * Adds the service accounts of GitOps controllers (`ArgoCd.controllerAccounts`,
   * `Flux.controllerAccounts`): the Falco drift rule lets them change
   * GitOps-managed resources.
   */
  public addGitOpsControllers(...accounts: ServiceAccountHandle[]): void {
    this.controllerAccounts.push(...accounts);
  }

  /** The Pod Security level enforced per Terraform-managed namespace (after synthesis). */
  public get podSecurityLevels(): Readonly<Record<string, PodSecurityLevel>> {
    return recordFrom([...this.podSecurity.entries()].sort(([a], [b]) => compareNames(a, b)));
  }

  /** The controller namespaces isolated by NetworkPolicies (after synthesis). */
  public get isolatedNamespaces(): readonly string[] {
    return [...this.isolated].sort();
  }

  /**
   * Labels every Terraform-managed namespace with Pod Security admission labels
   * (labels a module set itself are kept) and adds the NetworkPolicies of the
   * controller namespaces that have a profile. Runs once, as a before-render
   * hook, when every module has created its namespaces.
   */
  private applyIsolation(
    exceptions: Readonly<Record<string, { level: PodSecurityLevel }>>,
    ingressNamespace: string,
    egressCidrs: readonly string[],
  ): void {
    const platform = this.platform;
    const fallback = defaultPodSecurityLevel(platform.environment.tier);
    for (const name of platform.namespaceNames) {
      if (name.startsWith('kube-')) continue;
      const ns = platform.namespace(name);
      const current = (ns.metadata.labelsInput as Record<string, string> | undefined) ?? {};
      const own = current[`${POD_SECURITY_PREFIX}/enforce`] as PodSecurityLevel | undefined;
      const level = own ?? exceptions[name]?.level ?? fallback;
      const labels = podSecurityLabels(level);
      const missing = Object.fromEntries(Object.entries(labels).filter(([key]) => !(key in current)));
      platform.namespace(name, missing);
      this.podSecurity.set(name, level);
    }
    const controllerNamespaces = [...new Set(platform.controllerReleases.map((c) => c.namespace))].sort();
    const scraper = this.prometheus?.namespace;
    const monitoring = scraper !== undefined && platform.namespaceNames.includes(scraper) ? scraper : undefined;
    const chart = platform.tree.chart('infrastructure', 'security-network-policies');
    const profiles = Object.fromEntries(
      controllerNamespaces
        .filter((ns) => DEFAULT_NETWORK_PROFILES[ns])
        .map((ns) => {
          const base = DEFAULT_NETWORK_PROFILES[ns];
          // What the controllers installed here declare they reach (SMTP, Git over SSH).
          const declared = platform.controllerReleases.filter((c) => c.namespace === ns).flatMap((c) => c.egressPorts);
          return [ns, declared.length > 0 ? { ...base, extraEgressPorts: [...(base.extraEgressPorts ?? []), ...declared] } : base];
        }),
    );
    // What one namespace reaches in another is let in at the other end too.
    const ingressFrom = ingressFromProfiles(profiles);
    for (const [ns, profile] of Object.entries(profiles)) {
      new ControllerNetworkPolicy(chart, `Isolation-${ns}`, {
        namespace: ns,
        profile,
        ingressNamespace,
        monitoringNamespace: monitoring,
        egressCidrs,
        ingressFromNamespaces: ingressFrom[ns],
      });
      this.isolated.push(ns);
    }
  }

  /** The users allowed to change GitOps-managed resources (Falco drift rule). */
  private gitopsControllerUsers(): string[] {
    return [
      { namespace: this.externalSecrets.namespace, name: this.externalSecrets.serviceAccountName },
      { namespace: this.sealedSecrets.namespace, name: this.sealedSecrets.controllerName },
      ...this.controllerAccounts,
    ].map(serviceAccountUser);
  }

  private falcoSummary(falco: Falco): unknown {
    return {
      ...(falco.installed ? falco.install.describe() : {}),
      driver: 'modern_ebpf',
      rules_file: `rules.d/${GITOPS_RULES_FILE}`,
      rules: falco.ruleNames(),
      kubernetes_audit: falco.kubernetesAudit,
      forwards_to: `${falco.alertmanager.namespace}/${falco.alertmanager.name}`,
      minimum_priority: falco.minimumPriority,
    };
  }

  private summary(): unknown {
    const env = this.platform.environment;
    const settings = this.settings;
    const library = this.policies;
    return {
      review: { label: settings.reviewLabel ?? null, reference: this.reviewReference ?? null },
      policies: {
        enforcement: library.enforcement.mode,
        gatekeeper_action: library.enforcement.gatekeeperAction,
        synth_time: library.enforcement.synthBehaviour,
        active: library.policies.map((p) => ({
          id: p.id,
          constraint_kind: p.constraintKind,
          template: p.templateName,
          mode: library.enforcementOf(p.id).mode,
          gatekeeper_action: library.enforcementOf(p.id).gatekeeperAction,
          synth_time: library.enforcementOf(p.id).synthBehaviour,
        })),
        inactive: library.inactivePolicies.map((p) => p.id),
        exemptions: Lazy.numberValue({ produce: () => library.exemptions.length }),
        allowed_repositories: [...allowedRepositoriesOf(`Environment "${env.name}"`, settings)],
      },
      gatekeeper: { ...this.gatekeeper.install.describe(), replicas: this.gatekeeper.replicas },
      external_secrets: {
        ...this.externalSecrets.install.describe(),
        stores: [...this.secretStores.values()].map((s) => ({ name: s.ref.name, kind: s.ref.kind, ...s.provider.describe() })),
        default_store: this.defaultStore?.name ?? null,
      },
      sealed_secrets: { ...this.sealedSecrets.install.describe(), controller: this.sealedSecrets.controllerName },
      sops: {
        decryption_secret: this.sops.secretName,
        key_source: settings.sops?.ageKeyRemoteKey && this.sopsDecryption ? 'external-secret' : 'out-of-band',
      },
      pod_security: Lazy.anyValue({ produce: () => ({ default: defaultPodSecurityLevel(env.tier), namespaces: this.podSecurityLevels }) }),
      network_policies: Lazy.anyValue({ produce: () => ({ isolated_namespaces: this.isolatedNamespaces }) }),
      tenants: [...this.tenants.keys()].sort(),
      falco: this.falco ? Lazy.anyValue({ produce: () => this.falcoSummary(this.falco!) }) : null,
      compliance_report: this.complianceReport
        ? { cron_job: `${this.complianceReport.namespace}/${this.complianceReport.cronJob.name}`, schedule: this.complianceReport.schedule, image: this.complianceReport.image }
        : null,
    };
  }
}
