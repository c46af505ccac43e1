import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { ClusterConnection } from '../lib/platform/environment';

/**
 * Configures the kubernetes and helm providers from the environment's cluster
 * connection. With `host`, the token and CA come from sensitive variables.
 */
export function configureProviders(stack: TerraformStack, cluster: ClusterConnection): void {
  if (cluster.kubeconfigPath) {
    const connection = {
      configPath: cluster.kubeconfigPath,
      ...(cluster.kubeconfigContext ? { configContext: cluster.kubeconfigContext } : {}),
    };
    new KubernetesProvider(stack, 'kubernetes', connection);
    new HelmProvider(stack, 'helm', { kubernetes: connection });
    return;
  }
  const token = new TerraformVariable(stack, 'cluster_token', {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: 'Bearer token of the Terraform service account on the cluster.',
  });
  const ca = new TerraformVariable(stack, 'cluster_ca_certificate', {
    type: 'string',
    sensitive: true,
    nullable: false,
    description: 'PEM-encoded CA certificate of the cluster API server.',
  });
  const connection = { host: cluster.host!, token: token.stringValue, clusterCaCertificate: ca.stringValue };
  new KubernetesProvider(stack, 'kubernetes', connection);
  new HelmProvider(stack, 'helm', { kubernetes: connection });
}
