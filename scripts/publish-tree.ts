/**
 * `npm run publish-tree -- <env> --repo <path to a GitOps checkout> [--source <dir>] [--source-commit <sha>] [--push]`
 *
 * Writes the synthesized tree `dist/<env>` into the GitOps checkout at the
 * environment's `gitops.path`, on the branch the environment tracks
 * (`gitops.revision`), and commits it with a message naming the source commit.
 *
 * - Refuses a checkout with uncommitted changes or on another branch.
 * - Removes only files it wrote before: the list of written files is kept in
 *   `<gitops.path>/.published-files`; files others added there stay.
 * - A run that changes nothing makes no commit.
 * - `--push` pushes the branch to `origin` after committing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../environments';

/** The list of files the last publish wrote, relative to the environment's path. */
const MANIFEST_FILE = '.published-files';

class UsageError extends Error {}

function git(cwd: string, args: readonly string[], allowFailure = false): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.error) throw new UsageError(`git is not available: ${run.error.message}`);
  if (run.status !== 0 && !allowFailure) throw new UsageError(`git ${args.join(' ')} failed in ${cwd}: ${run.stderr.trim()}`);
  return run.status === 0 ? run.stdout.trim() : '';
}

function listFiles(directory: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push(path.relative(directory, full).split(path.sep).join('/'));
    }
  };
  walk(directory);
  return files.sort();
}

function removeEmptyParents(file: string, stop: string): void {
  let dir = path.dirname(file);
  while (dir.startsWith(stop) && dir !== stop && fs.existsSync(dir) && fs.readdirSync(dir).length === 0) {
    fs.rmdirSync(dir);
    dir = path.dirname(dir);
  }
}

interface Options {
  readonly env: string;
  readonly repo: string;
  readonly source?: string;
  readonly sourceCommit?: string;
  readonly push: boolean;
}

function parseArgs(args: readonly string[]): Options {
  const usage = `usage: npm run publish-tree -- <${ENVIRONMENTS.map((e) => e.name).join('|')}> --repo <GitOps checkout> [--source <dir>] [--source-commit <sha>] [--push]`;
  let env: string | undefined;
  const values: Record<string, string> = {};
  let push = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--push') push = true;
    else if (arg === '--repo' || arg === '--source' || arg === '--source-commit') {
      if (args[i + 1] === undefined) throw new UsageError(`${arg} needs a value. ${usage}`);
      values[arg] = args[++i];
    } else if (!arg.startsWith('-') && env === undefined) env = arg;
    else throw new UsageError(`unexpected argument "${arg}". ${usage}`);
  }
  if (!env || !values['--repo']) throw new UsageError(usage);
  return { env, repo: values['--repo'], source: values['--source'], sourceCommit: values['--source-commit'], push };
}

/** The commit the tree was synthesized from, marked when the working tree had changes. */
function sourceCommitOf(projectDir: string): string {
  const sha = git(projectDir, ['rev-parse', 'HEAD'], true);
  if (sha === '') throw new UsageError('the project is not a Git checkout: name the source with --source-commit <sha>');
  const dirty = git(projectDir, ['status', '--porcelain', '--untracked-files=no'], true) !== '';
  return dirty ? `${sha} (with uncommitted changes)` : sha;
}

function publish(options: Options): string {
  const environment = ENVIRONMENTS.find((e) => e.name === options.env);
  if (!environment) throw new UsageError(`unknown environment "${options.env}"; use one of ${ENVIRONMENTS.map((e) => e.name).join(', ')}`);
  const projectDir = process.cwd();
  const source = path.resolve(options.source ?? path.join(process.env.GITOPS_OUTDIR ?? 'dist', environment.name));
  if (!fs.existsSync(path.join(source, 'kustomization.yaml'))) {
    throw new UsageError(`${source} holds no synthesized tree: run \`npm run synth\` first`);
  }
  const repo = git(path.resolve(options.repo), ['rev-parse', '--show-toplevel']);
  const branch = git(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'], true);
  const revision = environment.gitops.revision;
  if (branch !== revision) {
    throw new UsageError(
      `${repo} is on ${branch === '' ? 'a detached HEAD' : `branch "${branch}"`}, but ${environment.name} tracks "${revision}": run git -C ${options.repo} checkout ${revision}`,
    );
  }
  if (git(repo, ['status', '--porcelain']) !== '') {
    throw new UsageError(`${repo} has uncommitted changes: commit or stash them first (git -C ${options.repo} status)`);
  }
  const commit = options.sourceCommit ?? sourceCommitOf(projectDir);

  const relativeTarget = environment.gitops.path ?? `clusters/${environment.name}`;
  const target = path.join(repo, ...relativeTarget.split('/'));
  const manifestPath = path.join(target, MANIFEST_FILE);
  const previous = fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, 'utf8').split('\n').filter((l) => l !== '') : [];
  const files = listFiles(source).filter((f) => f !== MANIFEST_FILE);
  const current = new Set(files);

  for (const stale of previous) {
    if (current.has(stale) || stale.includes('..')) continue;
    const full = path.join(target, ...stale.split('/'));
    if (fs.existsSync(full)) {
      fs.rmSync(full);
      removeEmptyParents(full, target);
    }
  }
  for (const file of files) {
    const from = path.join(source, ...file.split('/'));
    const to = path.join(target, ...file.split('/'));
    const content = fs.readFileSync(from);
    if (fs.existsSync(to) && fs.readFileSync(to).equals(content)) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, content);
  }
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(manifestPath, files.join('\n') + '\n');

  git(repo, ['add', '--all', '--', relativeTarget]);
  const changed = spawnSync('git', ['diff', '--cached', '--quiet'], { cwd: repo }).status !== 0;
  if (!changed) return `${environment.name}: ${relativeTarget} on ${revision} is already current; nothing to commit`;
  git(repo, ['commit', '--quiet', '-m', `Publish the ${environment.name} GitOps tree from ${commit}`, '-m', `Written by npm run publish-tree from the synthesized dist/${environment.name}.`]);
  const sha = git(repo, ['rev-parse', '--short', 'HEAD']);
  if (options.push) git(repo, ['push', '--quiet', 'origin', revision]);
  return `${environment.name}: committed ${sha} on ${revision} (${relativeTarget}, ${files.length} files)${options.push ? ', pushed to origin' : ''}`;
}

function main(args: readonly string[]): number {
  try {
    console.log(publish(parseArgs(args)));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`publish-tree: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
