/**
 * The floor the benchmark compares the app against: a bare cdktf + cdk8s app
 * that loads the same libraries the platform does and writes three tiny
 * stacks (a provider, one helm_release, an output) and three one-object
 * GitOps trees. Whatever the platform costs beyond this is its own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ApiObject, App as K8sApp, Chart } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';

const app = new App({ stackTraces: false });
const outdir = process.env.GITOPS_OUTDIR ?? 'dist';
for (const name of ['dev', 'staging', 'prod']) {
  const stack = new TerraformStack(app, name);
  new LocalBackend(stack, { path: `terraform.${name}.tfstate` });
  new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
  new HelmProvider(stack, 'helm', { kubernetes: { configPath: '~/.kube/config' } });
  const namespace = new NamespaceV1(stack, 'namespace', { metadata: { name: 'argocd' } });
  const release = new Release(stack, 'argocd', {
    name: 'argo-cd',
    repository: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-cd',
    version: '10.3.0',
    namespace: namespace.metadata.name,
    values: [stringify({ global: { cpu: Cpu.millis(100).amount } })],
  });
  new TerraformOutput(stack, 'status', { value: { release: release.name, status: release.status } });

  const chart = new Chart(new K8sApp({ outdir: '.' }), name, { disableResourceNameHashes: true });
  new ApiObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'argocd' }, data: { env: name } });
  const dir = path.join(outdir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.yaml'), stringify(chart.toJson()[0]));
}
app.synth();
