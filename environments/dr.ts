import { BackupCredentials } from '../lib/recovery/credentials';
import type { DeliverySettings } from '../lib/delivery/settings';
import { EnvironmentConfig } from '../stacks/environment';
import { prod } from './prod';
import { externalSecretsRoleArn, PROD_STATE_BUCKET, sharedSecurity, veleroRoleArn } from './shared';

/** Production's delivery settings without its promotion path. */
function deliveryOf(env: EnvironmentConfig): DeliverySettings {
  const { promotion: _promotion, ...rest } = env.delivery ?? {};
  return rest;
}

/**
 * Disaster recovery: a standby of production on its own cluster. It carries
 * production's configuration and tree at production's revision (`main`), with
 * its sync held: the root app-of-apps syncs by hand and the Flux
 * Kustomizations are suspended, so nothing from the tree runs until the
 * standby is promoted. Velero reads production's backups (read-only) and the
 * tree holds the restore procedure's Restore objects (`recovery/restore.yaml`).
 * Promotion and restore: lib/recovery/README.md (Runbook).
 */
export const dr: EnvironmentConfig = {
  ...prod,
  name: 'dr',
  cluster: { name: 'dr-cluster', kubeconfigPath: '~/.kube/config', kubeconfigContext: 'dr-cluster' },
  // Production's revision; its own folder, so publishing one tree never overwrites the other's.
  gitops: { ...prod.gitops, path: 'clusters/dr' },
  // Held: no automated sync until promotion (prune stays off, as in production).
  syncPolicy: { ...prod.syncPolicy, automated: false },
  backend: { type: 's3', bucket: PROD_STATE_BUCKET, key: 'gitops/dr.tfstate', region: 'us-east-1', encrypt: true, useLockfile: true },
  // Its own hosts (certificates are issued for names that resolve to this cluster); DNS moves at promotion.
  domain: 'dr.example.com',
  argocd: {
    ...prod.argocd,
    ingress: { ...prod.argocd?.ingress, host: 'argocd.dr.example.com', tlsSecretName: 'argocd-dr-example-com-tls' },
  },
  // Production's services under production's names, so the objects a restore brings back are
  // the ones this tree describes; off the promotion path (nothing is promoted to a standby).
  delivery: { ...deliveryOf(prod), namespace: prod.name, namePrefix: `${prod.name}-` },
  // Prod's security, with the standby's own store role; scanning and Falco as in prod.
  security: { ...prod.security, ...sharedSecurity('production-role', 'database/production', externalSecretsRoleArn('dr')) },
  recovery: {
    ...prod.recovery!,
    // Its own role, granted read access to production's backups.
    credentials: BackupCredentials.irsa(veleroRoleArn('dr')),
    standby: { for: prod.name, schedule: 'platform' },
  },
};
