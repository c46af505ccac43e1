import { AzurermBackend, CloudBackend, GcsBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from 'cdktf';
import { BackendConfig, defaultLocalStatePath } from '../lib/platform/environment';

/**
 * Configures the Terraform state backend of a stack from the environment.
 * The local backend keeps a relative path so the state is portable.
 */
export function configureBackend(stack: TerraformStack, environment: string, backend: BackendConfig): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: backend.path ?? defaultLocalStatePath(environment) });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: backend.encrypt ?? true,
        ...(backend.kmsKeyId ? { kmsKeyId: backend.kmsKeyId } : {}),
        ...(backend.dynamodbTable ? { dynamodbTable: backend.dynamodbTable } : {}),
      });
      // cdktf 0.21's S3Backend predates S3 native locking; the field is plain backend configuration.
      if (backend.useLockfile ?? true) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
    case 'gcs':
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix ?? `gitops/${environment}` });
      return;
    case 'azurerm':
      new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key,
      });
      return;
    case 'hcp':
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname ?? 'app.terraform.io',
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
  }
}
