import { deliveryReferencesOf } from '../../../stacks/modules';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import * as path from 'path';
import { dev, ENVIRONMENTS, prod, staging } from '../../../environments';
import { formatPromotion, promote, PromotionPath } from '../../../lib/delivery/promotion';
import { EnvironmentConfig } from '../../../stacks/environment';
import { cachedSynth } from '../../support/synth';

const root = path.resolve(__dirname, '../../..');
const synth = cachedSynth();
const synthProd = () => synth(prod);

/** The shipped environments with tag-based promotion and the given release tags of the frontend. */
function tagBased(tags: { dev: string; staging: string; prod: string }): EnvironmentConfig[] {
  return [dev, staging, prod].map((env) => ({
    ...env,
    delivery: {
      ...env.delivery,
      promotion: { path: ['dev', 'staging', 'prod'], model: 'tag' },
      releases: { ...env.delivery!.releases, frontend: { ...env.delivery!.releases!.frontend, tag: tags[env.name as 'dev'] } },
    },
  }));
}

describe('PromotionPath', () => {
  it('reads the seeds branch-based path dev (develop) -> staging (staging) -> prod (main) from the environments', () => {
    const path = PromotionPath.fromEnvironments(ENVIRONMENTS);
    assert.equal(path.model, 'branch');
    assert.deepEqual(path.stages, [
      { environment: 'dev', branch: 'develop', releasesOnly: false },
      { environment: 'staging', branch: 'staging', releasesOnly: false },
      { environment: 'prod', branch: 'main', releasesOnly: false },
    ]);
  });

  it('accepts release versions only in the last stage of a tag-based path', () => {
    const path = PromotionPath.tagBased([{ environment: 'dev', branch: 'develop' }, { environment: 'prod', branch: 'main' }]);
    assert.deepEqual(path.stages.map((s) => s.releasesOnly), [false, true]);
  });

  it('fails when a promotion skips an environment', () => {
    assert.throws(() => PromotionPath.fromEnvironments(ENVIRONMENTS).checkStep('dev', 'prod'), {
      name: 'ConfigError',
      message:
        'PromotionPath: promotion is "dev -> prod". It skips staging on the path dev -> staging -> prod: promote one environment at a time (dev -> staging, then staging -> prod).',
    });
  });

  it('fails when a promotion goes backwards or stays put', () => {
    const path = PromotionPath.fromEnvironments(ENVIRONMENTS);
    assert.throws(() => path.checkStep('prod', 'staging'), {
      message:
        'PromotionPath: promotion is "prod -> staging". Promotions go forward along dev -> staging -> prod; prod is the last environment. To roll back, use "kubectl argo rollouts undo" or pin the previous tag in staging.',
    });
    assert.throws(() => path.checkStep('staging', 'staging'), { message: /promotion is "staging -> staging"\. Promotions go forward along dev -> staging -> prod; the next environment after staging is prod\./ });
    assert.throws(() => path.checkStep('dev', 'qa'), { message: 'PromotionPath: environment is "qa". Use one of dev, staging, prod.' });
  });

  it('fails when the environments declare different paths', () => {
    const envs = [dev, { ...staging, delivery: { ...staging.delivery, promotion: { path: ['staging', 'prod'] } } }, prod];
    assert.throws(() => PromotionPath.fromEnvironments(envs), {
      message:
        'Environment "staging": delivery.promotion is {"path":["staging","prod"],"model":"branch"}. Environment "dev" declares {"path":["dev","staging","prod"],"model":"branch"}; every environment must declare the same promotion path.',
    });
  });
});

describe('promote', () => {
  it('gives the target the source image tag, keeps its replicas and strategy, and shows the diff of the file the target applies', () => {
    const p = promote(ENVIRONMENTS, 'frontend', 'staging', 'prod', deliveryReferencesOf);
    assert.equal(p.previousTag, 'v1.2.3');
    assert.equal(p.tag, 'v1.3.0');
    assert.equal(p.changed, true);
    assert.equal(p.release.tag, 'v1.3.0');
    assert.equal(p.release.replicas, 10);
    assert.equal(p.release.strategy, prod.delivery!.releases!.frontend.strategy);
    // prod's engine is argocd, whose root app builds the service from its overlay: the one file that changes.
    assert.equal(p.overlayPath, 'clusters/prod/apps/delivery/frontend/overlays/prod/kustomization.yaml');
    assert.match(p.overlayBefore, /newTag: v1\.2\.3/);
    assert.match(p.overlayAfter, /newTag: v1\.3\.0/);
    assert.equal(
      p.diff,
      [
        '--- a/clusters/prod/apps/delivery/frontend/overlays/prod/kustomization.yaml',
        '+++ b/clusters/prod/apps/delivery/frontend/overlays/prod/kustomization.yaml',
        '@@ -17,7 +17,7 @@',
        "   argocd.argoproj.io/sync-wave: '2'",
        ' images:',
        '   - name: ghcr.io/company/web-app',
        '-    newTag: v1.2.3',
        '+    newTag: v1.3.0',
        ' replicas:',
        '   - name: frontend',
        '     count: 10',
      ].join('\n'),
    );
    assert.deepEqual(p.steps, [
      'git checkout -b release/frontend-v1.3.0 main',
      'git merge --no-ff staging',
      'set delivery.releases.frontend.tag to "v1.3.0" in environments/prod.ts and run "npm run synth"',
      'commit the regenerated clusters/prod tree and push the release branch',
      'gh pr create --base main --title "Promote frontend v1.3.0 to prod" (production changes are reviewed)',
    ]);
  });

  it('with the flux engine, shows the same diff of the target\'s overlay', () => {
    const flux = ENVIRONMENTS.map((e) => ({ ...e, delivery: { ...e.delivery, engine: 'flux' as const } }));
    const p = promote(flux, 'frontend', 'staging', 'prod', deliveryReferencesOf);
    assert.equal(p.overlayPath, 'clusters/prod/apps/delivery/frontend/overlays/prod/kustomization.yaml');
    assert.match(p.diff, /^-    newTag: v1\.2\.3\n\+    newTag: v1\.3\.0$/m);
    assert.equal(p.diff, promote(ENVIRONMENTS, 'frontend', 'staging', 'prod', deliveryReferencesOf).diff);
  });

  it('diffs the overlay the target ships: its before side is the synthesized file', () => {
    const p = promote(ENVIRONMENTS, 'frontend', 'staging', 'prod', deliveryReferencesOf);
    const { files } = synthProd();
    assert.equal(p.overlayBefore, files.get('apps/delivery/frontend/overlays/prod/kustomization.yaml'));
  });

  it('merges the source branch into the target branch for a middle stage', () => {
    const p = promote(ENVIRONMENTS, 'backend-api', 'dev', 'staging', deliveryReferencesOf);
    assert.equal(p.tag, 'v2.2.0');
    assert.equal(p.steps[0], 'git checkout staging && git merge --no-ff develop');
    assert.match(formatPromotion(p), /image ghcr\.io\/company\/api-service: v2\.1\.1 -> v2\.2\.0/);
  });

  it('reports no change when the target already runs the tag', () => {
    const p = promote(ENVIRONMENTS, 'frontend', 'dev', 'staging', deliveryReferencesOf);
    assert.equal(p.changed, false);
    assert.deepEqual(p.steps, []);
    assert.match(formatPromotion(p), /staging already runs ghcr\.io\/company\/web-app:v1\.3\.0; nothing changes\./);
  });

  it('fails when a promotion skips an environment', () => {
    assert.throws(() => promote(ENVIRONMENTS, 'frontend', 'dev', 'prod', deliveryReferencesOf), { name: 'ConfigError', message: /It skips staging/ });
  });

  it('fails on an unknown service', () => {
    assert.throws(() => promote(ENVIRONMENTS, 'web', 'dev', 'staging', deliveryReferencesOf), {
      message: 'Environment "dev": delivery.services is "web". The environment has no such service (services: database, backend-api, frontend, worker-service).',
    });
  });

  it('tag-based: tags the release and rejects pre-releases in prod, downgrades and non-SemVer tags', () => {
    const ok = promote(tagBased({ dev: 'v1.4.0-rc.1', staging: 'v1.4.0', prod: 'v1.3.0' }), 'frontend', 'staging', 'prod', deliveryReferencesOf);
    assert.equal(ok.model, 'tag');
    assert.deepEqual(ok.steps.at(-1), 'git tag -a frontend/v1.4.0 -m "Promote frontend v1.4.0 to prod" && git push origin frontend/v1.4.0');
    assert.equal(promote(tagBased({ dev: 'v1.4.0-rc.1', staging: 'v1.3.0', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf).tag, 'v1.4.0-rc.1');

    assert.throws(() => promote(tagBased({ dev: 'v1.4.0', staging: 'v1.4.0-rc.2', prod: 'v1.3.0' }), 'frontend', 'staging', 'prod', deliveryReferencesOf), {
      message: 'PromotionPath: frontend tag is "v1.4.0-rc.2". prod accepts release versions only: promote a version without a pre-release suffix, such as "v1.4.0".',
    });
    assert.throws(() => promote(tagBased({ dev: 'v1.4.0', staging: 'v1.2.0', prod: 'v1.3.0' }), 'frontend', 'staging', 'prod', deliveryReferencesOf), {
      message: 'PromotionPath: frontend tag is "v1.2.0". prod runs v1.3.0, which is newer; promotions only move forward (roll back with "kubectl argo rollouts undo").',
    });
    assert.throws(() => promote(tagBased({ dev: 'build-42', staging: 'v1.2.0', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf), {
      message: 'PromotionPath: frontend tag is "build-42". Tag-based promotion needs a SemVer version such as "v1.4.0" or "v1.4.0-rc.1".',
    });
  });
  it('tag-based: orders pre-releases by SemVer 2.0 precedence (numeric identifiers as numbers)', () => {
    // rc.10 follows rc.2; a string comparison would call it older.
    assert.equal(promote(tagBased({ dev: 'v1.4.0-rc.10', staging: 'v1.4.0-rc.2', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf).tag, 'v1.4.0-rc.10');
    assert.throws(() => promote(tagBased({ dev: 'v1.4.0-rc.2', staging: 'v1.4.0-rc.10', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf), {
      message: /staging runs v1\.4\.0-rc\.10, which is newer/,
    });
    // Numeric identifiers sort before alphanumeric ones; more identifiers sort after fewer.
    assert.equal(promote(tagBased({ dev: 'v1.4.0-rc', staging: 'v1.4.0-1', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf).tag, 'v1.4.0-rc');
    assert.equal(promote(tagBased({ dev: 'v1.4.0-alpha.1', staging: 'v1.4.0-alpha', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf).tag, 'v1.4.0-alpha.1');
    assert.throws(() => promote(tagBased({ dev: 'v1.4.0-alpha', staging: 'v1.4.0-alpha.1', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf), { message: /which is newer/ });
    assert.throws(() => promote(tagBased({ dev: 'v1.4.0-beta.11', staging: 'v1.4.0-rc.1', prod: 'v1.3.0' }), 'frontend', 'dev', 'staging', deliveryReferencesOf), { message: /which is newer/ });
  });
});

describe('npm run promote (scripts/promote.ts)', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/promote.ts', ...args], { cwd: root, encoding: 'utf8' });

  it('prints the promotion and the diff', () => {
    const result = run('frontend', 'staging', 'prod');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Promote frontend from staging to prod \(branch-based\)\n/);
    assert.match(result.stdout, /^--- a\/clusters\/prod\/apps\/delivery\/frontend\/overlays\/prod\/kustomization\.yaml$/m);
    assert.match(result.stdout, /^-    newTag: v1\.2\.3$/m);
    assert.match(result.stdout, /^\+    newTag: v1\.3\.0$/m);
  });

  it('prints JSON on request', () => {
    const result = run('backend-api', 'dev', 'staging', '--json');
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { tag: string; release: { tag: string; replicas: number } };
    assert.equal(json.tag, 'v2.2.0');
    assert.deepEqual(json.release, { tag: 'v2.2.0', replicas: 2 });
  });

  it('rejects a promotion that skips an environment with exit code 1', () => {
    const result = run('frontend', 'dev', 'prod');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^promotion rejected: PromotionPath: promotion is "dev -> prod"\. It skips staging/);
  });

  it('prints usage with exit code 2', () => {
    const result = run('frontend');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: npm run promote -- <service> <from> <to>/);
  });
});
