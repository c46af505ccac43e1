import type { AdminAccount } from './admin-account';
import type { SecretStoreReference } from './external-secret';
import type { NotificationService } from './notification-service';
import type { NotificationSubscription } from './notifications';
import type { RbacPolicy } from './rbac';
import type { ArgoCdComponent, ResourceRequirements } from './resources';
import type { ArgoCdSso } from './sso';

/** The Argo CD server's ingress. */
export interface ArgoCdIngressSettings {
  /** Host name. @default `argocd.<environment domain>` */
  readonly host?: string;
  /** Secret with the TLS certificate for the host (cert-manager or your own). @default 'argocd-server-tls' */
  readonly tlsSecretName?: string;
  /** Ingress class. @default - `prerequisites.ingress.className` ('nginx') */
  readonly className?: string;
  /** Extra annotations (cert-manager issuer ...). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Notifications of an environment. Templates and the four catalogue triggers come from the module. */
export interface ArgoCdNotificationSettings {
  /** The services; their credentials are `$key` references to the notifications Secret. @default [NotificationService.slack()] */
  readonly services?: readonly NotificationService[];
  /** Default subscriptions, applied to every Application. @default [] */
  readonly subscriptions?: readonly NotificationSubscription[];
  /** Key of the remote secret that holds the notification credentials. @default 'argocd/notifications' */
  readonly remoteKey?: string;
}

/** A workload cluster registered with this environment's Argo CD (hub-spoke). */
export interface ArgoCdClusterSettings {
  /** Cluster name (`prod-us-east`). */
  readonly name: string;
  /** API server URL (https). */
  readonly server: string;
  /** Labels ApplicationSets select on; `environment` and `gitops.platform/cluster-role: workload` are added. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Key of the remote secret with `bearerToken` and `caData`. @default `clusters/<name>` */
  readonly remoteKey?: string;
}

/** A team: its AppProject, namespaces and ApplicationSet. */
export interface ArgoCdTeamSettings {
  /** Team name (`team-a`); the project and the namespace prefix. */
  readonly name: string;
  /** The team's applications repository (https). */
  readonly repoUrl: string;
  /** Directory glob of the team's applications in that repository. @default 'apps/*' */
  readonly appsPath?: string;
  /** Namespaces created for the team, each `<team>-<something>`. @default [] */
  readonly namespaces?: readonly string[];
  /** SSO groups with the developer role (get, sync). @default [`<team>-developers`] */
  readonly developerGroups?: readonly string[];
  /** SSO groups with the admin role (everything in the project). @default [`<team>-admins`] */
  readonly adminGroups?: readonly string[];
  /** Image Updater semver constraint for the team's images (`~1.0`). @default - no image updates */
  readonly imageConstraint?: string;
  /** Registry prefix of the team's images; the image is `<prefix>/<app>`. Required with `imageConstraint`. @default - none */
  readonly imageRegistry?: string;
}

/** Argo CD Image Updater. */
export interface ArgoCdImageUpdaterSettings {
  /** Install Image Updater and its ImageUpdater resource. @default true */
  readonly enabled?: boolean;
  /** Requests and limits of the controller. @default - 50m/128Mi requested, 250m/256Mi limit */
  readonly resources?: ResourceRequirements;
  /** Branch Image Updater commits new tags to (`main:image-updates` pushes to a side branch). @default - the Application's revision */
  readonly writeBackBranch?: string;
  /**
   * Values for the `argocd-image-updater` chart, merged over the module's own last: the
   * escape hatch for a setting without a prop. Every path must exist in the
   * chart's defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Per-environment Argo CD settings (`EnvironmentConfig.argocd`). */
export interface ArgoCdSettings {
  /** The server's ingress. @default - `argocd.<domain>`, TLS from `argocd-server-tls`, class nginx */
  readonly ingress?: ArgoCdIngressSettings;
  /** The local admin account. @default AdminAccount.disabled() */
  readonly admin?: AdminAccount;
  /** Single sign-on. @default - none (local accounts only) */
  readonly sso?: ArgoCdSso;
  /**
   * The global RBAC policy; every project it grants must exist here.
   * @default RbacPolicy.readOnly() (authenticated users read, nothing more)
   */
  readonly rbac?: RbacPolicy;
  /** Requests and limits per component. @default - sized by the environment's tier */
  readonly resources?: Readonly<Partial<Record<ArgoCdComponent, ResourceRequirements>>>;
  /**
   * The External Secrets store the SSO, notification and cluster credentials
   * come from. `GitOpsStack` passes the security module's `defaultStore`
   * unless the environment names another here.
   * @default - none: the Secrets are prerequisites (SECRETS.md)
   */
  readonly secretStore?: SecretStoreReference;
  /** Notifications. @default - Slack, no default subscriptions */
  readonly notifications?: ArgoCdNotificationSettings;
  /** Workload clusters managed from this environment's Argo CD. @default [] */
  readonly clusters?: readonly ArgoCdClusterSettings[];
  /**
   * Path (in the GitOps repository) of the baseline every workload cluster gets,
   * when it is maintained outside this tree (it must exist there).
   * @default - the generated baseline `<gitops.path>/cluster-baseline` (ClusterBaseline)
   */
  readonly workloadBaselinePath?: string;
  /**
   * The namespaces the generated baseline gives every workload cluster (Pod
   * Security at the environment's level, default container resources, ingress
   * from the namespace only).
   * @default ['workloads']
   */
  readonly workloadNamespaces?: readonly string[];
  /** Teams. @default [] */
  readonly teams?: readonly ArgoCdTeamSettings[];
  /** Image Updater. @default - installed */
  readonly imageUpdater?: ArgoCdImageUpdaterSettings;
  /**
   * Values for the `argo-cd` chart, merged over the module's own last: the
   * escape hatch for a setting without a prop. Every path must exist in the
   * chart's defaults at the pinned version; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}
