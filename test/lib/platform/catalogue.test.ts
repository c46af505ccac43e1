import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHARTS, ChartRef } from '../../../lib/platform/catalogue';

const EXACT_SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

describe('chart catalogue', () => {
  const entries = Object.entries(CHARTS) as Array<[string, ChartRef]>;

  it('lists at least the argo-cd chart', () => {
    assert.ok(entries.some(([, c]) => c.chart === 'argo-cd'));
  });

  for (const [key, chart] of entries) {
    it(`${key} is pinned to an exact version with its repository`, () => {
      assert.match(chart.version, EXACT_SEMVER, `${key}.version must be an exact SemVer, not a range or "latest"`);
      assert.doesNotMatch(chart.version, /latest|[\^~*x><=|]/i);
      assert.match(chart.repository, /^(https|oci):\/\/[^\s]+$/, `${key}.repository must be an https:// or oci:// URL`);
      assert.ok(chart.chart.length > 0, `${key}.chart must be set`);
      assert.ok(chart.appVersion.length > 0, `${key}.appVersion must be set`);
    });
  }

  it('has one entry per chart name', () => {
    const names = entries.map(([, c]) => `${c.repository} ${c.chart}`);
    assert.equal(new Set(names).size, names.length);
  });
});
