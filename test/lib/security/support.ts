import { after } from 'node:test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { dev, prod, staging } from '../../../environments';
import { EnvironmentConfig } from '../../../stacks/environment';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { Platform } from '../../../lib/platform/platform';
import { Security } from '../../../lib/security/security';
import { GitOpsStack } from '../../../stacks/gitops-stack';
import { readTree, TerraformJson, writtenObjects } from '../../support/synth';

/** The shipped environments by name. */
export const SHIPPED: Readonly<Record<string, EnvironmentConfig>> = { dev, staging, prod };

/** A stack under test, its tree directory and a way to synthesize it. */
export interface TestStack {
  readonly stack: GitOpsStack;
  readonly platform: Platform;
  readonly security: Security;
  readonly directory: string;
  /** Synthesizes (runs the checks, writes the tree); returns the Terraform JSON and the tree. */
  synth(): { tf: TerraformJson; files: Map<string, string>; objects: ManifestObject[] };
  dispose(): void;
}

/** A GitOpsStack of `base` with `overrides`; `extend` adds objects before synthesis. */
export function testStack(base: EnvironmentConfig, overrides: Partial<EnvironmentConfig> = {}, extend?: (platform: Platform) => void): TestStack {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `security-${base.name}-`));
  const environment = { ...base, ...overrides } as EnvironmentConfig;
  const stack = new GitOpsStack(Testing.app(), environment.name, { environment, manifestDirectory: directory });
  extend?.(stack.platform);
  return {
    stack,
    platform: stack.platform,
    security: stack.modules.security as Security,
    directory,
    synth() {
      const tf = JSON.parse(Testing.synth(stack)) as TerraformJson;
      const files = readTree(directory);
      const objects = writtenObjects(stack, files).map((o) => o.object);
      return { tf, files, objects };
    },
    dispose() {
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The objects of one kind. */
export function ofKind(objects: readonly ManifestObject[], kind: string): ManifestObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The controller namespaces of dev that get a default-deny NetworkPolicy profile. */
export const DEV_CONTROLLER_NAMESPACES = ['argo-rollouts', 'argocd', 'external-secrets', 'flux-system', 'gatekeeper-system', 'jx', 'jx-git-operator', 'monitoring', 'sealed-secrets'];

/** The same with Falco, OpenCost and Trivy Operator (staging; prod and dr add `velero`: {@link controllerNamespacesOf}). */
export const CONTROLLER_NAMESPACES = [...DEV_CONTROLLER_NAMESPACES, 'falco-system', 'opencost', 'trivy-system'].sort();

/**
 * The controller namespaces of a shipped environment (by name, or its
 * config): staging, prod and dr add Falco, OpenCost and Trivy Operator;
 * `velero` comes with the recovery module (prod and dr).
 */
export function controllerNamespacesOf(env: EnvironmentConfig | string): string[] {
  const e = typeof env === 'string' ? SHIPPED[env]! : env;
  const base = e.security?.falco !== undefined ? CONTROLLER_NAMESPACES : DEV_CONTROLLER_NAMESPACES;
  return [...base, ...(e.modules.includes('recovery') ? ['velero'] : [])].sort();
}

/** The namespaces left out of the workload constraints in one shipped environment: its controllers' and the system's. */
export function workloadExcludedNamespacesOf(name: string): string[] {
  return [...controllerNamespacesOf(name), 'kube-node-lease', 'kube-public', 'kube-system'].sort();
}

/**
 * A synth of each shipped environment by name, made on first use and kept for
 * the rest of the test file; the stacks are disposed when the file's tests end.
 */
export function cachedShippedSynth(): (name: string) => { t: TestStack; result: ReturnType<TestStack['synth']> } {
  const synths = new Map<string, { t: TestStack; result: ReturnType<TestStack['synth']> }>();
  after(() => {
    for (const { t } of synths.values()) t.dispose();
  });
  return (name) => {
    let entry = synths.get(name);
    if (!entry) {
      const t = testStack(SHIPPED[name]);
      entry = { t, result: t.synth() };
      synths.set(name, entry);
    }
    return entry;
  };
}
