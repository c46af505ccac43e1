import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ResolveOptions, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { dev } from '../../environments/dev';
import { GitOpsStack } from '../../stacks/gitops-stack';

describe('preparing a GitOpsStack for synthesis', () => {
  it('resolves only the elements that hold tokens: the Terraform namespaces are not resolved while preparing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-'));
    const original = Tokenization.resolve.bind(Tokenization);
    const prepared: unknown[] = [];
    Tokenization.resolve = (obj: unknown, options: ResolveOptions): unknown => {
      if (options.preparing) prepared.push(obj);
      return original(obj, options) as unknown;
    };
    try {
      const app = new App({ outdir: path.join(dir, 'cdktf.out'), stackTraces: false });
      new GitOpsStack(app, 'dev', { environment: dev, manifestDirectory: path.join(dir, 'dist') });
      app.synth();
      const types = prepared.flatMap((config) => Object.keys((config as { resource?: object }).resource ?? {}));
      assert.ok(types.includes('helm_release'), types.join(', '));
      assert.ok(!types.includes('kubernetes_namespace_v1'), types.join(', '));
      const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json'), 'utf8')) as { resource: Record<string, object> };
      assert.ok(Object.keys(tf.resource.kubernetes_namespace_v1).length > 0);
    } finally {
      Tokenization.resolve = original;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still registers a reference to another stack (its output and this stack\'s remote state)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepare-cross-'));
    try {
      const app = new App({ outdir: path.join(dir, 'cdktf.out'), stackTraces: false });
      const shared = new TerraformStack(app, 'shared');
      new KubernetesProvider(shared, 'kubernetes', {});
      const namespace = new NamespaceV1(shared, 'Shared', { metadata: { name: 'shared' } });
      const stack = new GitOpsStack(app, 'dev', { environment: dev, manifestDirectory: path.join(dir, 'dist') });
      new TerraformOutput(stack, 'shared_namespace', { value: namespace.id });
      app.synth();
      const read = (name: string) =>
        JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8')) as { output?: Record<string, unknown>; data?: Record<string, unknown> };
      assert.ok(Object.keys(read('shared').output ?? {}).some((k) => k.startsWith('cross-stack-output-')), JSON.stringify(read('shared').output));
      assert.ok(read('dev').data?.terraform_remote_state, JSON.stringify(read('dev').data));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
