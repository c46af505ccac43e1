import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { EnvironmentConfig } from '../../../../stacks/environment';
import { GitOpsStack } from '../../../../stacks/gitops-stack';

/** A deep copy of the plain data in `value`; class instances (Storage, NotificationService) are kept as they are. */
export function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)])) as T;
}

/** A copy of `base` changed by `mutate` (which may write anything: it stands for a JavaScript or JSON caller). */
export function mutated(base: EnvironmentConfig, mutate: (config: Record<string, any>) => void): EnvironmentConfig {
  const copy = copyPlain(base) as unknown as Record<string, any>;
  mutate(copy);
  return copy as unknown as EnvironmentConfig;
}

/** A stack of `environment` writing into a fresh temporary directory; `extend` adds user objects before synthesis. */
export function synthWith(environment: EnvironmentConfig, extend: (stack: GitOpsStack) => void = () => undefined): GitOpsStack {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `boundary-${environment.name}-`));
  const app = Testing.app();
  const stack = new GitOpsStack(app, environment.name, { environment, manifestDirectory: directory });
  extend(stack);
  try {
    Testing.synth(stack, true);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
  return stack;
}
