/**
 * Builds a Go command-line tool from the Go module proxy with `go install
 * <package>@<version>` and caches the binary outside the repository, under
 * `${XDG_CACHE_HOME:-$HOME/.cache}/gitops-platform-tools/<name>-<version>/`.
 * Tests call it for the real tools they run (linters, validators); when Go is
 * missing the caller decides whether to skip (a developer machine) or fail (CI).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A Go tool pinned to one version. */
export interface GoTool {
  /** The binary's name (`actionlint`). */
  readonly name: string;
  /** The package `go install` builds (`github.com/rhysd/actionlint/cmd/actionlint`). */
  readonly package: string;
  /** An exact module version (`v1.7.12`). */
  readonly version: string;
}

/** Where the tool's binary is found, or why it is not there. */
export type GoToolResult = { readonly binary: string } | { readonly missing: string };

/** The cache folder of the project's Go tools. */
export function toolCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'gitops-platform-tools');
}

/** The cached binary of `tool`, built on first use; `missing` says how to get it when Go is absent or the build fails. */
export function ensureGoTool(tool: GoTool, env: NodeJS.ProcessEnv = process.env): GoToolResult {
  if (!/^v\d+\.\d+\.\d+$/.test(tool.version)) throw new Error(`${tool.name}: pin an exact version, not "${tool.version}".`);
  const directory = path.join(toolCacheDirectory(env), `${tool.name}-${tool.version}`);
  const binary = path.join(directory, process.platform === 'win32' ? `${tool.name}.exe` : tool.name);
  if (fs.existsSync(binary)) return { binary };
  const how = `install Go 1.22 or later (https://go.dev/dl/); the tests then build it with GOBIN=${directory} go install ${tool.package}@${tool.version}`;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return { missing: `${tool.name} ${tool.version} is not built and Go is not installed: ${how}` };
  fs.mkdirSync(directory, { recursive: true });
  const build = spawnSync('go', ['install', `${tool.package}@${tool.version}`], {
    encoding: 'utf8',
    env: { ...env, GOBIN: directory, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    timeout: 15 * 60 * 1000,
  });
  if (build.status !== 0 || !fs.existsSync(binary)) {
    return { missing: `${tool.name} ${tool.version} failed to build (${(build.stderr || String(build.error ?? '')).trim().split('\n').slice(-3).join(' ')}): ${how}` };
  }
  return { binary };
}
