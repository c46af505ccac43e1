import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextMemo } from '../../../lib/platform/text-memo';

describe('TextMemo', () => {
  it('computes each text once, undefined results included', () => {
    const memo = new TextMemo<string | undefined>(10);
    const asked: string[] = [];
    const compute = (text: string): string | undefined => {
      asked.push(text);
      return text === 'none' ? undefined : text.toUpperCase();
    };
    for (let round = 0; round < 3; round++) {
      assert.equal(memo.of('a', compute), 'A');
      assert.equal(memo.of('none', compute), undefined);
    }
    assert.deepEqual(asked, ['a', 'none']);
  });

  it('keeps at most its limit, then starts afresh', () => {
    const memo = new TextMemo<number>(2);
    let computed = 0;
    const compute = (text: string): number => (computed++, text.length);
    memo.of('a', compute);
    memo.of('bb', compute);
    memo.of('ccc', compute); // full: the first two are let go
    assert.equal(computed, 3);
    memo.of('ccc', compute);
    assert.equal(computed, 3);
    assert.equal(memo.of('a', compute), 1);
    assert.equal(computed, 4);
  });

  it('computes a text longer than its longest every time, and keeps none of them', () => {
    const memo = new TextMemo<number>(10, 3);
    let computed = 0;
    const compute = (text: string): number => (computed++, text.length);
    for (let round = 0; round < 3; round++) {
      assert.equal(memo.of('abc', compute), 3);
      assert.equal(memo.of('abcd', compute), 4);
    }
    assert.equal(computed, 1 + 3);
  });
});
