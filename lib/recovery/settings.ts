/**
 * Per-environment disaster-recovery settings (`EnvironmentConfig.recovery`):
 * where Velero keeps its backups, how it authenticates to the object store,
 * what it backs up and when, and whether the environment is a primary that
 * writes backups or a standby that restores them.
 */

import type { BackupCredentials } from './credentials';

/** The object store Velero writes backups to (its BackupStorageLocation `default`). */
export interface BackupStorageSettings {
  /**
   * The object-store plugin: `aws` (Amazon S3 and S3-compatible stores such as
   * MinIO or Ceph RGW, through `s3Url`). The plugin runs as an init container
   * of the Velero server, pinned by `pluginImage`.
   * @default 'aws'
   */
  readonly provider?: 'aws';
  /** The bucket (created beforehand, versioned, with its own lifecycle rules). */
  readonly bucket: string;
  /**
   * The folder inside the bucket: the primary writes there and its standby
   * reads the same folder.
   * @default - the bucket's root
   */
  readonly prefix?: string;
  /** The bucket's region (`us-east-1`). */
  readonly region: string;
  /**
   * The endpoint of an S3-compatible store (https); path-style addressing is
   * used with it.
   * @default - Amazon S3's regional endpoint
   */
  readonly s3Url?: string;
  /**
   * A KMS key (ID, ARN or alias) Velero asks S3 to encrypt backups with.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyId?: string;
  /**
   * The velero-plugin-for-aws image, fully qualified and pinned to a tag or digest.
   * @default DEFAULT_AWS_PLUGIN_IMAGE
   */
  readonly pluginImage?: string;
}

/** One backup schedule (a Velero `Schedule` in the GitOps tree). */
export interface BackupScheduleSettings {
  /** The schedule's name; backups are named `<name>-<timestamp>` and a restore names the schedule. */
  readonly name: string;
  /** When to back up, as a cron expression in UTC (`0 2 * * *`). */
  readonly cron: string;
  /** How long each backup is kept (`720h`); Velero deletes it, and its volume data, afterwards. */
  readonly ttl: string;
  /**
   * Namespaces backed up besides the platform's own (the namespaces Terraform
   * creates and the Namespace objects of the tree): those that ApplicationSets
   * create from templates, for example.
   * @default []
   */
  readonly extraNamespaces?: readonly string[];
  /**
   * Back up the contents of every pod volume in those namespaces with the
   * node agent (file-system backup into the object store).
   * @default true
   */
  readonly volumes?: boolean;
}

/** This environment stands in for another: it restores that environment's backups. */
export interface StandbySettings {
  /** The environment this one stands in for (`prod`): its storage location is read. */
  readonly for: string;
  /** The schedule whose latest backup the restore procedure uses. @default 'platform' */
  readonly schedule?: string;
}

/** `EnvironmentConfig.recovery`: backups and restores with Velero. */
export interface RecoverySettings {
  /** Where backups are kept (on a standby: the primary's location, read-only). */
  readonly storage: BackupStorageSettings;
  /** How Velero reaches the store (`BackupCredentials.irsa(...)`, `.workloadIdentity(...)`, `.fromSecretStore(...)`). */
  readonly credentials: BackupCredentials;
  /**
   * The backup schedules of a primary (a standby writes none).
   * @default - one schedule `platform`: daily at 02:00 UTC, kept 30 days in production (7 elsewhere), volumes included
   */
  readonly schedules?: readonly BackupScheduleSettings[];
  /**
   * Run the node agent (a DaemonSet) that backs up and restores pod volumes
   * file by file (kopia). Its pods mount the kubelet's pod directory from the
   * host, so the Velero namespace needs Pod Security `privileged`.
   * @default true
   */
  readonly nodeAgent?: boolean;
  /**
   * Makes this environment a standby of another: its storage location is
   * read-only, it has no schedules, and the tree gets the restore procedure's
   * Restore objects (`recovery/restore.yaml`).
   * @default - a primary
   */
  readonly standby?: StandbySettings;
  /**
   * The Velero namespace.
   * @default 'velero'
   */
  readonly namespace?: string;
  /**
   * Values of the `velero` chart merged over the ones the module computes,
   * last: the escape hatch for a chart setting without a setting here. Every
   * path must exist in the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}
