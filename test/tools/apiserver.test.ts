/**
 * Every object of every shipped environment (the synced tree and the
 * bootstrap chart's files) meets a real Kubernetes API server: kube-apiserver
 * over kine on loopback, started here and always stopped. The vendored CRDs
 * (schemas/crds/) are applied for real, then the namespaces, then every object
 * with `kubectl apply --server-side --dry-run=server`: defaulting, structural
 * schemas, CEL rules, list types and namespace existence are the server's own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ENVIRONMENTS } from '../../environments';
import { ManifestObject } from '../../lib/platform/gitops-tree';
import { ApiServer, startApiServer } from '../support/apiserver';
import { SynthResult, synthEnvironment } from '../support/synth';
import { tool } from '../support/tools';

type Json = Record<string, unknown>;

const kine = tool('kine');
const kubeApiserver = tool('kube-apiserver');
const kubectlTool = tool('kubectl');
const skip = kine.skip || kubeApiserver.skip || kubectlTool.skip;
const CRDS = path.resolve(__dirname, '../../schemas/crds');
const UNSTRUCTURAL_UPSTREAM = 'lighthouse/lighthouse.jenkins.io_lighthousejobs.yaml';

let server: ApiServer | undefined;
let scratch = '';
let results: SynthResult[] = [];

function kubectl(args: readonly string[]): { status: number | null; out: string } {
  const result = spawnSync(kubectlTool.path!, [`--kubeconfig=${server!.kubeconfig}`, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (result.error) throw new Error(`kubectl could not run: ${result.error.message}`);
  return { status: result.status, out: `${result.stdout}\n${result.stderr}`.trim() };
}

function write(name: string, objects: readonly unknown[]): string {
  const file = path.join(scratch, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return file;
}

/**
 * The CustomResourceDefinition Gatekeeper creates for a ConstraintTemplate's
 * constraint kind: group constraints.gatekeeper.sh, cluster scoped, with the
 * template's parameter schema under spec.parameters. `match` is left open here
 * (gator checks the constraints' matching in verification.test.ts).
 */
function constraintCrd(template: ManifestObject): Json {
  const crd = ((template.spec as Json).crd as Json).spec as Json;
  const kind = (crd.names as Json).kind as string;
  const parameters = ((crd.validation as Json | undefined)?.openAPIV3Schema as Json | undefined) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const schema = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: {
          enforcementAction: { type: 'string' },
          scopedEnforcementActions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          match: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          parameters,
        },
      },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
  const plural = kind.toLowerCase();
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.constraints.gatekeeper.sh` },
    spec: {
      group: 'constraints.gatekeeper.sh',
      scope: 'Cluster',
      names: { kind, listKind: `${kind}List`, plural, singular: plural, categories: ['constraint', 'constraints'] },
      versions: ['v1beta1', 'v1alpha1', 'v1'].map((name) => ({ name, served: true, storage: name === 'v1beta1', schema: { openAPIV3Schema: schema } })),
    },
  };
}

/** Rejections in kubectl's output: one line per object the server refused. */
function rejections(out: string): string[] {
  return out.split('\n').filter((l) => /^(error|Error from server)/i.test(l.trim()));
}

describe('the shipped environments on a real API server (kube-apiserver + kine)', { skip }, () => {
  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-apiserver-objects-'));
    server = await startApiServer({ kine: kine.path!, kubeApiserver: kubeApiserver.path! });
    results = ENVIRONMENTS.map((env) => synthEnvironment(env));
  });

  after(async () => {
    await server?.stop();
    for (const r of results) fs.rmSync(r.directory, { recursive: true, force: true });
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('starts within 20 seconds', () => {
    // The startup time is measured on every run (the README quotes it).
    console.log(`test API server ready in ${server!.startupSeconds.toFixed(1)}s`);
    assert.ok(server!.startupSeconds < 20, `startup took ${server!.startupSeconds}s`);
  });

  it('accepts every vendored CRD but the one upstream Lighthouse publishes unstructural', () => {
    const files = fs.readdirSync(CRDS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort();
    const refused = files.filter((f) => kubectl(['apply', '--server-side', '--field-manager=gitops-test', '-f', path.join(CRDS, f)]).status !== 0);
    // Lighthouse v1.33.1's LighthouseJob CRD has array items without a type under
    // status.activity (recursive stages/steps), which a structural schema forbids.
    // No shipped object is a LighthouseJob; this fails when upstream fixes it.
    assert.deepEqual(refused, [UNSTRUCTURAL_UPSTREAM]);
    const why = kubectl(['apply', '--server-side', '--field-manager=gitops-test', '-f', path.join(CRDS, UNSTRUCTURAL_UPSTREAM)]);
    assert.match(why.out, /must not be empty for specified array items/);
    const established = kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    assert.equal(established.status, 0, established.out);
  });

  it('accepts every object of every environment, namespaces first', () => {
    const objects = results.flatMap((r) => r.objects.map((o) => ({ env: r.stack.platform.environment.name, ...o })));
    assert.ok(objects.length > 100, `only ${objects.length} objects`);

    // Constraint kinds exist once Gatekeeper has read the templates: create them as it does.
    const templates = objects.filter((o) => o.object.kind === 'ConstraintTemplate');
    const kinds = new Map(templates.map((t) => [(constraintCrd(t.object).metadata as Json).name as string, constraintCrd(t.object)]));
    const crds = kubectl(['apply', '--server-side', '--field-manager=gitops-test', '-f', write('constraint-crds.yaml', [...kinds.values()])]);
    assert.equal(crds.status, 0, crds.out);
    assert.equal(kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']).status, 0);

    // Namespaces for real: the shipped Namespace objects, then every other namespace objects name.
    const shipped = objects.filter((o) => o.object.kind === 'Namespace');
    const named = new Set(objects.map((o) => o.object.metadata.namespace).filter((n): n is string => !!n));
    for (const ns of shipped) named.delete(ns.object.metadata.name ?? '');
    const namespaces = [
      ...new Map(shipped.map((n) => [n.object.metadata.name, n.object])).values(),
      ...[...named].sort().map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    ];
    const created = kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=gitops-test', '-f', write('namespaces.yaml', namespaces)]);
    assert.deepEqual(rejections(created.out), [], created.out);

    // Everything else, per environment and file, as a server-side dry run.
    const refused: string[] = [];
    for (const r of results) {
      const env = r.stack.platform.environment.name;
      const byFile = new Map<string, unknown[]>();
      for (const o of objects.filter((x) => x.env === env && x.object.kind !== 'Namespace')) {
        byFile.set(o.file, [...(byFile.get(o.file) ?? []), o.object]);
      }
      for (const [file, list] of byFile) {
        const run = kubectl(['apply', '--server-side', '--dry-run=server', '--force-conflicts', '--field-manager=gitops-test', '-f', write(`${env}/${file}`, list)]);
        if (run.status !== 0) refused.push(`${env}/${file}:\n  ${rejections(run.out).join('\n  ') || run.out}`);
      }
    }
    assert.deepEqual(refused, [], `the API server rejected:\n${refused.join('\n')}`);
  });
});
