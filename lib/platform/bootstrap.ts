import * as fs from 'fs';
import * as path from 'path';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Annotations, AssetType, DISABLE_STACK_TRACE_IN_METADATA, TerraformAsset, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { checkTerraformSecrets, checkTreeObjects, checkTreeSecrets } from './config-boundary/tree-checks';
import { ChartRelease, TerraformObject } from './deploy-model/inventory';
import { deployModelError, DeployModelResult, formatViolation, renderDeployReport, runDeployModel } from './deploy-model/model';
import { isPlainRelativePath, RenderedManifest } from './gitops-tree';
import { terraformWithPlainDataAside } from './plain-terraform';
import type { ITerraformDependable } from 'cdktf';
import type { ChartInstall } from './chart-install';
import type { ChartFacts, RequiredFlow } from './deploy-model/facts';
import type { PlatformEnvironment } from './environment';
import type { GitOpsTree } from './gitops-tree';
import { recordedDocuments } from './yaml';
import type { SecretRegistry } from './secrets';

/**
 * What {@link GitOpsOutput} reads from the environment's platform (the
 * `Platform` construct is one): the tree, the controllers and what the
 * deploy model checks.
 */
export interface GitOpsOutputSource {
  readonly environment: PlatformEnvironment;
  readonly tree: GitOpsTree;
  readonly secrets: SecretRegistry;
  readonly controllerReleases: readonly ChartInstall[];
  readonly requiredFlows: readonly RequiredFlow[];
  readonly bootstrapDependsOn: readonly ITerraformDependable[];
  chartFacts(install: ChartInstall): ChartFacts;
  runBeforeRenderHooks(): void;
  runManifestChecks(manifests: readonly RenderedManifest[]): void;
}

/** Name and version of the generated bootstrap chart. */
export const BOOTSTRAP_CHART = { chartName: 'gitops-bootstrap', chartVersion: '0.1.0' } as const;

/** What one environment wrote. */
export interface ManifestSummary {
  /** The environment. */
  readonly environment: string;
  /** The directory the tree was written to. */
  readonly directory: string;
  /** Files written (manifests, kustomizations, plain files, bootstrap chart). */
  readonly files: number;
  /** Kubernetes objects in the synced tree. */
  readonly manifests: number;
  /** Kubernetes objects in the bootstrap chart. */
  readonly bootstrapObjects: number;
  /** Secrets the objects read that nothing shipped produces (`namespace/name`): create them before deploying. */
  readonly secretPrerequisites: readonly string[];
}

/** Options for {@link GitOpsOutput}. */
export interface GitOpsOutputProps {
  /** The platform whose tree is written. */
  readonly platform: GitOpsOutputSource;
  /** The directory for this environment's tree (`dist/<env>`). */
  readonly directory: string;
}

/**
 * Writes the GitOps tree of an environment to disk and, when the tree has a
 * bootstrap part, adds the local bootstrap chart (a `TerraformAsset`) and the
 * `helm_release` that installs it after every controller release.
 * `finalize()` runs once, before the stack is synthesized.
 */
export class GitOpsOutput extends Construct {
  /** The bootstrap release, once finalized (if any). */
  public bootstrapRelease?: Release;
  /** What was written, once finalized. */
  public summary?: ManifestSummary;
  /** What the deploy model found, once finalized. */
  public deployModel?: DeployModelResult;
  private readonly platform: GitOpsOutputSource;
  private readonly directory: string;

  constructor(scope: Construct, id: string, props: GitOpsOutputProps) {
    super(scope, id);
    this.platform = props.platform;
    this.directory = props.directory;
    checkFinalTerraform(TerraformStack.of(this), (json) => checkTerraformSecrets(this.platform.environment.name, json));
  }

  /** Renders, checks and writes the tree; adds the bootstrap release. Idempotent. */
  public finalize(): ManifestSummary {
    if (this.summary) return this.summary;
    this.platform.runBeforeRenderHooks();
    if (this.platform.secrets.all.length > 0) {
      this.platform.tree.addFile('SECRETS.md', this.platform.secrets.render(this.platform.environment.name));
    }
    const manifests = this.platform.tree.manifests();
    checkTreeObjects(this.platform.environment.name, manifests);
    this.platform.runManifestChecks(manifests);
    const documents = new Map<string, readonly unknown[]>();
    const files = this.platform.tree.render(BOOTSTRAP_CHART, manifests, documents);
    this.checkDeployModel(manifests, files, documents);
    checkTreeSecrets(this.platform.environment.name, manifests, files);
    writeTree(this.directory, files);

    const bootstrapObjects = manifests.filter((m) => m.section === 'bootstrap').length;
    if (bootstrapObjects > 0) {
      const asset = new TerraformAsset(this, 'BootstrapChart', {
        path: path.resolve(this.directory, 'bootstrap'),
        type: AssetType.DIRECTORY,
      });
      this.bootstrapRelease = new Release(this, 'Bootstrap', {
        name: BOOTSTRAP_CHART.chartName,
        namespace: 'kube-system',
        chart: asset.path,
        atomic: true,
        cleanupOnFail: true,
        wait: true,
        timeout: 600,
        maxHistory: 10,
        dependsOn: [...this.platform.bootstrapDependsOn],
      });
    }
    this.summary = {
      environment: this.platform.environment.name,
      directory: this.directory,
      files: files.size,
      manifests: manifests.length - bootstrapObjects,
      bootstrapObjects,
      secretPrerequisites: this.platform.secrets.prerequisites.map((s) => `${s.namespace}/${s.name}`),
    };
    return this.summary;
  }

  /**
   * Runs the deploy model over everything the environment deploys and adds
   * `policies/DEPLOY-REPORT.md` to the tree; under `deny`, a violation that is
   * not acknowledged fails synthesis, otherwise each is a warning.
   */
  private checkDeployModel(manifests: readonly RenderedManifest[], files: Map<string, string>, documents: ReadonlyMap<string, readonly unknown[]>): void {
    const stack = this.node.scope!;
    const terraform: TerraformObject[] = [];
    for (const c of stack.node.findAll()) {
      if (!(c instanceof TerraformResource)) continue;
      const json = c.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
      const config = json.resource?.[c.terraformResourceType]?.[c.friendlyUniqueId];
      if (config) terraform.push({ type: c.terraformResourceType, address: `${c.terraformResourceType}.${c.friendlyUniqueId}`, config });
    }
    const configs = new Map(terraform.map((t) => [t.address, t.config]));
    const charts: ChartRelease[] = this.platform.controllerReleases.map((install) => {
      const values = writtenValues(install, configs.get(`helm_release.${install.release.friendlyUniqueId}`));
      return {
        release: String(install.release.nameInput ?? install.chart.chart),
        namespace: install.namespace,
        chart: install.chart.chart,
        facts: this.platform.chartFacts(install),
        ...(values !== undefined ? { values } : {}),
      };
    });
    const result = runDeployModel({
      environment: this.platform.environment,
      manifests,
      files,
      documents,
      terraform,
      charts,
      flows: this.platform.requiredFlows,
      prerequisiteSecrets: this.platform.secrets.prerequisites.map((secret) => ({
        namespace: secret.namespace,
        name: secret.name,
        why: `read by ${secret.readBy}; nothing in this environment produces it (see SECRETS.md)`,
      })),
    });
    this.deployModel = result;
    files.set('policies/DEPLOY-REPORT.md', renderDeployReport(result));
    if (result.failsSynth && result.violations.length > 0) throw deployModelError(result);
    const warnings = new Construct(this, 'DeployModelWarnings');
    warnings.node.setContext(DISABLE_STACK_TRACE_IN_METADATA, true);
    for (const v of result.violations) Annotations.of(warnings).addWarning(`[deploy-model] ${formatViolation(v)}`);
  }
}

/**
 * Runs `check` on the stack's final Terraform JSON (what reaches `cdk.tf.json`
 * and the state) where cdktf produces it, before it is written: a failed
 * check fails synthesis and nothing is written. The JSON is the one cdktf
 * writes, not another copy: a stack validation that called `toTerraform()`
 * itself would resolve every element of the stack twice more (with 1,000
 * Flux tenants, a seventh of the synthesis). HCL output (`toHclTerraform()`)
 * is checked on the JSON of the same stack. The elements' plain data is kept
 * out of cdktf's resolution ({@link terraformWithPlainDataAside}).
 */
function checkFinalTerraform(stack: TerraformStack, check: (json: unknown) => void): void {
  const toTerraform = stack.toTerraform.bind(stack);
  const toHclTerraform = stack.toHclTerraform.bind(stack);
  stack.toTerraform = () => {
    const json: unknown = terraformWithPlainDataAside(stack, toTerraform);
    check(json);
    return json;
  };
  stack.toHclTerraform = () => {
    check(terraformWithPlainDataAside(stack, toTerraform));
    return toHclTerraform();
  };
}

/**
 * The values of a controller release as plain JSON, without parsing YAML:
 * the values a document was written from, when the release sets one document
 * the library wrote and recorded (`toRecordedYaml` in `yaml.ts`, as a
 * {@link ChartInstall} does). Reading the document back gives the same JSON.
 * Anything else (an escape-hatch override of `values`) is parsed instead.
 */
export function writtenValues(install: ChartInstall, config: Readonly<Record<string, unknown>> | undefined): unknown {
  if (config === undefined) return undefined;
  const documents = config.values;
  if (Object.keys(install.values).length === 0) return documents === undefined ? {} : undefined;
  if (!Array.isArray(documents) || documents.length !== 1 || typeof documents[0] !== 'string') return undefined;
  const recorded = recordedDocuments(documents[0]);
  return recorded?.length === 1 ? (JSON.parse(JSON.stringify(recorded[0])) as unknown) : undefined;
}

/**
 * Makes `directory` hold exactly `files`: unchanged files are left alone,
 * changed ones rewritten, stale files from earlier runs and emptied folders removed.
 *
 * The tree is read once, and every later step works from what that read found:
 * a folder is made with one `mkdir` (its parents first), never probed, and only
 * the folders that held nothing but stale files are removed, deepest first,
 * without reading the tree again. File creation is most of a large synthesis's
 * kernel time, and on an ext4 disk a failed `mkdir` or a directory read costs
 * about as much as a created file (1,000 delivery services: 11,200 `openat`,
 * 6,100 `mkdir` of which 2,000 failed, and 8,100 directory reads before; 7,100,
 * 4,100 and none now).
 */
export function writeTree(directory: string, files: ReadonlyMap<string, string>): void {
  const root = path.resolve(directory);
  /** The root with a separator after it: what every path inside it starts with. */
  const rootPrefix = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
  /** Whether `target` (absolute) is the root or inside it. */
  const isInside = (target: string): boolean => target === root || target.startsWith(rootPrefix);
  /** Files found, relative and `/`-separated. */
  const existing = new Set<string>();
  /** Folders found, absolute; parents before their children. */
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    found.push(dir);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else existing.add(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  const folders = new Set(found);
  /** Folders that hold a file of the tree: every folder on a file's path, the root included. */
  const live = new Set<string>();
  const makeFolder = (folder: string): void => {
    if (folders.has(folder)) return;
    const parent = path.dirname(folder);
    if (folder === root || parent === folder || !isInside(folder)) fs.mkdirSync(folder, { recursive: true });
    else {
      makeFolder(parent);
      fs.mkdirSync(folder);
    }
    folders.add(folder);
  };
  /** The files given by another name than the one the tree is read back with (`a//b.yaml` is found as `a/b.yaml`). */
  const foundAs = new Set<string>();
  for (const [file, content] of files) {
    // A plain relative path is joined and cut by hand: path.join and path.dirname normalize character by character,
    // three times for each of a large tree's thousands of files.
    const plain = path.sep === '/' && isPlainRelativePath(file);
    const target = plain ? `${rootPrefix}${file}` : path.join(root, file);
    const folder = plain ? target.slice(0, target.lastIndexOf('/')) : path.dirname(target);
    const readBackAs = plain ? file : path.relative(root, target).split(path.sep).join('/');
    if (!plain) foundAs.add(readBackAs);
    for (let f = folder; !live.has(f) && isInside(f); f = path.dirname(f)) live.add(f);
    if (existing.has(readBackAs) && fs.readFileSync(target, 'utf8') === content) continue;
    makeFolder(folder);
    fs.writeFileSync(target, content);
  }
  for (const file of existing) {
    if (!files.has(file) && !foundAs.has(file)) fs.rmSync(path.join(root, file), { force: true });
  }
  // A found folder on no file's path held only stale files (now removed) and such folders.
  const emptied = found.filter((folder) => !live.has(folder));
  for (const folder of emptied.reverse()) fs.rmdirSync(folder);
}
