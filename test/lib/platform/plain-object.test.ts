import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordFrom } from '../../../lib/platform/plain-object';

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
