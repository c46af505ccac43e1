import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unifiedDiff } from '../../../lib/delivery/diff';

describe('unifiedDiff', () => {
  it('shows removed then added lines with three lines of context', () => {
    assert.equal(unifiedDiff('f', 'a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\nE\nf\ng\nh\n'), '--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h');
    assert.equal(unifiedDiff('f', 'same\n', 'same\n'), '--- a/f\n+++ b/f');
  });
});
