import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The external tools scripts/tools.sh provides, with how to get each. */
export const TOOLS = {
  actionlint: 'actionlint: install Go, then `bash scripts/tools.sh` builds it from tools/actionlint/go.mod',
  gator: 'Gatekeeper gator: install Go, then `bash scripts/tools.sh` builds it from tools/gator/go.mod',
  helm: 'Helm: install Go, then `bash scripts/tools.sh` builds it from tools/helm/go.mod',
  kine: 'kine: install Go, then `bash scripts/tools.sh` builds it from tools/kine/go.mod',
  'kube-apiserver': 'kube-apiserver: install Go, then `bash scripts/tools.sh` builds it from tools/kube-apiserver/go.mod',
  kubectl: 'kubectl: install Go, then `bash scripts/tools.sh` builds it from tools/kubectl/go.mod',
  kustomize: 'kustomize: install Go, then `bash scripts/tools.sh` builds it from tools/kustomize/go.mod',
  promtool: 'promtool: apt-get install prometheus (Debian), then `bash scripts/tools.sh`',
  python3: 'python3 (3.8 or later): apt-get install python3-minimal (Debian), then `bash scripts/tools.sh`',
  tofu: 'OpenTofu: install Go, then `bash scripts/tools.sh` builds it from tools/tofu/go.mod',
} as const;

export type ToolName = keyof typeof TOOLS;

const LINKS = path.resolve(__dirname, '../../.tools/bin');
const PROVIDERS = path.resolve(__dirname, '../../.tools/providers');

/**
 * The path of a tool linked by scripts/tools.sh, or a skip reason naming the
 * tool and how to get it. Under CI=true a missing tool throws: CI must run them.
 */
export function tool(name: ToolName, links = LINKS, env: NodeJS.ProcessEnv = process.env): { path?: string; skip: string | false } {
  const link = path.join(links, name);
  if (fs.existsSync(link)) return { path: fs.realpathSync(link), skip: false };
  const reason = `${name} not available; to run it: ${TOOLS[name]}`;
  if (env.CI === 'true') throw new Error(`${reason} (CI=true requires every verification tool)`);
  return { skip: reason };
}

/** Runs a tool; the result carries stdout/stderr for assertion messages. */
export function run(binary: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  const result = spawnSync(binary, args, { encoding: 'utf8', cwd: options.cwd, input: options.input, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  if (result.error) throw result.error;
  return result;
}

/** A readable account of a tool run, for failure messages. */
export function output(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}\n${result.stdout}\n${result.stderr}`.trim();
}

/**
 * The OpenTofu filesystem mirror with the pinned terraform-provider-helm and
 * terraform-provider-kubernetes releases, linked by scripts/tools.sh from
 * GITOPS_PROVIDER_MIRROR, or the skip line saying why it is absent. This one
 * skips under CI=true too: the Go module proxy does not serve those releases
 * (their v2/v3 tags lack the /v2, /v3 module path suffix), so CI cannot build them.
 */
export function providerMirror(link = PROVIDERS): { path?: string; skip: string | false } {
  if (fs.existsSync(link)) return { path: fs.realpathSync(link), skip: false };
  return {
    skip:
      'terraform providers not available: the Go module proxy does not serve terraform-provider-helm 3.x or terraform-provider-kubernetes 2.x; ' +
      'to run it, build both releases into a filesystem mirror (tools/README.md) and set GITOPS_PROVIDER_MIRROR before `bash scripts/tools.sh`',
  };
}
