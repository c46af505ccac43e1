import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { dev } from '../../../environments';
import { JenkinsX } from '../../../lib/jenkins-x/jenkins-x';
import { JenkinsXSettings } from '../../../lib/jenkins-x/settings';
import { ModuleName } from '../../../lib/platform/environment';
import { EnvironmentConfig } from '../../../stacks/environment';
import { GitOpsStack } from '../../../stacks/gitops-stack';

/** The dev environment with other Jenkins X settings (and optionally other modules). */
export function envWith(jenkinsX: JenkinsXSettings | undefined, base: EnvironmentConfig = dev, modules?: readonly ModuleName[]): EnvironmentConfig {
  return { ...base, jenkinsX, ...(modules ? { modules } : {}) };
}

/** A stack for `env` writing to a throw-away directory; construction runs every check. */
export function makeStack(env: EnvironmentConfig): GitOpsStack {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `jx-${env.name}-`));
  fs.rmSync(directory, { recursive: true, force: true });
  return new GitOpsStack(Testing.app(), env.name, { environment: env, manifestDirectory: directory });
}

/** The Jenkins X module of a stack. */
export function jenkinsX(stack: GitOpsStack): JenkinsX {
  const module = stack.modules['jenkins-x'];
  if (!(module instanceof JenkinsX)) throw new Error('the stack has no Jenkins X module');
  return module;
}

/** The files the tree would write, by path. */
export function treeFiles(stack: GitOpsStack): Map<string, string> {
  return stack.platform.tree.render({ chartName: 'gitops-bootstrap', chartVersion: '0.1.0' });
}
