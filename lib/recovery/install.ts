import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { ConfigError } from '../platform/errors';
import { credentialFreeHttpsUrl } from '../platform/patterns';
import { BackupCredentials, VELERO_CREDENTIALS_SECRET } from './credentials';
import { BackupStorageSettings } from './settings';

/**
 * The velero-plugin-for-aws image: v1.14.x is the line built for Velero
 * 1.18.x (the plugin's compatibility table), pinned to its first release.
 */
export const DEFAULT_AWS_PLUGIN_IMAGE = 'docker.io/velero/velero-plugin-for-aws:v1.14.0';

/** The name of the BackupStorageLocation the chart creates, which the schedules and restores use. */
export const BACKUP_STORAGE_LOCATION = 'default';

/** The Velero server's service account, as the chart names it for the release `velero`. */
export const VELERO_SERVICE_ACCOUNT = 'velero-server';

/** Whether Velero may write to the location: a standby only reads the primary's backups. */
export type BackupAccessMode = 'ReadWrite' | 'ReadOnly';

/** Options for {@link VeleroInstall}. */
export interface VeleroInstallProps extends ControllerInstallProps {
  /** Namespace of Velero. @default 'velero' */
  readonly namespace?: string;
  /** Where backups are kept. */
  readonly storage: BackupStorageSettings;
  /** How Velero reaches the store. */
  readonly credentials: BackupCredentials;
  /** `ReadOnly` on a standby. @default 'ReadWrite' */
  readonly accessMode?: BackupAccessMode;
  /** Run the node agent (file-system backup and restore of pod volumes). @default true */
  readonly nodeAgent?: boolean;
}

const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\.[a-z0-9-]+)*\/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

/**
 * Installs Velero with the pinned `velero` chart: the server (one replica:
 * Velero runs a single active server), its CRDs (from the chart's `crds/`,
 * which Helm never deletes), the `default` BackupStorageLocation from the
 * environment's storage settings with the AWS object-store plugin as an init
 * container, and the node agent for file-system backups of pod volumes.
 * Provider volume snapshots are off: volume data goes to the object store
 * with the node agent (kopia), so a cluster elsewhere can restore it.
 */
export class VeleroInstall extends ControllerInstall {
  /** Whether the node agent runs. */
  public readonly nodeAgent: boolean;
  /** The location's access mode. */
  public readonly accessMode: BackupAccessMode;
  /** The object-store plugin image. */
  public readonly pluginImage: string;

  constructor(scope: Construct, id: string, props: VeleroInstallProps) {
    // One replica: Velero runs a single active server (the HA table).
    super(scope, id, props, { chart: CHARTS.velero, defaultNamespace: 'velero', releaseName: 'velero', role: 'singleton' });
    const platform = this.platform;
    const env = platform.environment;
    const where = `Environment "${env.name}"`;
    const storage = props.storage;
    this.nodeAgent = props.nodeAgent ?? true;
    this.accessMode = props.accessMode ?? 'ReadWrite';
    this.pluginImage = storage.pluginImage ?? DEFAULT_AWS_PLUGIN_IMAGE;
    if ((storage.provider ?? 'aws') !== 'aws') {
      throw new ConfigError(where, 'recovery.storage.provider', storage.provider, 'Use "aws" (Amazon S3, or an S3-compatible store through s3Url).');
    }
    if (typeof storage.bucket !== 'string' || !BUCKET.test(storage.bucket)) {
      throw new ConfigError(where, 'recovery.storage.bucket', storage.bucket, 'Use a bucket name: 3-63 lowercase letters, digits, dots and hyphens, such as "company-velero-backups".');
    }
    if (typeof storage.region !== 'string' || !REGION.test(storage.region)) {
      throw new ConfigError(where, 'recovery.storage.region', storage.region, 'Use the bucket\'s region, such as "us-east-1".');
    }
    if (storage.prefix !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/.test(storage.prefix)) {
      throw new ConfigError(where, 'recovery.storage.prefix', storage.prefix, 'Use a relative folder without a leading or trailing slash, such as "prod".');
    }
    let s3Port: number | undefined;
    if (storage.s3Url !== undefined) {
      const url = credentialFreeHttpsUrl(storage.s3Url);
      if (!url) {
        throw new ConfigError(where, 'recovery.storage.s3Url', storage.s3Url, 'Use the https URL of the S3-compatible endpoint, without credentials, such as "https://<object store host>:9000".');
      }
      if (url.port !== '' && url.port !== '443') s3Port = Number(url.port);
    }
    if (!IMAGE.test(this.pluginImage)) {
      throw new ConfigError(where, 'recovery.storage.pluginImage', this.pluginImage, `Use a fully qualified image pinned to a tag or digest, such as "${DEFAULT_AWS_PLUGIN_IMAGE}".`);
    }
    props.credentials.validate(where, 'recovery.credentials');
    const fromStore = props.credentials.kind === 'secret-store';
    const annotations = props.credentials.serviceAccountAnnotations;
    const ha = env.sizing.highAvailability;

    const config: Record<string, string> = { region: storage.region };
    if (storage.s3Url !== undefined) {
      config.s3Url = storage.s3Url;
      config.s3ForcePathStyle = 'true';
    }
    if (storage.kmsKeyId !== undefined) config.kmsKeyId = storage.kmsKeyId;
    const restricted = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const veleroPods = { 'app.kubernetes.io/name': 'velero', name: 'velero' };
    const nodeAgentPods = { 'app.kubernetes.io/name': 'velero', name: 'node-agent' };
    this.installChart({
      egressPorts: s3Port ? [s3Port] : [],
      values: {
        image: { repository: 'docker.io/velero/velero', tag: CHARTS.velero.appVersion },
        initContainers: [
          {
            name: 'velero-plugin-for-aws',
            image: this.pluginImage,
            imagePullPolicy: 'IfNotPresent',
            securityContext: restricted,
            volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
          },
        ],
        configuration: {
          backupStorageLocation: [
            {
              name: BACKUP_STORAGE_LOCATION,
              provider: 'aws',
              bucket: storage.bucket,
              ...(storage.prefix !== undefined ? { prefix: storage.prefix } : {}),
              default: true,
              accessMode: this.accessMode,
              config,
            },
          ],
          uploaderType: 'kopia',
          logFormat: 'json',
        },
        // Volume data goes to the object store through the node agent, not to provider snapshots.
        snapshotsEnabled: false,
        deployNodeAgent: this.nodeAgent,
        credentials: fromStore ? { useSecret: true, existingSecret: VELERO_CREDENTIALS_SECRET } : { useSecret: false },
        serviceAccount: { server: { create: true, name: VELERO_SERVICE_ACCOUNT, ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}) } },
        // The projected web-identity token is readable through the pod's fsGroup (IRSA).
        podSecurityContext: { fsGroup: 1337, seccompProfile: { type: 'RuntimeDefault' } },
        containerSecurityContext: restricted,
        resources: ha
          ? { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }
          : { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        nodeAgent: {
          resources: ha
            ? { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } }
            : { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        },
        metrics: { enabled: true },
      },
      facts: {
        serviceAccounts: [VELERO_SERVICE_ACCOUNT],
        serviceAccountAnnotations: Object.keys(annotations).length > 0 ? { [VELERO_SERVICE_ACCOUNT]: { ...annotations } } : {},
        crdKinds: ['Schedule', 'Backup', 'Restore', 'BackupStorageLocation', 'VolumeSnapshotLocation', 'PodVolumeBackup', 'PodVolumeRestore', 'BackupRepository'].map((k) => `velero.io/${k}`),
        services: [{ name: 'velero', ports: [{ name: 'http-monitoring', port: 8085 }], podLabels: veleroPods, metrics: ['velero_'] }],
        pods: this.nodeAgent ? [{ labels: nodeAgentPods, ports: [{ name: 'http-monitoring', port: 8085 }], metrics: ['podVolume_', 'velero_'] }] : [],
        objects: [`BackupStorageLocation/${this.namespace}/${BACKUP_STORAGE_LOCATION}`],
      },
    });
    // The store's credentials reach the cluster through the tree, which is
    // applied after every controller release: the release must not wait for
    // pods that mount a Secret that does not exist yet.
    if (fromStore) {
      this.install.release.wait = false;
      this.install.release.atomic = false;
    }
    const store = storage.s3Url !== undefined ? new URL(storage.s3Url).hostname : `s3.${storage.region}.amazonaws.com (bucket ${storage.bucket})`;
    for (const [who, pods] of [['the Velero server', veleroPods], ...(this.nodeAgent ? [['the node agent', nodeAgentPods] as const] : [])] as const) {
      const from = { namespace: this.namespace, podLabels: pods };
      platform.requireFlow({ from, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: `${who} resolves names` });
      platform.requireFlow({ from, to: { external: 'Kubernetes API server' }, port: 443, why: `${who} reads and writes the objects it backs up and restores` });
      platform.requireFlow({ from, to: { external: store }, port: s3Port ?? 443, why: `${who} ${this.accessMode === 'ReadOnly' ? 'reads' : 'writes'} backups in the object store` });
    }
  }
}
