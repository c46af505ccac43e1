/**
 * The public surface: api/gitops-platform-cdktf.api.md is the API report of
 * the compiled package. A change to any exported name, signature or prop shows
 * in review as a change to that file; `npm run api` regenerates it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as fs from 'fs';
import * as path from 'path';
import { Extractor, ExtractorConfig, ExtractorMessage } from '@microsoft/api-extractor';

const root = path.resolve(__dirname, '..');

describe('the public API', { timeout: 180_000 }, () => {
  it('matches the checked-in API report (run `npm run api` after an intended change)', () => {
    fs.rmSync(path.join(root, '.gen', 'api'), { recursive: true, force: true });
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', '.gen/api'], { cwd: root, encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    const config = ExtractorConfig.loadFileAndPrepare(path.join(root, 'api-extractor.json'));
    const errors: string[] = [];
    const result = Extractor.invoke(config, {
      localBuild: false,
      messageCallback: (message: ExtractorMessage) => {
        if (message.logLevel === 'error') errors.push(message.formatMessageWithLocation(root));
        message.handled = true;
      },
    });
    assert.deepEqual(errors, []);
    assert.equal(
      result.apiReportChanged,
      false,
      'The public API changed: review .gen/api-report/gitops-platform-cdktf.api.md against api/gitops-platform-cdktf.api.md, then run `npm run api` to accept it.',
    );
  });

  it('exports no internals: no helper, rule constant or Rego text', () => {
    const report = fs.readFileSync(path.join(root, 'api', 'gitops-platform-cdktf.api.md'), 'utf8');
    for (const internal of ['dropUndefined', 'writeTree', 'REGO_COMMON', 'describeValue', 'PLATFORM_MODULES', 'PLATFORM_PROMETHEUS_URL', 'fluxServiceAccountName', 'ROLLOUT_IGNORE_DIFFERENCES']) {
      assert.doesNotMatch(report, new RegExp(`\\b${internal}\\b`), internal);
    }
  });

  it('exports no seed data: the seeds\' services, promotion and RBAC roles live in environments/seed/', () => {
    const report = fs.readFileSync(path.join(root, 'api', 'gitops-platform-cdktf.api.md'), 'utf8');
    for (const seed of ['SEED_SERVICES', 'SEED_PROMOTION', 'seedProductionCanary', 'WEB_APP_RESOURCES', 'seedRbacPolicy', 'SeedRbacOptions', 'DEFAULT_ALLOWED_REPOSITORIES', 'DEFAULT_REVIEW_LABEL']) {
      assert.doesNotMatch(report, new RegExp(`\\b${seed}\\b`), seed);
    }
  });
});
