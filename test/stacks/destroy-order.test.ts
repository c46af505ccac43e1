/**
 * `cdktf destroy <env>` removes resources in the reverse of their dependency
 * order. This test reads each stack's cdk.tf.json generically (explicit
 * depends_on and ${type.name...} references) and checks the order the destroy
 * relies on: the bootstrap release goes first (its root app-of-apps and Flux
 * sync objects are removed while every controller still runs to process their
 * finalizers), then the controllers, then their namespaces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../../environments';
import { synthEnvironment, TerraformJson } from '../support/synth';

type Graph = Map<string, Set<string>>;

/** Every resource address -> the addresses it depends on (depends_on and references). */
function dependencyGraph(tf: TerraformJson): Graph {
  const graph: Graph = new Map();
  const addresses = new Set<string>();
  for (const [type, byName] of Object.entries(tf.resource)) for (const name of Object.keys(byName)) addresses.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(tf.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      const deps = new Set<string>();
      for (const dep of (body.depends_on as string[] | undefined) ?? []) deps.add(dep);
      const text = JSON.stringify({ ...body, depends_on: undefined });
      for (const match of text.matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)[.}\[]/g)) {
        const address = `${match[1]}.${match[2]}`;
        if (addresses.has(address)) deps.add(address);
      }
      graph.set(`${type}.${name}`, deps);
    }
  }
  return graph;
}

/** Everything `address` depends on, directly or not. */
function ancestors(graph: Graph, address: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(address) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/** The order Terraform destroys in: a resource before everything it depends on (reverse topological order). */
function destroyOrder(graph: Graph): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (address: string, path: string[]): void => {
    if (done.has(address)) return;
    assert.ok(!path.includes(address), `dependency cycle: ${[...path, address].join(' -> ')}`);
    for (const dep of [...(graph.get(address) ?? [])].sort()) visit(dep, [...path, address]);
    done.add(address);
    order.push(address);
  };
  for (const address of [...graph.keys()].sort()) visit(address, []);
  return order.reverse();
}

for (const environment of ENVIRONMENTS) {
  describe(`destroy order of ${environment.name}`, () => {
    const result = synthEnvironment(environment);
    const tf = result.tf;
    const graph = dependencyGraph(tf);
    const releases = Object.entries(tf.resource.helm_release ?? {}).map(([name, body]) => ({ address: `helm_release.${name}`, body }));
    const bootstrap = releases.filter((r) => r.body.name === 'gitops-bootstrap');
    const controllers = releases.filter((r) => r.body.name !== 'gitops-bootstrap');
    const namespaces = Object.entries(tf.resource.kubernetes_namespace_v1 ?? {}).map(([name, body]) => {
      const meta = body.metadata as { name: string } | Array<{ name: string }>;
      return { address: `kubernetes_namespace_v1.${name}`, name: Array.isArray(meta) ? meta[0].name : meta.name };
    });
    const order = destroyOrder(graph);

    it('has one bootstrap release that depends on every controller release and every credentials Secret', () => {
      assert.equal(bootstrap.length, 1);
      assert.ok(controllers.length >= 9, `controllers: ${controllers.map((c) => c.body.name).join(', ')}`);
      const before = ancestors(graph, bootstrap[0].address);
      for (const controller of controllers) assert.ok(before.has(controller.address), `bootstrap waits for ${controller.body.name}`);
      for (const secret of Object.keys(tf.resource.kubernetes_secret_v1 ?? {})) {
        assert.ok(before.has(`kubernetes_secret_v1.${secret}`), `bootstrap waits for the Secret ${secret}`);
      }
    });

    it('destroys the bootstrap release first of all releases', () => {
      const firstRelease = order.find((a) => a.startsWith('helm_release.'));
      assert.equal(firstRelease, bootstrap[0].address);
      const index = order.indexOf(bootstrap[0].address);
      for (const controller of controllers) assert.ok(order.indexOf(controller.address) > index, String(controller.body.name));
    });

    it('installs every controller after its namespace, so destroys the namespace after the controller', () => {
      for (const controller of controllers) {
        const namespace = namespaces.find((n) => n.name === controller.body.namespace);
        assert.ok(namespace, `${controller.body.name}: namespace ${String(controller.body.namespace)} is Terraform-managed`);
        assert.ok(ancestors(graph, controller.address).has(namespace.address), `${controller.body.name} depends on ${namespace.name}`);
        assert.ok(order.indexOf(namespace.address) > order.indexOf(controller.address));
      }
    });

    it('puts the root app-of-apps, which carries Argo CD\'s resources finalizer, and the Flux sync objects in the bootstrap release', () => {
      const bootstrapObjects = result.objects.filter((o) => o.file.startsWith('bootstrap/')).map((o) => o.object);
      const root = bootstrapObjects.find((o) => o.kind === 'Application');
      assert.ok(root, 'the root application is a bootstrap object');
      assert.deepEqual((root.metadata as { finalizers?: string[] }).finalizers, ['resources-finalizer.argocd.argoproj.io']);
      const fluxKinds = bootstrapObjects.filter((o) => String(o.apiVersion).includes('fluxcd.io')).map((o) => o.kind).sort();
      assert.ok(fluxKinds.includes('GitRepository') && fluxKinds.includes('Kustomization'), fluxKinds.join(', '));
      // The chart emits those files verbatim: the finalizer survives Helm.
      const file = result.files.get('bootstrap/files/argocd-root.yaml')!;
      assert.deepEqual((parseAllDocuments(file)[0].toJS() as { metadata: { finalizers: string[] } }).metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
    });
  });
}
