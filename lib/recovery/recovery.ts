import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Platform } from '../platform/platform';
import { toYaml } from '../platform/yaml';
import { checkProps } from '../platform/config-boundary/props';
import { storeSecret } from '../platform/external-secrets/store-secret';
import { SecretStoreHandle } from '../platform/secrets';
import { VELERO_CREDENTIALS_KEY, VELERO_CREDENTIALS_SECRET } from './credentials';
import { BACKUP_STORAGE_LOCATION, VeleroInstall } from './install';
import { restoreFrom } from './restore';
import { BackupSchedule, isCron, isDuration } from './schedule';
import { BackupScheduleSettings, RecoverySettings } from './settings';

/** The file of the restore procedure's Restore objects in a standby's tree (not synced). */
export const RESTORE_FILE = 'recovery/restore.yaml';

/** The kinds that run pods: a namespace where the tree has one is rebuilt from the tree, not restored. */
const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Rollout']);

/** Options for {@link Recovery}: the environment's `recovery` settings, plus the store its credentials may come from. */
export interface RecoveryProps extends RecoverySettings {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /**
   * The secret store `BackupCredentials.fromSecretStore` credentials come from (the security module's
   * `defaultStore`, or a store of your own).
   * @default - none: the credentials Secret is a prerequisite (SECRETS.md)
   */
  readonly secretStore?: SecretStoreHandle;
}

/** The default schedule: daily at 02:00 UTC, kept 30 days in production and 7 elsewhere, with volumes. */
export function defaultSchedules(production: boolean): BackupScheduleSettings[] {
  return [{ name: 'platform', cron: '0 2 * * *', ttl: production ? '720h' : '168h', volumes: true }];
}

/**
 * Disaster recovery with Velero (settings from `EnvironmentConfig.recovery`).
 *
 * A **primary** installs Velero with its storage location read-write and
 * ships a `Schedule` per backup schedule in `infrastructure/recovery-schedules.yaml`:
 * the platform's namespaces (those Terraform creates and the tree's Namespace
 * objects, plus each schedule's `extraNamespaces`) with their pod volumes.
 *
 * A **standby** (`standby.for`) installs Velero on the primary's location,
 * read-only, ships no Schedule, and writes the Restore objects of the restore
 * procedure to `recovery/restore.yaml` (not synced): the sealing keys first,
 * then the namespaces whose workloads the standby does not install itself.
 * Its sync must be held (`syncPolicy.automated: false`) until it is promoted.
 */
export class Recovery extends Construct {
  /** The Velero install. */
  public readonly velero: VeleroInstall;
  /** The Schedules (a primary's; empty on a standby). */
  public readonly schedules: BackupSchedule[] = [];
  /** The Restore objects of the restore procedure (a standby's, once the tree is rendered). */
  public restores: readonly Record<string, unknown>[] = [];
  /** `primary` or `standby`. */
  public readonly role: 'primary' | 'standby';
  /** The secret store its ExternalSecrets read from (the `secretStore` prop); undefined: the Secrets are prerequisites. */
  public readonly secretStore?: SecretStoreHandle;
  private readonly platform: Platform;
  private readonly settings: RecoverySettings;
  private readonly scheduleSettings: readonly BackupScheduleSettings[];

  constructor(scope: Construct, id: string, props: RecoveryProps) {
    super(scope, id);
    checkProps(this, 'RecoveryProps', props);
    const platform = props.platform ?? Platform.of(this);
    this.platform = platform;
    const env = platform.environment;
    const where = `Environment "${env.name}"`;
    const { platform: _platform, secretStore: _store, ...settings } = props;
    this.settings = settings;
    const standby = settings.standby;
    this.role = standby ? 'standby' : 'primary';
    if (standby) {
      if (typeof standby.for !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(standby.for) || standby.for === env.name) {
        throw new ConfigError(where, 'recovery.standby.for', standby.for, 'Name the environment this one stands in for, such as "prod".');
      }
      if (env.syncPolicy.automated) {
        throw new ConfigError(
          where,
          'syncPolicy.automated',
          true,
          `A standby holds its sync until it is promoted: set syncPolicy.automated to false (the root app syncs by hand, the Flux Kustomizations are suspended), and release it in the promotion (lib/recovery/README.md).`,
        );
      }
    }
    this.scheduleSettings = settings.schedules ?? defaultSchedules(env.tier === 'production');
    const names = new Set<string>();
    for (const [i, s] of this.scheduleSettings.entries()) {
      if (names.has(s.name)) throw new ConfigError(where, `recovery.schedules[${i}].name`, s.name, 'Give each schedule its own name.');
      names.add(s.name);
      if (!isCron(s.cron)) throw new ConfigError(where, `recovery.schedules[${i}].cron`, s.cron, 'Use five cron fields in UTC such as "0 2 * * *", or "@every 6h".');
      if (!isDuration(s.ttl)) throw new ConfigError(where, `recovery.schedules[${i}].ttl`, s.ttl, 'Use a duration in hours such as "720h" (30 days).');
    }
    if (this.scheduleSettings.length === 0) {
      throw new ConfigError(where, 'recovery.schedules', [], 'Give at least one schedule (a standby names the primary\'s schedules, to restore from them).');
    }
    if (standby?.schedule !== undefined && !names.has(standby.schedule)) {
      throw new ConfigError(where, 'recovery.standby.schedule', standby.schedule, `Name one of the schedules: ${[...names].join(', ')}.`);
    }

    this.velero = new VeleroInstall(this, 'Velero', {
      platform,
      namespace: settings.namespace,
      storage: settings.storage,
      credentials: settings.credentials,
      accessMode: standby ? 'ReadOnly' : 'ReadWrite',
      nodeAgent: settings.nodeAgent,
      values: settings.values,
    });
    const namespace = this.velero.namespace;
    this.secretStore = props.secretStore;
    if (settings.credentials.remoteKey !== undefined) {
      storeSecret(platform, platform.tree.chart('infrastructure', 'recovery-credentials'), 'Credentials', {
        name: VELERO_CREDENTIALS_SECRET,
        namespace,
        keys: [VELERO_CREDENTIALS_KEY],
        remoteKey: settings.credentials.remoteKey,
        readBy: `Velero (server${this.velero.nodeAgent ? ' and node agent' : ''})`,
        store: this.secretStore,
      });
    }

    // The namespaces are known once every module has created its own.
    platform.beforeRender(() => {
      if (standby) this.writeRestore(standby.schedule ?? this.scheduleSettings[0]!.name);
      else for (const s of this.scheduleSettings) this.addSchedule(s);
    });
    platform.status.set('multi_environment_status', 'recovery', {
      role: this.role,
      stands_in_for: standby?.for ?? null,
      revision: env.gitops.revision,
      // A standby's tree is applied only when it is promoted (root app by hand, Kustomizations suspended).
      sync_held: !env.syncPolicy.automated,
      backup_location: {
        name: BACKUP_STORAGE_LOCATION,
        provider: settings.storage.provider ?? 'aws',
        bucket: settings.storage.bucket,
        prefix: settings.storage.prefix ?? null,
        region: settings.storage.region,
        access_mode: this.velero.accessMode,
      },
      velero: { ...this.velero.install.describe(), node_agent: this.velero.nodeAgent, plugin_image: this.velero.pluginImage },
      credentials: settings.credentials.describe(),
      schedules: this.scheduleSettings.map((s) => ({
        name: s.name,
        cron: s.cron,
        ttl: s.ttl,
        volumes: s.volumes ?? true,
        written_here: !standby,
      })),
      restore: standby ? { file: RESTORE_FILE, schedule: standby.schedule ?? this.scheduleSettings[0]!.name } : null,
    });
  }

  /**
   * The namespaces a schedule backs up: the Terraform-managed namespaces and
   * the tree's Namespace objects (not Velero's, not `kube-*`), plus its
   * `extraNamespaces`.
   */
  public namespacesOf(schedule: BackupScheduleSettings): string[] {
    const fromTree = this.platform.tree
      .objectIds()
      .filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1')
      .map((o) => o.name);
    const all = new Set([...this.platform.namespaceNames, ...fromTree, ...(schedule.extraNamespaces ?? [])]);
    return [...all].filter((ns) => ns !== this.velero.namespace && !ns.startsWith('kube-')).sort();
  }

  private addSchedule(s: BackupScheduleSettings): void {
    this.schedules.push(
      new BackupSchedule(this.platform.tree.chart('infrastructure', 'recovery-schedules'), `Schedule-${s.name}`, {
        name: s.name,
        namespace: this.velero.namespace,
        cron: s.cron,
        ttl: s.ttl,
        namespaces: this.namespacesOf(s),
        volumes: s.volumes,
      }),
    );
  }

  private writeRestore(scheduleName: string): void {
    const schedule = this.scheduleSettings.find((s) => s.name === scheduleName)!;
    // The standby rebuilds these itself: the controllers' namespaces from
    // Terraform, and the namespaces whose workloads its own tree describes
    // (under the standby's labels, which a restored copy would not carry).
    // What is left are the namespaces other repositories fill (the teams'
    // applications, with their volumes).
    const controllerNamespaces = [...new Set(this.platform.controllerReleases.map((c) => c.namespace))];
    const treeWorkloads = this.platform.tree
      .objectIds()
      .filter((o) => WORKLOAD_KINDS.has(o.kind) && o.namespace !== undefined)
      .map((o) => o.namespace!);
    const sealedSecrets = this.platform.controllerReleases.find((c) => c.chart.chart === 'sealed-secrets');
    this.restores = restoreFrom(
      { name: schedule.name, namespaces: this.namespacesOf(schedule) },
      {
        veleroNamespace: this.velero.namespace,
        skipNamespaces: [...controllerNamespaces, ...treeWorkloads],
        sealingKeysNamespace: sealedSecrets?.namespace,
      },
    );
    const header = [
      `# The restore procedure's Restore objects for ${this.platform.environment.name}, standby of ${this.settings.standby!.for}.`,
      `# Generated at synth time; not synced. Apply by hand (lib/recovery/README.md, Runbook): kubectl apply -f ${RESTORE_FILE}`,
    ];
    this.platform.tree.addFile(RESTORE_FILE, `${header.join('\n')}\n${this.restores.map((r) => `---\n${toYaml(r)}`).join('')}`);
  }
}
