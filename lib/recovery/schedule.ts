import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Schedule } from '../imports/velero.io';
import { ConfigError } from '../platform/errors';
import { BACKUP_STORAGE_LOCATION } from './install';

/** Options for {@link BackupSchedule}. */
export interface BackupScheduleProps {
  /** The Schedule's name. */
  readonly name: string;
  /** The Velero namespace. @default 'velero' */
  readonly namespace?: string;
  /** When to back up: five cron fields in UTC, or `@every <duration>` / `@daily` / `@hourly` / `@weekly`. */
  readonly cron: string;
  /** How long each backup is kept, a Go duration (`720h`). */
  readonly ttl: string;
  /** The namespaces backed up, sorted and without duplicates in the output. */
  readonly namespaces: readonly string[];
  /** Back up the contents of every pod volume with the node agent. @default true */
  readonly volumes?: boolean;
  /** The BackupStorageLocation. @default 'default' */
  readonly storageLocation?: string;
}

const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/;
const DURATION = /^([0-9]+h)?([0-9]+m)?([0-9]+s)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `cron` is a schedule Velero's cron parser takes (five fields, or a descriptor). */
export function isCron(cron: string): boolean {
  if (typeof cron !== 'string') return false;
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(cron)) return true;
  if (cron.startsWith('@every ')) return isDuration(cron.slice('@every '.length)) && cron.length > '@every '.length;
  const fields = cron.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}

/** Whether `value` is a non-zero Go duration of hours, minutes and seconds (`720h`, `1h30m`). */
export function isDuration(value: string): boolean {
  return typeof value === 'string' && value !== '' && DURATION.test(value) && /[1-9]/.test(value);
}

/**
 * A Velero `Schedule` (synced from the GitOps tree once the chart has
 * installed its CRD): a backup of the named namespaces at `cron`, kept for
 * `ttl`, with every pod volume's data copied to the object store by the node
 * agent (file-system backup) and no provider snapshots. Cluster-scoped
 * objects the namespaced ones use (their PersistentVolumes) are included.
 */
export class BackupSchedule extends Construct {
  /** The `Schedule` object. */
  public readonly resource: ApiObject;
  /** Its name. */
  public readonly name: string;
  /** The namespaces it backs up, sorted. */
  public readonly namespaces: readonly string[];
  /** Whether pod volumes are backed up. */
  public readonly volumes: boolean;
  /** The cron expression. */
  public readonly cron: string;
  /** The backups' time to live. */
  public readonly ttl: string;

  constructor(scope: Construct, id: string, props: BackupScheduleProps) {
    super(scope, id);
    if (!DNS_LABEL.test(props.name) || props.name.length > 63) {
      throw new ConfigError(this.node.path, 'name', props.name, 'Use a DNS label such as "platform".');
    }
    if (!isCron(props.cron)) {
      throw new ConfigError(this.node.path, 'cron', props.cron, 'Use five cron fields in UTC such as "0 2 * * *", or "@every 6h".');
    }
    if (!isDuration(props.ttl)) {
      throw new ConfigError(this.node.path, 'ttl', props.ttl, 'Use a duration in hours such as "720h" (30 days).');
    }
    const namespaces = [...new Set(props.namespaces)].sort();
    if (namespaces.length === 0) throw new ConfigError(this.node.path, 'namespaces', [], 'Back up at least one namespace.');
    for (const ns of namespaces) {
      if (!DNS_LABEL.test(ns)) throw new ConfigError(this.node.path, 'namespaces', ns, 'Name namespaces, not patterns.');
    }
    this.name = props.name;
    this.namespaces = namespaces;
    this.volumes = props.volumes ?? true;
    this.cron = props.cron;
    this.ttl = props.ttl;
    this.resource = new Schedule(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? 'velero' },
      spec: {
        schedule: props.cron,
        useOwnerReferencesInBackup: false,
        template: {
          ttl: props.ttl,
          storageLocation: props.storageLocation ?? BACKUP_STORAGE_LOCATION,
          includedNamespaces: namespaces,
          defaultVolumesToFsBackup: this.volumes,
          snapshotVolumes: false,
        },
      },
    });
  }
}
