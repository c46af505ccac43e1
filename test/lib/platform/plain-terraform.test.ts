import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as os from 'os';
import { DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformOutput, TerraformStack, Testing, Token, Tokenization } from 'cdktf';
import { DataKubernetesNamespaceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-namespace-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ENVIRONMENTS } from '../../../environments';
import { hidePlainData, mayHoldTokens, terraformWithPlainDataAside } from '../../../lib/platform/plain-terraform';
import { GitOpsStack } from '../../../stacks/gitops-stack';

/** cdktf's own JSON for the stack, every value resolved. */
const cdktfJson = (stack: TerraformStack): unknown => TerraformStack.prototype.toTerraform.call(stack);

/** The same, with plain data set aside while cdktf resolves. */
const asideJson = (stack: TerraformStack): unknown => terraformWithPlainDataAside(stack, () => cdktfJson(stack));

/** A stack with tokens and plain data in every shape a configuration has. */
function mixedStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'mixed');
  new KubernetesProvider(stack, 'kubernetes', {});
  const first = new NamespaceV1(stack, 'first', { metadata: { name: 'first', labels: { team: 'a', tier: 'web' } } });
  const second = new NamespaceV1(stack, 'second', {
    metadata: { name: `${first.metadata.name}-second`, labels: { owner: first.id }, annotations: { note: 'plain' } },
  });
  second.addOverride('lifecycle.ignore_changes', ['metadata[0].annotations']);
  const nested = Lazy.anyValue({ produce: () => ({ deep: { list: [{ a: 1 }, { b: [1, 2, { c: 'x' }] }], uid: first.metadata.uid } }) });
  new TerraformOutput(stack, 'status', {
    value: Lazy.anyValue({
      produce: () => ({
        plain: { services: Array.from({ length: 20 }, (_, i) => ({ name: `svc-${i}`, port: 8000 + i, tags: ['a', 'b'], skipped: undefined })) },
        withTokens: { name: first.metadata.name, count: Token.asNumber(Lazy.numberValue({ produce: () => 3 })), nested },
        list: [{ release: second.metadata.name, facts: { ha: true, replicas: 2 } }, { release: 'static', facts: { ha: false } }],
        scalars: ['a', first.metadata.name, 1],
        listToken: Token.asList(Lazy.listValue({ produce: () => ['x', 'y'] })),
        encoded: Fn.jsonencode({ a: { b: 'c' }, d: first.metadata.name }),
        empty: {},
        nothing: null,
        undefinedItem: [undefined, { kept: true }],
      }),
    }),
  });
  new TerraformOutput(stack, 'plain', { value: { a: { b: [{ c: 1 }] } } });
  return stack;
}

describe('plain data set aside while cdktf resolves a stack', () => {
  it('tells plain data from values that hold tokens', () => {
    for (const plain of ['team-a', 'latest', 'metadata[0].annotations', 3, true, undefined, null, [], {}, { labels: { 'a/b': 'c' } }, [{ name: 'x', port: 80 }]]) {
      assert.equal(mayHoldTokens(plain), false, JSON.stringify(plain));
    }
    const held: Array<[string, unknown]> = [
      ['a string token', Token.asString(Lazy.stringValue({ produce: () => 'x' }))],
      ['a token inside a string', `prefix-${Token.asString(Lazy.stringValue({ produce: () => 'x' }))}`],
      ['a list token', Token.asList(Lazy.listValue({ produce: () => ['x'] }))],
      ['a number token', Token.asNumber(Lazy.numberValue({ produce: () => 1 }))],
      ['a number token written into a string', `${Token.asNumber(Lazy.numberValue({ produce: () => 1 }))}`],
      ['a Lazy object', Lazy.anyValue({ produce: () => ({}) })],
      ['a token as a key', { [Token.asString(Lazy.stringValue({ produce: () => 'k' }))]: 'v' }],
      ['a token deep in a list', { a: [{ b: [Token.asString(Lazy.stringValue({ produce: () => 'x' }))] }] }],
      ['a class instance', { value: new Date(0) }],
    ];
    for (const [what, value] of held) assert.equal(mayHoldTokens(value), true, what);
  });

  it('gives the JSON cdktf gives, byte for byte, for every shape of token and plain data', () => {
    const stack = mixedStack();
    assert.equal(JSON.stringify(asideJson(stack)), JSON.stringify(cdktfJson(stack)));
  });

  it('puts the resources and data sources that are plain all through back where cdktf merges them', () => {
    const stack = new TerraformStack(Testing.app(), 'order');
    new NamespaceV1(stack, 'plain-first', { metadata: { name: 'a' } });
    new TerraformOutput(stack, 'between', { value: 'x' });
    const lookup = new DataKubernetesNamespaceV1(stack, 'lookup', { metadata: { name: 'kube-system' } });
    new NamespaceV1(stack, 'with-token', { metadata: { name: 'b', labels: { uid: lookup.metadata.name } } });
    new NamespaceV1(stack, 'plain-last', { metadata: { name: 'c' } });
    new KubernetesProvider(stack, 'kubernetes', {});
    const json = asideJson(stack);
    assert.equal(JSON.stringify(json), JSON.stringify(cdktfJson(stack)));
    assert.deepEqual(Object.keys((json as { resource: { kubernetes_namespace_v1: object } }).resource.kubernetes_namespace_v1), ['plain-first', 'with-token', 'plain-last']);
  });

  for (const environment of ENVIRONMENTS) {
    it(`${environment.name}: gives the JSON cdktf gives for the shipped environment`, () => {
      const stack = new GitOpsStack(Testing.app(), environment.name, { environment, manifestDirectory: os.tmpdir() });
      stack.prepareStack();
      let stashed = false;
      const json = terraformWithPlainDataAside(stack, () => {
        const status = stack.node.findChild('enterprise_gitops_status') as TerraformOutput;
        stashed = JSON.stringify(Tokenization.resolve(status.toTerraform(), { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) })).includes('gitops-plain-');
        return cdktfJson(stack);
      });
      assert.equal(stashed, true, 'the status outputs are set aside');
      assert.equal(JSON.stringify(json), JSON.stringify(cdktfJson(stack)));
      assert.equal(JSON.stringify(stack.toTerraform()), JSON.stringify(json), 'the stack writes it so');
    });
  }

  it('sets data aside under a stack override above the bodies, as the platform sets the Terraform version', () => {
    const stack = mixedStack();
    stack.addOverride('terraform.required_version', '>= 1.11');
    stack.addOverride('output.status.value.plain', 'replaced');
    stack.addOverride('terraform.backend.local.path', 'state.tfstate');
    let stashed = false;
    const json = terraformWithPlainDataAside(stack, () => {
      stashed = JSON.stringify((stack.node.findChild('plain') as TerraformOutput).toTerraform()).includes('gitops-plain-');
      return cdktfJson(stack);
    });
    assert.equal(stashed, true);
    assert.equal(JSON.stringify(json), JSON.stringify(cdktfJson(stack)));
  });

  for (const [path, value] of [
    ['output.plain.value.a', { b: 'overridden' }],
    ['resource.kubernetes_namespace_v1.first.metadata', { name: 'overridden' }],
  ] as const) {
    it(`resolves a stack whose override reaches below where data is set aside (${path}) as cdktf does, setting nothing aside`, () => {
      const stack = mixedStack();
      stack.addOverride(path, value);
      let stashed = true;
      const json = terraformWithPlainDataAside(stack, () => {
        stashed = ['plain', 'first'].some((id) => JSON.stringify((stack.node.findChild(id) as TerraformOutput).toTerraform()).includes('gitops-plain-'));
        return cdktfJson(stack);
      });
      assert.equal(stashed, false);
      assert.equal(JSON.stringify(json), JSON.stringify(cdktfJson(stack)));
      assert.match(JSON.stringify(json), /overridden/);
    });
  }

  it("keeps the elements' own methods once done, and on a failure", () => {
    const stack = mixedStack();
    const element = stack.node.findChild('first') as NamespaceV1;
    const own = (): Record<string, unknown> => ({ resource: { kubernetes_namespace_v1: { first: { metadata: { name: 'own' } } } } });
    element.toTerraform = own;
    asideJson(stack);
    assert.equal(element.toTerraform, own);
    const other = stack.node.findChild('second') as NamespaceV1;
    assert.throws(() => terraformWithPlainDataAside(stack, () => { throw new Error('boom'); }), /boom/);
    assert.equal(Object.getOwnPropertyDescriptor(other, 'toTerraform'), undefined, 'the prototype method again');
  });

  it('sets aside only lists and objects at the given depth and below, and leaves the input as it was', () => {
    const token = Token.asString(Lazy.stringValue({ produce: () => 'x' }));
    const input = { a: { b: { c: { d: 1 } }, t: token }, l: [{ p: 1 }, { q: token }], s: ['s', token] };
    const before = JSON.stringify(input);
    const stash: unknown[] = [];
    const hidden = hidePlainData(input, 2, (plain) => `#${stash.push(plain) - 1}`) as Record<string, Record<string, unknown>>;
    assert.equal(JSON.stringify(input), before);
    assert.deepEqual(hidden.a, { b: '#0', t: token });
    assert.deepEqual(hidden.l, ['#1', { q: token }]);
    assert.equal(hidden.s, input.s, 'a list with a token among its scalars is kept whole');
    assert.deepEqual(stash, [{ c: { d: 1 } }, { p: 1 }]);
    assert.equal(hidePlainData({ a: [{ b: 1 }] }, 0, () => 'all'), 'all');
    assert.deepEqual(hidePlainData({ a: { b: { c: 1 } } }, 2, () => 'deep'), { a: { b: 'deep' } }, 'plain all through: copied down to the depth');
    assert.equal(hidePlainData('plain', 0, () => 'all'), 'plain');
  });
});
