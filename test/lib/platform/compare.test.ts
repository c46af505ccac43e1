import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareNames, sortByKeys, sortCodeUnits } from '../../../lib/platform/compare';
import { chooser } from '../../support/chooser';

const sign = (n: number): number => Math.sign(n);

describe('compareNames', () => {
  it('orders Kubernetes names as localeCompare does: every string of up to two of their characters, and longer ones', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789.-/';
    const names = [''];
    for (const a of alphabet) {
      names.push(a);
      for (const b of alphabet) names.push(a + b);
    }
    names.push('argo-rollouts', 'argocd', 'argocd-server', 'cert-manager', 'kube-system', 'monitoring/grafana', 'monitoring-x/a', 'a.b', 'a-b', 'a/b', 'ab', 'a0');
    const byCollation = [...names].sort((a, b) => a.localeCompare(b));
    assert.deepEqual([...names].sort(compareNames), byCollation);
    for (const a of names.slice(-12)) for (const b of names.slice(-12)) assert.equal(sign(compareNames(a, b)), sign(a.localeCompare(b)), `${a} ${b}`);
  });

  it('gives any other text to localeCompare: upper case, underscores', () => {
    for (const [a, b] of [['GIT_TOKEN', 'GITHUB'], ['Zeta', 'alpha'], ['a_b', 'ab'], ['Service', 'secret']]) {
      assert.equal(sign(compareNames(a!, b!)), sign(a!.localeCompare(b!)), `${a} ${b}`);
    }
    // Where code units would disagree with the collation.
    assert.ok('Zeta' < 'alpha');
    assert.ok(compareNames('Zeta', 'alpha') > 0);
  });
});

describe('sortCodeUnits', () => {
  it('sorts in place to the order of sort() without a comparator, short lists and long', () => {
    // Keys as objects have them (integer-like ones included), other scripts, surrogate pairs, and repeats.
    const pool = ['b', 'a', 'B', '10', '9', '', 'a-b', 'a_b', 'ä', 'Ω', '\u{1F600}', '\uFFFF', 'apiVersion', 'kind', 'metadata', 'spec', 'a', 'b'];
    const next = chooser(7);
    for (let length = 0; length <= 40; length++) {
      for (let round = 0; round < 25; round++) {
        const list = Array.from({ length }, () => pool[next(pool.length)]! + (next(3) === 0 ? pool[next(pool.length)]! : ''));
        const expected = [...list].sort();
        const result = sortCodeUnits(list);
        assert.equal(result, list, 'the list itself is returned');
        assert.deepEqual(list, expected);
      }
    }
  });
});

describe('sortByKeys', () => {
  it('sorts distinct keys as sort() does and moves each value with its key, short lists and long', () => {
    const pool = ['b', 'a', 'B', '10', '9', '', 'a-b', 'a_b', 'ä', 'Ω', '\u{1F600}', 'apiVersion', 'kind', 'metadata', 'spec'];
    const next = chooser(3);
    for (let length = 0; length <= 40; length++) {
      for (let round = 0; round < 25; round++) {
        const keys = [...new Set(Array.from({ length }, () => pool[next(pool.length)]! + next(1000)))];
        const values: unknown[] = keys.map((key) => (next(4) === 0 ? undefined : { of: key }));
        const expected = keys.map((key, i) => [key, values[i]] as const).sort(([a], [b]) => (a < b ? -1 : 1));
        sortByKeys(keys, values);
        assert.deepEqual(keys, expected.map(([key]) => key));
        assert.deepEqual(values, expected.map(([, value]) => value));
        assert.deepEqual(keys, [...keys].sort());
      }
    }
  });
});
