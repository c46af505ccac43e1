/**
 * The guides in docs/ are linked from README.md, their links resolve, and the
 * commands in them name things that exist: npm scripts, environments,
 * kubeconfig contexts, namespaces, Helm releases, Kubernetes objects and
 * Terraform addresses of the synthesized stacks, secret-store keys, the state
 * bucket. (Their ```ts examples run in test/readme.test.ts.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ENVIRONMENTS, prod } from '../../environments';
import { secretStoreKeys } from '../../scripts/docs-render';
import { synthEnvironment, SynthResult } from '../support/synth';

const root = path.resolve(__dirname, '../..');
const docs = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
const environmentPages = ENVIRONMENTS.map((e) => `docs/environments/${e.name}.md`);
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const results = new Map<string, SynthResult>(ENVIRONMENTS.map((e) => [e.name, synthEnvironment(e)]));

/** GitHub's heading anchors. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    out.add(m[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-'));
  }
  return out;
}

function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^ *```sh\n([\s\S]*?)^ *```/gm)].flatMap((m) => m[1].split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
}

/** Namespaces of every environment: Terraform-managed, and those of synthesized objects. */
const namespaces = new Set<string>();
for (const r of results.values()) {
  for (const body of Object.values(r.tf.resource.kubernetes_namespace_v1 ?? {})) namespaces.add((body.metadata as { name: string }).name);
  for (const { object } of r.objects) if (object.metadata.namespace) namespaces.add(object.metadata.namespace);
}

function objectExists(kind: string, namespace: string | undefined, name: string): boolean {
  const kinds: Record<string, string> = {
    application: 'Application', kustomization: 'Kustomization', gitrepository: 'GitRepository', receiver: 'Receiver',
    imageupdateautomation: 'ImageUpdateAutomation', externalsecret: 'ExternalSecret', namespace: 'Namespace', secret: 'Secret',
  };
  const wanted = kinds[kind];
  for (const r of results.values()) {
    if (r.objects.some((o) => o.object.kind === wanted && o.object.metadata.name === name && (namespace === undefined || o.object.metadata.namespace === namespace))) return true;
    if (wanted === 'Namespace' && namespaces.has(name)) return true;
    if (wanted === 'Secret' && Object.values(r.tf.resource.kubernetes_secret_v1 ?? {}).some((s) => (s.metadata as { name: string; namespace: string }).name === name && (s.metadata as { namespace: string }).namespace === namespace)) return true;
  }
  return false;
}

/** Every problem with one command line. */
function checkCommand(line: string): string[] {
  const problems: string[] = [];
  for (const m of line.matchAll(/npm run ([a-z-]+)/g)) if (!scripts[m[1]]) problems.push(`no npm script ${m[1]}`);
  for (const m of line.matchAll(/cdktf\.out\/stacks\/([a-z0-9-]+|<env>)/g)) {
    if (m[1] !== '<env>' && !results.has(m[1])) problems.push(`no stack ${m[1]}`);
  }
  for (const m of line.matchAll(/--(?:kube-)?context ([a-z0-9-]+)/g)) {
    if (!ENVIRONMENTS.some((e) => e.cluster.kubeconfigContext === m[1])) problems.push(`no environment uses the context ${m[1]}`);
  }
  const ns = /(?:^| )(?:-n|--namespace) ([a-z0-9-]+)/.exec(line)?.[1];
  if (ns && !namespaces.has(ns)) problems.push(`no namespace ${ns}`);
  if (line.startsWith('kubectl')) {
    const m = /\b(?:get|describe|patch) (application|kustomization|gitrepository|receiver|imageupdateautomation|externalsecret|namespace|secret) ([a-z0-9.-]+)/.exec(line);
    if (m && !objectExists(m[1], m[1] === 'namespace' ? undefined : ns, m[2])) problems.push(`no ${m[1]} ${ns ?? ''}/${m[2]} in the synthesized stacks`);
  }
  if (line.startsWith('flux ')) {
    const m = /(?:reconcile|suspend|resume) kustomization ([a-z0-9-]+)/.exec(line);
    if (m && !objectExists('kustomization', ns, m[1])) problems.push(`no Flux Kustomization ${m[1]}`);
  }
  if (line.startsWith('argocd app')) {
    const m = /argocd app [a-z]+ ([a-z0-9-]+)/.exec(line);
    if (m && !objectExists('application', undefined, m[1])) problems.push(`no Application ${m[1]}`);
  }
  if (line.startsWith('helm ')) {
    const m = /\b(history|status|rollback|uninstall) ([a-z0-9-]+)/.exec(line);
    if (m) {
      const found = [...results.values()].some((r) => Object.values(r.tf.resource.helm_release ?? {}).some((h) => h.name === m[2] && h.namespace === ns));
      if (!found) problems.push(`no Helm release ${m[2]} in namespace ${ns}`);
    }
  }
  for (const m of line.matchAll(/-replace=([a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) {
    const [type, name] = m[1].split('.');
    if (!results.get('dev')!.tf.resource[type]?.[name]) problems.push(`no resource ${m[1]} in dev's cdk.tf.json`);
  }
  const vault = /vault kv put -mount=([a-z0-9-]+) ([a-z0-9/-]+) ([a-z0-9.-]+)=/.exec(line);
  if (vault) {
    const keys = secretStoreKeys(results.get('dev')!.files);
    if (!keys.some((k) => k.store === 'vault-backend' && k.key === vault[2] && k.property === vault[3])) problems.push(`dev reads no Vault key ${vault[2]} property ${vault[3]}`);
    if (vault[1] !== 'secret') problems.push(`the Vault mount is "secret", not ${vault[1]}`);
  }
  if (line.startsWith('aws s3api')) {
    const bucket = /--bucket ([a-z0-9.-]+)/.exec(line)?.[1];
    const region = /--region ([a-z0-9-]+)/.exec(line)?.[1];
    const backend = prod.backend;
    if (backend.type !== 's3') problems.push('prod has no S3 backend');
    else {
      if (bucket !== backend.bucket) problems.push(`bucket ${bucket} is not prod's ${backend.bucket}`);
      if (region && region !== backend.region) problems.push(`region ${region} is not prod's ${backend.region}`);
    }
  }
  return problems;
}

describe('docs', () => {
  it('are all linked from README.md', () => {
    const readme = read('README.md');
    for (const file of [...docs, ...environmentPages]) assert.ok(readme.includes(`](${file})`), `README.md links ${file}`);
  });

  for (const file of ['README.md', ...docs, ...environmentPages]) {
    it(`${file}: every relative link and anchor resolves`, () => {
      const text = read(file);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue;
        const [relative, anchor] = target.split('#');
        const resolved = relative === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), relative));
        assert.ok(fs.existsSync(path.join(root, resolved)), `${file}: ${target} -> ${resolved}`);
        if (anchor) assert.ok(anchors(read(resolved)).has(anchor), `${file}: no heading #${anchor} in ${resolved}`);
      }
    });
  }

  for (const file of [...docs, 'README.md']) {
    it(`${file}: commands name things that exist`, () => {
      const problems = shellBlocks(read(file)).flatMap((line) => checkCommand(line).map((p) => `${line}: ${p}`));
      assert.deepEqual(problems, []);
    });
  }

  it('the command checks catch wrong names', () => {
    assert.deepEqual(checkCommand('kubectl --context dev-cluster -n argocd describe application dev-rot'), ['no application argocd/dev-rot in the synthesized stacks']);
    assert.deepEqual(checkCommand('helm --kube-context dev-cluster -n flux-system history argocd'), ['no Helm release argocd in namespace flux-system']);
    assert.deepEqual(checkCommand('npm run publish'), ['no npm script publish']);
    assert.deepEqual(checkCommand('kubectl --context qa-cluster -n argo get pods'), ['no environment uses the context qa-cluster', 'no namespace argo']);
    assert.deepEqual(checkCommand('aws s3api create-bucket --bucket other --region us-east-1'), [`bucket other is not prod's company-gitops-terraform-state`]);
  });

  it('troubleshooting covers the failures platform teams meet, each with symptom, diagnosis and fix', () => {
    const text = read('docs/troubleshooting.md');
    const sections = text.split(/^## /m).slice(1);
    const titles = sections.map((s) => s.split('\n')[0]);
    for (const topic of [/sync/i, /conflicts between environments/i, /automation/i, /CRDs not ready/i, /repository authentication/i, /webhooks/i, /stuck finalizers/i, /pending-upgrade/i, /drift/i, /offline.*registry/i]) {
      assert.ok(titles.some((t) => topic.test(t)), `a section about ${topic}`);
    }
    for (const section of sections) {
      const title = section.split('\n')[0];
      assert.match(section, /\*\*Symptom\.\*\*/, title);
      assert.match(section, /\*\*Fix\.\*\*/, title);
      if (!title.startsWith('Synth fails') && !title.startsWith('The state is locked')) assert.match(section, /```sh\n/, `${title} has a command to diagnose`);
    }
  });
});
