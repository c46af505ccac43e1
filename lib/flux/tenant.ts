import { Construct } from 'constructs';
import { KubeNamespace, KubeRole, KubeRoleBinding, KubeServiceAccount } from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../platform/errors';
import { GitRepository } from './git-repository';
import { KustomizationHealthCheck, Kustomization, KustomizationReference } from './kustomization';
import { GitRef } from './source';
import { checkLabels, checkNamespace, checkSecretName, FLUX_NAMESPACE } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** The label Flux uses to mark a tenant's namespace. */
export const FLUX_TENANT_LABEL = 'toolkit.fluxcd.io/tenant';

/** Namespaces a tenant may never be given. */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', FLUX_NAMESPACE];

/** One rule of the tenant's Role. */
export interface FluxTenantRule {
  /** API groups (`""` for core, `*` for all). */
  readonly apiGroups: readonly string[];
  /** Resources (`deployments`, `*`). */
  readonly resources: readonly string[];
  /** Verbs (`get`, `*`). */
  readonly verbs: readonly string[];
}

/** Full control inside the tenant's own namespace (the seeds' rule); a Role cannot reach further. */
export const FLUX_TENANT_ADMIN_RULES: readonly FluxTenantRule[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

/** Options for {@link FluxTenant}. */
export interface FluxTenantProps {
  /** The tenant's name, which is also its namespace (a DNS label). */
  readonly name: string;
  /** The tenant's own Git repository (https or ssh URL). */
  readonly repoUrl: string;
  /**
   * The revision of the tenant repository to deploy.
   * @default GitRef.branch('main')
   */
  readonly ref?: GitRef;
  /**
   * Name of the Secret (in the tenant namespace) with the tenant repository's credentials.
   * @default `<name>-git-credentials`
   */
  readonly gitCredentialsSecret?: string;
  /**
   * The directory of the tenant repository to apply.
   * @default './'
   */
  readonly path?: string;
  /**
   * How often the tenant repository is fetched.
   * @default '1m'
   */
  readonly sourceInterval?: string;
  /**
   * How often the tenant Kustomization is reconciled.
   * @default '5m'
   */
  readonly interval?: string;
  /**
   * Delete tenant objects removed from the tenant repository.
   * @default true
   */
  readonly prune?: boolean;
  /**
   * Objects (in the tenant namespace) whose readiness makes the tenant ready.
   * @default []
   */
  readonly healthChecks?: readonly KustomizationHealthCheck[];
  /**
   * Kustomizations that must be ready before the tenant is applied.
   * @default - the platform's `infrastructure` Kustomization in flux-system
   */
  readonly dependsOn?: readonly (Kustomization | KustomizationReference)[];
  /**
   * The rules of the tenant's Role (namespace-scoped by construction).
   * @default FLUX_TENANT_ADMIN_RULES
   */
  readonly rules?: readonly FluxTenantRule[];
  /**
   * Extra labels on the tenant's namespace.
   * @default {}
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * Render the tenant's Namespace. Set false when the namespace has another
   * owner (the platform's Terraform-managed namespaces): one owner per object.
   * The owner then carries {@link FluxTenant.namespaceLabels}.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * A Flux tenant, as in the seeds' `team-a`: its namespace (labelled
 * `toolkit.fluxcd.io/tenant`), a reconciler ServiceAccount bound to a Role
 * (never a ClusterRole) in that namespace, and a GitRepository and
 * Kustomization in that namespace that apply the tenant's repository as the
 * reconciler, into that namespace (`targetNamespace`). With the Flux
 * multi-tenancy lockdown the tenant can neither reference sources elsewhere
 * nor act outside its namespace.
 *
 * Put it in a chart of the `tenants` section.
 */
export class FluxTenant extends Construct {
  /** The tenant's name and namespace. */
  public readonly name: string;
  /** The tenant namespace, when this tenant renders it (`createNamespace`). */
  public readonly namespace?: KubeNamespace;
  /** The labels the tenant namespace must carry (the tenant label and `namespaceLabels`). */
  public readonly namespaceLabels: Readonly<Record<string, string>>;
  /** The reconciler ServiceAccount. */
  public readonly serviceAccount: KubeServiceAccount;
  /** The Role in the tenant namespace. */
  public readonly role: KubeRole;
  /** The RoleBinding of the reconciler. */
  public readonly roleBinding: KubeRoleBinding;
  /** The tenant's source. */
  public readonly gitRepository: GitRepository;
  /** The tenant's Kustomization. */
  public readonly kustomization: Kustomization;
  /** The reconciler's name (ServiceAccount, Role and RoleBinding). */
  public readonly reconcilerName: string;

  constructor(scope: Construct, id: string, props: FluxTenantProps) {
    super(scope, id);
    checkProps(this, 'FluxTenantProps', props);
    const where = this.node.path;
    const name = checkNamespace(where, 'name', props.name);
    if (RESERVED_NAMESPACES.includes(name)) {
      throw new ConfigError(where, 'name', name, `That namespace is reserved (${RESERVED_NAMESPACES.join(', ')}); give the tenant its own name, such as "team-a".`);
    }
    if (props.rules !== undefined && props.rules.length === 0) {
      throw new ConfigError(where, 'rules', props.rules, 'Give the reconciler at least one rule, or leave rules unset for full control of the tenant namespace.');
    }
    checkLabels(where, 'namespaceLabels', props.namespaceLabels);
    if (props.namespaceLabels && FLUX_TENANT_LABEL in props.namespaceLabels) {
      throw new ConfigError(where, `namespaceLabels.${FLUX_TENANT_LABEL}`, props.namespaceLabels[FLUX_TENANT_LABEL], 'The tenant label is set from the tenant name; remove it.');
    }
    for (const [index, check] of (props.healthChecks ?? []).entries()) {
      if (check.namespace !== undefined && check.namespace !== name) {
        throw new ConfigError(where, `healthChecks[${index}].namespace`, check.namespace, `A tenant can only check objects in its own namespace (${name}).`);
      }
    }
    this.name = name;
    this.reconcilerName = `${name}-reconciler`;
    const credentials = checkSecretName(where, 'gitCredentialsSecret', props.gitCredentialsSecret ?? `${name}-git-credentials`);

    this.namespaceLabels = { ...(props.namespaceLabels ?? {}), [FLUX_TENANT_LABEL]: name };
    if (props.createNamespace ?? true) {
      this.namespace = new KubeNamespace(this, 'Namespace', { metadata: { name, labels: { ...this.namespaceLabels } } });
    }
    this.serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.reconcilerName, namespace: name },
      automountServiceAccountToken: false,
    });
    this.role = new KubeRole(this, 'Role', {
      metadata: { name: this.reconcilerName, namespace: name },
      rules: (props.rules ?? FLUX_TENANT_ADMIN_RULES).map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
      })),
    });
    this.roleBinding = new KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: this.reconcilerName, namespace: name },
      subjects: [{ kind: 'ServiceAccount', name: this.reconcilerName, namespace: name }],
      roleRef: { kind: 'Role', name: this.reconcilerName, apiGroup: 'rbac.authorization.k8s.io' },
    });
    this.gitRepository = new GitRepository(this, 'GitRepository', {
      name: `${name}-apps`,
      namespace: name,
      url: props.repoUrl,
      ref: props.ref ?? GitRef.branch('main'),
      interval: props.sourceInterval ?? '1m',
      secretRef: credentials,
    });
    this.kustomization = new Kustomization(this, 'Kustomization', {
      name: `${name}-apps`,
      namespace: name,
      source: this.gitRepository,
      path: props.path ?? './',
      interval: props.interval ?? '5m',
      prune: props.prune ?? true,
      targetNamespace: name,
      serviceAccountName: this.reconcilerName,
      healthChecks: props.healthChecks,
      dependsOn: props.dependsOn ?? [{ name: 'infrastructure', namespace: FLUX_NAMESPACE }],
    });
  }
}
