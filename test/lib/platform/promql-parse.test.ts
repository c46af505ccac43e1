import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { parsePromQL, PROMQL_RESULTS_FILE_VARIABLE } from '../../../lib/platform/promql-parse';
import { metricNames } from '../../../lib/platform/deploy-model/rules/metrics';
import { promqlSyntaxError } from '../../../lib/monitoring/promql';

describe('parsePromQL', () => {
  const valid = [
    'sum by (namespace) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (namespace) (rate(http_requests_total[5m]))',
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    '{__name__="argocd_app_info", sync_status="OutOfSync"} > 0',
    'up == 0 and on (job) absent(kube_pod_info)',
  ];

  it('gives a valid text no problem and its metric names, sorted, each once', () => {
    assert.deepEqual(parsePromQL(valid[0]!), { metricNames: ['http_requests_total'] });
    assert.deepEqual(parsePromQL(valid[1]!).metricNames, ['http_request_duration_seconds_bucket']);
    assert.deepEqual(parsePromQL(valid[2]!).metricNames, ['argocd_app_info']);
    assert.deepEqual(parsePromQL(valid[3]!).metricNames, ['kube_pod_info', 'up']);
  });

  it('reads names from the strict tree of a valid text: the same tree the error-recovering parser builds', () => {
    // The deploy model read names from the error-recovering parser's tree; for a text without errors both are one tree.
    const strict = parser.configure({ strict: true });
    for (const text of valid) assert.equal(strict.parse(text).toString(), parser.parse(text).toString(), text);
  });

  it('parses a text once per process, for the syntax check and the metric names alike', () => {
    const text = 'sum(rate(parsed_once_total[1m]))';
    const first = parsePromQL(text);
    assert.equal(parsePromQL([...text].join('')), first, 'a copy of the text finds the same result');
    assert.equal(promqlSyntaxError(text), undefined);
    assert.deepEqual(metricNames(text), ['parsed_once_total']);
    assert.equal(parsePromQL(text), first);
  });

  it('reports where a broken text stops parsing, and still names its metrics', () => {
    const broken = 'rate(requests_total{job="a"}[5m]';
    assert.deepEqual(parsePromQL(broken).problem, { position: 32, message: 'syntax error at character 32' });
    assert.deepEqual(parsePromQL(broken).metricNames, ['requests_total']);
  });

  it('reads template arguments in the deploy model as any value', () => {
    assert.deepEqual(metricNames('sum(rate(http_requests_total{service="{{args.service-name}}"}[{{args.interval}}]))'), ['http_requests_total']);
  });
});

describe('PromQL results kept between runs', () => {
  const root = path.resolve(__dirname, '../../..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'promql-results-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  const texts = ['sum(rate(kept_requests_total{code=~"5.."}[5m])) / sum(rate(kept_requests_total[5m]))', 'rate(kept_broken_total[5m]', 'up == 0'];

  /** Parses `texts` in a process of its own with the results file `file` (none when undefined); what it got. */
  function parseIn(file: string | undefined, of: readonly string[] = texts): unknown[] {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env[PROMQL_RESULTS_FILE_VARIABLE];
    if (file !== undefined) env[PROMQL_RESULTS_FILE_VARIABLE] = file;
    const script = `const { parsePromQL } = require(${JSON.stringify(path.join(root, 'lib', 'platform', 'promql-parse.ts'))});
      console.log(JSON.stringify(${JSON.stringify(of)}.map((text) => parsePromQL(text))));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', env, timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as unknown[];
  }
  const fresh = texts.map((text) => parsePromQL(text));

  it('writes what a run parsed, and a later run takes the results from the file instead of parsing', () => {
    const file = path.join(work, 'first.json');
    assert.deepEqual(parseIn(file), fresh);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { results: [string, unknown][] };
    assert.deepEqual(new Map(written.results), new Map(texts.map((text, i) => [text, fresh[i]])));

    // A result only the file can have shows that the next run read it; having parsed nothing, it leaves the file as it is.
    const planted = { results: [[texts[2], { metricNames: ['only_in_the_file'] }], ...written.results.slice(0, 2)] };
    fs.writeFileSync(file, JSON.stringify(planted));
    const mtime = fs.statSync(file).mtimeMs;
    assert.deepEqual(parseIn(file), [fresh[0], fresh[1], { metricNames: ['only_in_the_file'] }]);
    assert.equal(fs.statSync(file).mtimeMs, mtime, 'not rewritten');

    // A run that parses a new text writes it beside what the file held.
    assert.deepEqual(parseIn(file, ['sum(kept_new_total)']), [{ metricNames: ['kept_new_total'] }]);
    const grown = new Map((JSON.parse(fs.readFileSync(file, 'utf8')) as { results: [string, unknown][] }).results);
    assert.deepEqual([...grown.keys()].sort(), [...texts, 'sum(kept_new_total)'].sort());
  });

  it('ignores a file that is not one it wrote, and writes a good one in its place', () => {
    const bad = ['not json', '{"results": {}}', '{"results": [["up", {"metricNames": "up"}]]}', '{"results": [["up", {"metricNames": [], "problem": {"position": "1", "message": "m"}}]]}', '{"results": [["up", {"metricNames": [], "extra": 1}]]}'];
    for (const [i, text] of bad.entries()) {
      const file = path.join(work, `bad-${i}.json`);
      fs.writeFileSync(file, text);
      assert.deepEqual(parseIn(file), fresh, text);
      assert.deepEqual((JSON.parse(fs.readFileSync(file, 'utf8')) as { results: unknown[] }).results.length, texts.length, text);
    }
  });

  it('parses as before without a file, or with one it cannot write', () => {
    assert.deepEqual(parseIn(undefined), fresh);
    const unwritable = path.join(work, 'no-such-folder', 'results.json');
    assert.deepEqual(parseIn(unwritable), fresh);
    assert.equal(fs.existsSync(path.dirname(unwritable)), false);
  });
});
