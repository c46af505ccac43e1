import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { dev } from '../../environments';
import { synthEnvironment } from '../support/synth';

const root = path.resolve(__dirname, '../..');
const identity = {
  GIT_AUTHOR_NAME: 'Platform CI',
  GIT_AUTHOR_EMAIL: 'ci@example.com',
  GIT_COMMITTER_NAME: 'Platform CI',
  GIT_COMMITTER_EMAIL: 'ci@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...identity } });
  assert.equal(run.status, 0, `git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
}

function publishTree(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/publish-tree.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...identity },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A bare "remote" with develop and main, and a clone on develop with a file a person added under clusters/dev. */
function gitopsRepository(): { bare: string; clone: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-tree-'));
  const bare = path.join(dir, 'gitops.git');
  const clone = path.join(dir, 'gitops');
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  git(dir, 'clone', '--quiet', bare, clone);
  fs.mkdirSync(path.join(clone, 'clusters/dev'), { recursive: true });
  fs.writeFileSync(path.join(clone, 'README.md'), '# GitOps repository\n');
  fs.writeFileSync(path.join(clone, 'clusters/dev/OWNERS'), 'platform-team\n');
  git(clone, 'add', '.');
  git(clone, 'commit', '--quiet', '-m', 'Initial layout');
  git(clone, 'push', '--quiet', 'origin', 'main');
  git(clone, 'checkout', '--quiet', '-b', 'develop');
  git(clone, 'push', '--quiet', 'origin', 'develop');
  return { bare, clone };
}

describe('npm run publish-tree', () => {
  let source: string;
  before(() => {
    source = synthEnvironment(dev).directory;
  });

  it('is the script package.json runs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['publish-tree'], 'node --import tsx scripts/publish-tree.ts');
  });

  it('writes the tree at gitops.path on the tracked branch, commits naming the source commit, and pushes', () => {
    const { bare, clone } = gitopsRepository();
    const run = publishTree('dev', '--repo', clone, '--source', source, '--source-commit', '0123456789abcdef0123456789abcdef01234567', '--push');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^dev: committed [0-9a-f]+ on develop \(clusters\/dev, \d+ files\), pushed to origin\n$/);
    assert.equal(git(clone, 'log', '-1', '--format=%s'), 'Publish the dev GitOps tree from 0123456789abcdef0123456789abcdef01234567');
    assert.equal(git(bare, 'rev-parse', 'develop'), git(clone, 'rev-parse', 'HEAD'));
    assert.equal(git(bare, 'log', '-1', '--format=%s', 'main'), 'Initial layout');
    // Byte for byte the synthesized tree, plus the list of what was written.
    const written = git(clone, 'ls-files', 'clusters/dev').split('\n');
    const expected = fs.readFileSync(path.join(clone, 'clusters/dev/.published-files'), 'utf8').trim().split('\n');
    assert.ok(expected.includes('kustomization.yaml') && expected.includes('bootstrap/Chart.yaml'));
    assert.deepEqual(written.sort(), [...expected.map((f) => `clusters/dev/${f}`), 'clusters/dev/.published-files', 'clusters/dev/OWNERS'].sort());
    for (const file of expected) {
      assert.equal(fs.readFileSync(path.join(clone, 'clusters/dev', file), 'utf8'), fs.readFileSync(path.join(source, file), 'utf8'), file);
    }
  });

  it('makes no commit when nothing changed', () => {
    const { clone } = gitopsRepository();
    assert.equal(publishTree('dev', '--repo', clone, '--source', source, '--source-commit', 'abc1234').status, 0);
    const head = git(clone, 'rev-parse', 'HEAD');
    const again = publishTree('dev', '--repo', clone, '--source', source, '--source-commit', 'def5678');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, 'dev: clusters/dev on develop is already current; nothing to commit\n');
    assert.equal(git(clone, 'rev-parse', 'HEAD'), head);
  });

  it('removes only stale files it wrote before, never files others added', () => {
    const { clone } = gitopsRepository();
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tree-'));
    fs.cpSync(source, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'apps/retired.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: retired\n');
    assert.equal(publishTree('dev', '--repo', clone, '--source', copy, '--source-commit', 'aaaaaaa').status, 0);
    assert.ok(fs.existsSync(path.join(clone, 'clusters/dev/apps/retired.yaml')));
    // A person adds a file next to the published ones.
    fs.writeFileSync(path.join(clone, 'clusters/dev/apps/notes.md'), 'kept\n');
    git(clone, 'add', '.');
    git(clone, 'commit', '--quiet', '-m', 'Notes');

    const run = publishTree('dev', '--repo', clone, '--source', source, '--source-commit', 'bbbbbbb');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(fs.existsSync(path.join(clone, 'clusters/dev/apps/retired.yaml')), false);
    assert.equal(fs.readFileSync(path.join(clone, 'clusters/dev/apps/notes.md'), 'utf8'), 'kept\n');
    assert.equal(fs.readFileSync(path.join(clone, 'clusters/dev/OWNERS'), 'utf8'), 'platform-team\n');
    assert.deepEqual(git(clone, 'show', '--name-status', '--format=', 'HEAD').split('\n'), ['M\tclusters/dev/.published-files', 'D\tclusters/dev/apps/retired.yaml']);
  });

  it('refuses a checkout on another branch', () => {
    const { clone } = gitopsRepository();
    git(clone, 'checkout', '--quiet', 'main');
    const run = publishTree('dev', '--repo', clone, '--source', source, '--source-commit', 'abc1234');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^publish-tree: .* is on branch "main", but dev tracks "develop": run git -C .* checkout develop\n$/);
    assert.equal(git(clone, 'log', '-1', '--format=%s'), 'Initial layout');
  });

  it('refuses a checkout with uncommitted changes', () => {
    const { clone } = gitopsRepository();
    fs.writeFileSync(path.join(clone, 'README.md'), '# edited\n');
    const run = publishTree('dev', '--repo', clone, '--source', source, '--source-commit', 'abc1234');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^publish-tree: .* has uncommitted changes: commit or stash them first/);
    assert.equal(fs.existsSync(path.join(clone, 'clusters/dev/kustomization.yaml')), false);
  });

  it('names the project commit the tree came from when no source commit is given', () => {
    const { clone } = gitopsRepository();
    const run = publishTree('dev', '--repo', clone, '--source', source);
    assert.equal(run.status, 0, run.stderr);
    const head = git(root, 'rev-parse', 'HEAD');
    assert.match(git(clone, 'log', '-1', '--format=%s'), new RegExp(`^Publish the dev GitOps tree from ${head}( \\(with uncommitted changes\\))?$`));
  });

  it('refuses a source without a synthesized tree', () => {
    const { clone } = gitopsRepository();
    const run = publishTree('dev', '--repo', clone, '--source', fs.mkdtempSync(path.join(os.tmpdir(), 'empty-')));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /holds no synthesized tree: run `npm run synth` first/);
  });
});
