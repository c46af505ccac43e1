import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyPlain, recordFrom } from '../../../lib/platform/plain-object';

describe('recordFrom', () => {
  const cases: Array<Array<[string, unknown]>> = [
    [],
    [['b', 1], ['a', 2], ['10', 3], ['2', 4], ['tenant-0001', { x: 1 }]],
    [['a', 1], ['a', 2]],
    [['__proto__', { polluted: true }], ['constructor', 'c'], ['toString', 't']],
    Array.from({ length: 1500 }, (_, i): [string, unknown] => [`ns-${(i * 7919) % 1500}`, i]),
  ];

  it('gives what Object.fromEntries gives: the same keys in the same order, the last of a repeated key, own __proto__ kept own', () => {
    for (const entries of cases) {
      const record = recordFrom(entries);
      const expected = Object.fromEntries(entries);
      assert.deepEqual(Object.keys(record), Object.keys(expected));
      assert.equal(JSON.stringify(record), JSON.stringify(expected));
      assert.equal(Object.getPrototypeOf(record), Object.prototype);
    }
    const withProto = recordFrom(cases[3]!);
    assert.ok(Object.prototype.hasOwnProperty.call(withProto, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('takes any iterable of pairs, such as a Map', () => {
    assert.deepEqual(recordFrom(new Map([['x', 1], ['y', 2]])), { x: 1, y: 2 });
  });
});

describe('copyPlain', () => {
  it('copies an own __proto__ key as a property, not as the prototype', () => {
    const parsed = JSON.parse('{"a":{"__proto__":{"polluted":true},"b":[1,{"__proto__":2}]}}') as unknown;
    const copy = copyPlain(parsed) as { a: Record<string, unknown> };
    assert.equal(JSON.stringify(copy), JSON.stringify(parsed));
    assert.equal(Object.getPrototypeOf(copy.a), Object.prototype);
    assert.ok(Object.prototype.hasOwnProperty.call(copy.a, '__proto__'));
    assert.equal(copy.a.polluted, undefined);
  });

  it('drops undefined entries and list items, as JSON does', () => {
    assert.deepEqual(copyPlain({ a: undefined, b: [1, undefined, 2], c: { d: undefined } }), { b: [1, 2], c: {} });
  });
});
