import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { stableJson, StableStringify } from '../../../lib/platform/stable-json';
import { chooser } from '../../support/chooser';

// json-stable-stringify as cdktf loads it: the function stableJson stands in for.
const fromCdktf = createRequire(require.resolve('cdktf'));
const original = fromCdktf('json-stable-stringify') as StableStringify;

/** Calls of the original made through stableJson. */
function counted(): { readonly fallback: StableStringify; readonly calls: () => number } {
  let calls = 0;
  return {
    fallback: (value, options) => {
      calls++;
      return original(value, options);
    },
    calls: () => calls,
  };
}

/** Asserts the two texts are the same, and that stableJson wrote it without the original. */
function same(value: unknown, options?: { space?: number | string }): void {
  const { fallback, calls } = counted();
  assert.equal(stableJson(value, options, fallback), original(value, options), JSON.stringify(value));
  assert.equal(calls(), 0, 'written without the original');
}

/** A pseudo-random plain JSON value, with many empty objects and lists. */
function randomJson(next: (n: number) => number, depth: number): unknown {
  const kind = depth > 4 ? next(4) : next(8);
  switch (kind) {
    case 0: return ['', 'text', '{}', '[]', 'a "quoted": {}', 'line\nbreak', 'ü', '\u{1F600}'][next(8)];
    case 1: return [0, -0, 1.5, -3, 1e21, Number.NaN, Number.POSITIVE_INFINITY][next(7)];
    case 2: return [true, false, null][next(3)];
    case 3: return next(2) === 0 ? {} : [];
    case 4:
    case 5: {
      const out: unknown[] = [];
      for (let i = next(4); i > 0; i--) out.push(next(6) === 0 ? undefined : randomJson(next, depth + 1));
      return out;
    }
    default: {
      const out: Record<string, unknown> = {};
      const keys = ['b', 'a', '10', '9', '', 'key "x": {}', 'Z', 'ä', 'resource', 'depends_on'];
      for (let i = next(5); i > 0; i--) out[keys[next(keys.length)]!] = next(7) === 0 ? undefined : randomJson(next, depth + 1);
      return out;
    }
  }
}

describe('stableJson', () => {
  it("writes json-stable-stringify's text for plain JSON: empty objects and lists at every depth, awkward keys and strings", () => {
    same({});
    same([]);
    same({ a: {}, b: [], c: [{}, [], [[]], { d: {} }], e: { f: { g: [] } } }, { space: 2 });
    same({ 'quote "q": {}': {}, 'brace {}': [], '\\': '{}', text: '[]', nested: ['{}', '[]', { '': {} }] }, { space: 2 });
    same({ b: 1, a: [1, undefined, null, 'x'], c: undefined, d: Number.NaN, e: -0 }, { space: 2 });
    same({ z: { y: {}, x: [] } });
    // U+2028 and U+2029 stay unescaped in JSON text, inside a string: no line breaks there.
    same({ k: '\u2028{}\u2028', l: ['\u2029[],\u2029', '\u2028  "a": {}'], m: {} }, { space: 2 });
    same({ z: { y: {}, x: [] } }, { space: 4 });
    same({ z: { y: {}, x: [] } }, { space: '   ' });
    same({ z: { y: {}, x: [] } }, { space: 0 });
    same({ z: { y: {}, x: [] } }, {});
    same('text', { space: 2 });
    same(undefined, { space: 2 });
    same(Object.assign(Object.create(null) as object, { b: {}, a: [] }), { space: 2 });
  });

  it('writes the same text for a thousand random values', () => {
    const next = chooser(11);
    for (let i = 0; i < 1000; i++) same(randomJson(next, 0), { space: 2 });
  });

  it('hands anything else to json-stable-stringify: toJSON, class instances, an own __proto__ key, functions, symbols, bigints, cycles, other options', () => {
    const others: Array<[unknown, object | undefined]> = [
      [{ when: new Date(0) }, { space: 2 }],
      [{ list: Object.assign([1], { toJSON: () => 'listed' }) }, { space: 2 }],
      [{ item: new (class Item { a = 1; })() }, { space: 2 }],
      [JSON.parse('{"__proto__": {"a": 1}, "b": {}}'), { space: 2 }],
      [{ a: {} }, { space: '\t' }],
      [{ a: {} }, { space: 12 }],
      [{ b: 1, a: 2 }, { cmp: (x: { key: string }, y: { key: string }) => (x.key < y.key ? 1 : -1) }],
      [{ a: {} }, { space: 2, cycles: true }],
      [{ big: 1n }, { space: 2 }],
      [[undefined, () => 1, Symbol('s')], { space: 2 }],
      [{ f: () => 1, s: Symbol('s'), kept: 1 }, { space: 2 }],
    ];
    for (const [value, options] of others) {
      const { fallback, calls } = counted();
      let expected: unknown;
      try {
        expected = original(value, options);
      } catch (error) {
        expected = error;
      }
      if (expected instanceof Error) assert.throws(() => stableJson(value, options, fallback), { message: expected.message });
      else assert.equal(stableJson(value, options, fallback), expected);
      assert.equal(calls(), 1, `handed over: ${String(Object.keys(value as object))}`);
    }
    const cycle: Record<string, unknown> = { a: {} };
    cycle.self = cycle;
    const { fallback, calls } = counted();
    assert.throws(() => stableJson(cycle, { space: 2 }, fallback), /circular/i);
    assert.equal(calls(), 1);
  });
});
