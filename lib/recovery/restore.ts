import { Restore } from '../imports/velero.io';
import { ConfigError } from '../platform/errors';
import { ManifestObject } from '../platform/gitops-tree';

/**
 * What a restore into a standby never takes from a backup, by Velero resource
 * name, with the reason. The standby already has each of them from its own
 * sources (its GitOps tree at the primary's revision, Terraform, its secret
 * store), and a restored copy would carry the primary's live state instead.
 */
export const RESTORE_EXCLUDED_RESOURCES: Readonly<Record<string, string>> = {
  // The GitOps objects: the standby's tree carries them at the primary's
  // revision. Restored copies would start syncing (prod's automated policies)
  // before the standby is promoted, and give the objects a second owner.
  'applications.argoproj.io': 'the tree carries the Applications; a restored one would sync before promotion',
  'applicationsets.argoproj.io': 'the tree carries the ApplicationSets; a restored one would generate Applications before promotion',
  'appprojects.argoproj.io': 'the tree carries the AppProjects',
  'kustomizations.kustomize.toolkit.fluxcd.io': 'the tree carries the Kustomizations; a restored one would reconcile before promotion',
  'helmreleases.helm.toolkit.fluxcd.io': 'the tree carries the HelmReleases; a restored one would install before promotion',
  'gitrepositories.source.toolkit.fluxcd.io': 'the tree carries the Flux sources',
  'helmrepositories.source.toolkit.fluxcd.io': 'the tree carries the Flux sources',
  'ocirepositories.source.toolkit.fluxcd.io': 'the tree carries the Flux sources',
  'buckets.source.toolkit.fluxcd.io': 'the tree carries the Flux sources',
  'helmcharts.source.toolkit.fluxcd.io': 'the helm-controller derives HelmCharts from the HelmReleases',
  'imagerepositories.image.toolkit.fluxcd.io': 'the tree carries the image automation objects',
  'imagepolicies.image.toolkit.fluxcd.io': 'the tree carries the image automation objects',
  'imageupdateautomations.image.toolkit.fluxcd.io': 'a restored automation would commit to Git from the standby',
  'alerts.notification.toolkit.fluxcd.io': 'the tree carries the Flux notifications',
  'providers.notification.toolkit.fluxcd.io': 'the tree carries the Flux notifications',
  'receivers.notification.toolkit.fluxcd.io': 'the tree carries the Flux webhook receivers',
  'externalsecrets.external-secrets.io': 'the tree carries the ExternalSecrets, which read the standby\'s store',
  'secretstores.external-secrets.io': 'the tree carries the secret stores',
  // Secrets: every Secret the platform reads has a producer on the standby
  // (an ExternalSecret, Terraform, cert-manager, a chart); the primary's
  // copies include Helm's release records (sh.helm.release.v1.*), which would
  // make Helm on the standby take the primary's revisions for its own. The
  // Sealed Secrets keys, which exist nowhere else, have their own restore.
  secrets: 'each Secret has a producer on the standby; the primary\'s include Helm release records',
  // Velero's own objects: the standby reads the primary's location read-only.
  'schedules.velero.io': 'a restored Schedule would write backups from the standby',
  'backupstoragelocations.velero.io': 'the standby\'s location comes from its chart values',
  'volumesnapshotlocations.velero.io': 'the standby\'s locations come from its chart values',
};

/** The label the Sealed Secrets controller puts on its sealing key Secrets (`active`, `compromised`). */
export const SEALING_KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';

/** The schedule a restore takes the latest completed backup of. */
export interface ScheduleReference {
  /** The Schedule's name on the primary. */
  readonly name: string;
  /** The namespaces it backs up. */
  readonly namespaces: readonly string[];
}

/** Options for {@link restoreFrom}. */
export interface RestoreOptions {
  /** The Velero namespace of the cluster restored into. @default 'velero' */
  readonly veleroNamespace?: string;
  /**
   * The namespaces whose objects and volumes are restored; each must be one
   * the schedule backs up.
   * @default - every namespace the schedule backs up, less `skipNamespaces`
   */
  readonly namespaces?: readonly string[];
  /**
   * Namespaces left out of the data restore: those whose workloads the
   * standby's Terraform installs itself (the controllers' namespaces), and Velero's.
   * @default []
   */
  readonly skipNamespaces?: readonly string[];
  /**
   * The namespace of the Sealed Secrets controller: its sealing keys are
   * restored first, by their label, so that the tree's SealedSecrets decrypt.
   * @default - no sealing-key restore
   */
  readonly sealingKeysNamespace?: string;
  /** The name prefix of the Restore objects. @default `<schedule>-restore` */
  readonly name?: string;
}

/**
 * The Restore objects of the restore procedure (lib/recovery/README.md):
 * from the latest completed backup of `schedule` (Velero picks it by the
 * `velero.io/schedule-name` label, so the Schedule itself need not exist on
 * the cluster restored into),
 *
 * 1. `<name>-sealing-keys` (when `sealingKeysNamespace` is given): only the
 *    Sealed Secrets controller's key Secrets, selected by their label;
 * 2. `<name>`: the objects and pod volumes of the chosen namespaces, without
 *    the resources in {@link RESTORE_EXCLUDED_RESOURCES} and without
 *    cluster-scoped objects, never replacing an object the cluster already has.
 *
 * Throws when a namespace is not one the schedule backs up.
 */
export function restoreFrom(schedule: ScheduleReference, options: RestoreOptions = {}): ManifestObject[] {
  const backedUp = new Set(schedule.namespaces);
  const name = options.name ?? `${schedule.name}-restore`;
  const namespace = options.veleroNamespace ?? 'velero';
  const skip = new Set([...(options.skipNamespaces ?? []), namespace]);
  const chosen = [...new Set(options.namespaces ?? schedule.namespaces.filter((ns) => !skip.has(ns)))].sort();
  for (const ns of chosen) {
    if (!backedUp.has(ns)) {
      throw new ConfigError(`restoreFrom(${schedule.name})`, 'namespaces', ns, `Restore only namespaces the schedule backs up: ${[...backedUp].sort().join(', ')}.`);
    }
  }
  if (chosen.length === 0) {
    throw new ConfigError(`restoreFrom(${schedule.name})`, 'namespaces', [], 'Restore at least one namespace the schedule backs up.');
  }
  const restores: ManifestObject[] = [];
  const keys = options.sealingKeysNamespace;
  if (keys !== undefined) {
    if (!backedUp.has(keys)) {
      throw new ConfigError(`restoreFrom(${schedule.name})`, 'sealingKeysNamespace', keys, 'The schedule does not back up the Sealed Secrets namespace; add it to the schedule.');
    }
    restores.push(
      Restore.manifest({
        metadata: { name: `${name}-sealing-keys`, namespace },
        spec: {
          scheduleName: schedule.name,
          includedNamespaces: [keys],
          includedResources: ['secrets'],
          labelSelector: { matchExpressions: [{ key: SEALING_KEY_LABEL, operator: 'Exists' }] },
          includeClusterResources: false,
          existingResourcePolicy: 'none',
        },
      }) as ManifestObject,
    );
  }
  restores.push(
    Restore.manifest({
      metadata: { name, namespace },
      spec: {
        scheduleName: schedule.name,
        includedNamespaces: chosen,
        excludedResources: Object.keys(RESTORE_EXCLUDED_RESOURCES).sort(),
        includeClusterResources: false,
        restorePVs: true,
        existingResourcePolicy: 'none',
      },
    }) as ManifestObject,
  );
  return restores;
}
