import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isExactSemver, isSemverRange, parseSemverRange, semverRangeProblem } from '../../../lib/flux/semver';

describe('semver ranges', () => {
  it('accepts the ranges of the seeds and of Flux documentation', () => {
    for (const range of [
      '45.x',
      '15.x',
      '>=1.0.0 <2.0.0',
      '>=1.0.0-0 <2.0.0',
      '~1.2',
      '~1.2.3',
      '~>1.2',
      '^1.2.3',
      '^0.x',
      '*',
      'x',
      '1',
      '1.2',
      'v1.2.3',
      '=1.2.3',
      '!=1.2.3',
      '>= 1.2.3',
      '=>1.0',
      '=<2.0',
      '>1.0.0, <2.0.0',
      '>1.0.0,<2.0.0',
      '1.2.3 - 2.3.4',
      '1.0 - 2',
      '1.2.3 || >=2.0.0 <3.0.0',
      '>=1.0.0-rc.1+build.5',
      '  >=1.0.0  ',
    ]) {
      assert.equal(semverRangeProblem(range), undefined, range);
    }
  });

  it('parses comparators and alternatives', () => {
    assert.deepEqual(parseSemverRange('>=1.0.0 <2.0.0 || ~3.1'), {
      range: [
        [
          { operator: '>=', version: '1.0.0' },
          { operator: '<', version: '2.0.0' },
        ],
        [{ operator: '~', version: '3.1' }],
      ],
    });
    assert.deepEqual(parseSemverRange('1.2.3 - 2.3.4'), {
      range: [
        [
          { operator: '>=', version: '1.2.3' },
          { operator: '<=', version: '2.3.4' },
        ],
      ],
    });
  });

  it('rejects what does not parse, with the reason', () => {
    const cases: Array<[string, string]> = [
      ['', 'the range is empty'],
      ['   ', 'the range is empty'],
      ['latest', '"latest" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"'],
      ['>=1.0.0 <', '"<" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"'],
      ['>=1.0.0 ||', 'an alternative around "||" is empty'],
      ['|| 1.0', 'an alternative around "||" is empty'],
      ['1.2.3.4', '"1.2.3.4" is not a version such as "1.2.3", "1.2" or "1.x"'],
      ['>=1.0.0<2.0.0', '"<2.0.0" follows ">=1.0.0" without a space or comma'],
      ['>>1.0', '">>1.0" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"'],
      ['1..2', '"1..2" is not a version such as "1.2.3", "1.2" or "1.x"'],
      ['15.x.y', '"15.x.y" is not a version such as "1.2.3", "1.2" or "1.x"'],
      ['01.2.3', '"01.2.3" has a leading zero in "01"'],
      ['1.x.3', '"1.x.3" has a number after a wildcard; a wildcard must be the last component'],
      ['1.x-beta', '"1.x-beta" combines a wildcard with a pre-release'],
      ['1.2.3-01', '"1.2.3-01" has a numeric pre-release identifier with a leading zero: "01"'],
      ['>=1.0.0,', 'the range ends with a separator'],
      ['1.2.3 -2.0.0', '"-2.0.0" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"'],
      ['99999999999999999999', '"99999999999999999999" has a component too large: "99999999999999999999"'],
    ];
    for (const [range, reason] of cases) {
      assert.equal(semverRangeProblem(range), reason, JSON.stringify(range));
      assert.equal(isSemverRange(range), false, JSON.stringify(range));
    }
  });

  it('recognizes exact SemVer 2.0.0 versions', () => {
    for (const v of ['1.2.3', '0.0.0', '1.2.3-rc.1', '1.2.3-0.alpha', '1.2.3+build.5', '1.2.3-rc.1+sha.abc']) {
      assert.equal(isExactSemver(v), true, v);
    }
    for (const v of ['v1.2.3', '1.2', '01.2.3', '1.2.3-01', '1.2.3.4', '1.x.0', '']) {
      assert.equal(isExactSemver(v), false, v);
    }
  });
});
