import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after } from 'node:test';
import { Testing } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { EnvironmentConfig } from '../../stacks/environment';
import { ManifestObject } from '../../lib/platform/gitops-tree';
import { GitOpsStack } from '../../stacks/gitops-stack';

/** The Terraform JSON of a stack, as cdktf writes it. */
export interface TerraformJson {
  readonly terraform: { readonly backend?: Record<string, Record<string, unknown>>; readonly required_providers?: Record<string, unknown> };
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly output: Record<string, { value: unknown; description?: string }>;
}

/** A synthesized environment: its Terraform JSON and every file of its tree. */
export interface SynthResult {
  readonly stack: GitOpsStack;
  readonly tf: TerraformJson;
  readonly directory: string;
  /** Files of the tree, path relative to the environment directory -> content. */
  readonly files: Map<string, string>;
  /** Every Kubernetes object in the tree (synced and bootstrap), with its file. */
  readonly objects: Array<{ file: string; object: ManifestObject }>;
}

/** Synthesizes one environment into a fresh temporary directory. */
export function synthEnvironment(environment: EnvironmentConfig): SynthResult {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-${environment.name}-`));
  const app = Testing.app();
  const stack = new GitOpsStack(app, environment.name, { environment, manifestDirectory: directory });
  const tf = JSON.parse(Testing.synth(stack)) as TerraformJson;
  const files = readTree(directory);
  return { stack, tf, directory, files, objects: writtenObjects(stack, files) };
}

/**
 * A synth per environment name, made on first use and kept for the rest of
 * the test file; the trees are removed when the file's tests end.
 */
export function cachedSynth(): (environment: EnvironmentConfig) => SynthResult {
  const results = new Map<string, SynthResult>();
  after(() => {
    for (const r of results.values()) fs.rmSync(r.directory, { recursive: true, force: true });
  });
  return (environment) => {
    let result = results.get(environment.name);
    if (!result) {
      result = synthEnvironment(environment);
      results.set(environment.name, result);
    }
    return result;
  };
}

/**
 * Synthesizes each call anew (configs that vary under one environment name)
 * and removes every tree when the file's tests end.
 */
export function trackedSynth(): (environment: EnvironmentConfig) => SynthResult {
  const results: SynthResult[] = [];
  after(() => {
    for (const r of results) fs.rmSync(r.directory, { recursive: true, force: true });
  });
  return (environment) => {
    const result = synthEnvironment(environment);
    results.push(result);
    return result;
  };
}

/**
 * The objects of the stack's rendered charts, read back from the files it
 * wrote, and the objects of its overlays (`GitOpsTree.overlayChart` and
 * `addOverlay`: the delivery services), with their overlay's directory as `file`: no file
 * holds those, and test/lib/delivery/kustomize.test.ts proves kustomize
 * builds exactly them from the directory. Plain files (tree.addFile:
 * jx-requirements.yml, Lighthouse pipelines, overlays) belong to other
 * repositories and tools and are checked by their module.
 */
export function writtenObjects(stack: GitOpsStack, files: ReadonlyMap<string, string>): Array<{ file: string; object: ManifestObject }> {
  const manifests = stack.platform.tree.manifests();
  const chartFiles = new Set(manifests.filter((m) => !m.overlay).map((m) => m.file));
  const objects: Array<{ file: string; object: ManifestObject }> = [];
  for (const [file, content] of files) {
    if (!chartFiles.has(file)) continue;
    for (const doc of parseAllDocuments(content)) objects.push({ file, object: doc.toJS() as ManifestObject });
  }
  for (const m of manifests) if (m.overlay) objects.push({ file: m.file, object: m.object });
  return objects;
}

/** Reads a directory tree into a map of relative path -> content. */
export function readTree(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(directory, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  if (fs.existsSync(directory)) walk(directory);
  return files;
}

/** The one resource of `type` named `name` (throws with the names present when missing). */
export function resource(tf: TerraformJson, type: string, match: (r: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = Object.values(tf.resource[type] ?? {}).filter(match);
  if (found.length !== 1) {
    throw new Error(`expected one ${type} to match, found ${found.length} among ${Object.keys(tf.resource[type] ?? {}).join(', ')}`);
  }
  return found[0];
}

/** The helm_release with the given release name. */
export function helmRelease(tf: TerraformJson, name: string): Record<string, unknown> {
  return resource(tf, 'helm_release', (r) => r.name === name);
}

/** The parsed values of a helm_release (its one `values` document). */
export function releaseValues(release: Record<string, unknown>): Record<string, unknown> {
  const values = release.values as string[] | undefined;
  if (!values || values.length !== 1) throw new Error('expected exactly one values document');
  return parseAllDocuments(values[0])[0].toJS() as Record<string, unknown>;
}

/** Objects of one kind (and optionally name). */
export function objectsOf(result: SynthResult, kind: string, name?: string): ManifestObject[] {
  return result.objects
    .map((o) => o.object)
    .filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}
