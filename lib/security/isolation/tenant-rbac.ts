import { Construct } from 'constructs';
import { KubeNetworkPolicy, KubeRole, KubeRoleBinding, KubeServiceAccount, PolicyRule, Subject } from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../../platform/errors';
import { TENANT_RESOURCES, tenantReconcilerRules } from '../../platform/namespace-security';

const READ = ['get', 'list', 'watch'];

/** Options for {@link TenantRbac}. */
export interface TenantRbacProps {
  /** The tenant's namespace. */
  readonly namespace: string;
  /**
   * Groups (OIDC) that may read workloads and logs and port-forward (outside production).
   * @default []
   */
  readonly developerGroups?: readonly string[];
  /**
   * Groups that may read workloads.
   * @default []
   */
  readonly viewerGroups?: readonly string[];
  /**
   * Allow developers to port-forward (never in production).
   * @default false
   */
  readonly allowPortForward?: boolean;
  /**
   * The ingress controller's namespace (allowed in by the tenant's network policy).
   * @default 'ingress-nginx'
   */
  readonly ingressNamespace?: string;
  /**
   * Create the reconciler service account `tenant-reconciler` and its Role. Leave
   * it off when another construct owns the tenant's reconciler (the Flux module's
   * tenant, which gets {@link tenantReconcilerRules}): one reconciler per tenant.
   * @default true
   */
  readonly reconciler?: boolean;
}

/** The name of the tenant reconciler service account (Flux `serviceAccountName`). */
export const TENANT_RECONCILER = 'tenant-reconciler';

/**
 * Least privilege for a team tenant (seed 001 `team-a`, without its
 * `*`/`*`/`*` role): a reconciler service account for the tenant's Flux
 * Kustomization that may manage the listed workload kinds in its own
 * namespace only (no RBAC, no Secrets, no NetworkPolicies: secrets come from
 * ExternalSecrets or SealedSecrets), a read-only developer role (logs,
 * port-forward outside production) and a viewer role, and a network policy
 * that admits traffic only from the namespace itself and the ingress controller.
 */
export class TenantRbac extends Construct {
  /** The reconciler service account's name, when this construct creates it. */
  public readonly reconcilerServiceAccount?: string;
  /** The namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: TenantRbacProps) {
    super(scope, id);
    const ns = props.namespace;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns ?? '')) {
      throw new ConfigError(this.node.path, 'namespace', ns, 'Use a namespace name (a lowercase DNS label).');
    }
    for (const group of [...(props.developerGroups ?? []), ...(props.viewerGroups ?? [])]) {
      if (typeof group !== 'string' || group.trim() === '' || /\s/.test(group)) {
        throw new ConfigError(this.node.path, 'groups', group, 'Use group names as the identity provider sends them (such as "<organization>:<team>"), without spaces.');
      }
    }
    this.namespace = ns;
    const rules = (verbs: string[]): PolicyRule[] =>
      Object.entries(TENANT_RESOURCES).map(([group, resources]) => ({ apiGroups: [group], resources: [...resources], verbs: [...verbs] }));

    if (props.reconciler ?? true) {
      this.reconcilerServiceAccount = TENANT_RECONCILER;
      new KubeServiceAccount(this, 'Reconciler', {
        metadata: { name: TENANT_RECONCILER, namespace: ns },
        automountServiceAccountToken: false,
      });
      this.role('ReconcilerRole', TENANT_RECONCILER, tenantReconcilerRules(), [{ kind: 'ServiceAccount', name: TENANT_RECONCILER, namespace: ns }]);
    }

    const podRead: PolicyRule[] = [{ apiGroups: [''], resources: ['events', 'pods', 'pods/log'], verbs: [...READ] }];
    const developer = [...rules(READ), ...podRead];
    if (props.allowPortForward) developer.push({ apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] });
    this.role('DeveloperRole', 'tenant-developer', developer, groups(props.developerGroups));
    this.role('ViewerRole', 'tenant-viewer', [...rules(READ), { apiGroups: [''], resources: ['events', 'pods'], verbs: [...READ] }], groups(props.viewerGroups));

    new KubeNetworkPolicy(this, 'Isolation', {
      metadata: { name: 'tenant-isolation', namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { podSelector: {} },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.ingressNamespace ?? 'ingress-nginx' } } },
            ],
          },
        ],
      },
    });
  }

  private role(id: string, name: string, rules: PolicyRule[], subjects: Subject[]): void {
    new KubeRole(this, id, { metadata: { name, namespace: this.namespace }, rules });
    if (subjects.length > 0) {
      new KubeRoleBinding(this, `${id}Binding`, {
        metadata: { name, namespace: this.namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects,
      });
    }
  }
}

function groups(names: readonly string[] | undefined): Subject[] {
  return [...(names ?? [])].sort().map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name }));
}
