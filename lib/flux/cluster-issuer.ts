import { ConfigError } from '../platform/errors';
import { ManifestObject } from '../platform/gitops-tree';
import { FluxClusterIssuerSettings } from './settings';

/** Let's Encrypt's production ACME directory. */
export const LETS_ENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';

/** The annotation that makes cert-manager issue an ingress's TLS Secret. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/**
 * A cert-manager `ClusterIssuer` (`cert-manager.io/v1`) with an ACME account
 * whose key cert-manager keeps in `<name>-account-key` (in cert-manager's
 * namespace) and an HTTP-01 solver through the ingress class.
 */
export function acmeClusterIssuer(where: string, settings: FluxClusterIssuerSettings, labels: Readonly<Record<string, string>>): ManifestObject {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(settings.name ?? '') || settings.name.length > 253) {
    throw new ConfigError(where, 'name', settings.name, 'Use a lowercase DNS name such as "letsencrypt-prod".');
  }
  if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(settings.email ?? '')) {
    throw new ConfigError(where, 'email', settings.email, 'Give the e-mail address of the ACME account (name@host); the certificate authority sends expiry notices to it.');
  }
  const server = settings.server ?? LETS_ENCRYPT_PRODUCTION;
  let https = false;
  try {
    https = new URL(server).protocol === 'https:';
  } catch {
    https = false;
  }
  if (!https) throw new ConfigError(where, 'server', server, `Use the https:// URL of an ACME directory, such as "${LETS_ENCRYPT_PRODUCTION}".`);
  const ingressClassName = settings.ingressClassName ?? 'nginx';
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ingressClassName)) {
    throw new ConfigError(where, 'ingressClassName', ingressClassName, 'Use the name of an IngressClass, such as "nginx".');
  }
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: settings.name, labels: { ...labels } },
    spec: {
      acme: {
        email: settings.email,
        server,
        privateKeySecretRef: { name: `${settings.name}-account-key` },
        solvers: [{ http01: { ingress: { ingressClassName } } }],
      },
    },
  };
}
