import { ConfigError } from '../platform/errors';

/** The pipeline catalog Jenkins X 3 builds applications with. */
export const JX3_PIPELINE_CATALOG = 'jenkins-x/jx3-pipeline-catalog';

/** The catalog step that deploys a pull request's preview environment (`jx preview create`). */
export const PREVIEW_STEP = 'promote-jx-preview';

/** The two pipelines of an application repository. */
export type PipelineKind = 'pullrequest' | 'release';

/** Options for {@link BuildPack.fromCatalog} and the language factories. */
export interface BuildPackOptions {
  /**
   * The catalog repository (`owner/name` on the Git server Lighthouse reads).
   * @default 'jenkins-x/jx3-pipeline-catalog'
   */
  readonly catalog?: string;
  /**
   * The catalog revision: a branch, tag or commit, or `versionStream` for the
   * revision the cluster's version stream pins.
   * @default 'versionStream'
   */
  readonly ref?: string;
  /**
   * The steps of the pack's pull request Task to run, by name.
   * @default - the language factories list the catalog pack's steps; `fromCatalog` runs every step
   */
  readonly pullRequestSteps?: readonly string[];
  /**
   * The steps of the pack's release Task to run, by name.
   * @default - the language factories list the catalog pack's steps; `fromCatalog` runs every step
   */
  readonly releaseSteps?: readonly string[];
}

const CATALOG = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const REF = /^[A-Za-z0-9_./-]+$/;
const PACK = /^[A-Za-z0-9+_.-]+$/;

/**
 * A build pack of the jx3 pipeline catalog (`tasks/<pack>/pullrequest.yaml`
 * and `release.yaml`): what `jx project quickstart` and `jx project import`
 * put into an application's `.lighthouse/jenkins-x/` folder.
 */
export class BuildPack {
  /** Go: `make linux`, container build, preview; release with changelog, chart release and promotion. */
  public static go(options: BuildPackOptions = {}): BuildPack {
    return BuildPack.fromCatalog('go', {
      pullRequestSteps: ['jx-variables', 'build-make-linux', 'check-registry', 'build-container-build', PREVIEW_STEP],
      releaseSteps: [
        'next-version', 'jx-variables', 'build-make-build', 'check-registry', 'build-container-build',
        'promote-changelog', 'promote-helm-release', 'promote-jx-promote',
      ],
      ...options,
    });
  }

  /** JavaScript (npm install and test). */
  public static javascript(options: BuildPackOptions = {}): BuildPack {
    return BuildPack.fromCatalog('javascript', { ...npmSteps(), ...options });
  }

  /** TypeScript (npm install and test). */
  public static typescript(options: BuildPackOptions = {}): BuildPack {
    return BuildPack.fromCatalog('typescript', { ...npmSteps(), ...options });
  }

  /** Python (unit tests with the catalog's Python image). */
  public static python(options: BuildPackOptions = {}): BuildPack {
    return BuildPack.fromCatalog('python', {
      pullRequestSteps: ['jx-variables', 'build-python-unittest', 'check-registry', 'build-container-build', PREVIEW_STEP],
      releaseSteps: [
        'next-version', 'jx-variables', 'build-python-unittest', 'check-registry', 'build-container-build',
        'promote-changelog', 'promote-helm-release', 'promote-jx-promote',
      ],
      ...options,
    });
  }

  /**
   * Any pack of the catalog by its folder under `tasks/`. Without step lists
   * every step of the pack's Tasks runs (one `uses:` step with an empty name,
   * the form in the seed's `pullrequest.yaml`).
   */
  public static fromCatalog(name: string, options: BuildPackOptions = {}): BuildPack {
    const where = `BuildPack "${name}"`;
    if (!PACK.test(name)) {
      throw new ConfigError(where, 'name', name, 'Use the name of a folder under tasks/ in the catalog, such as "go" or "javascript".');
    }
    const catalog = options.catalog ?? JX3_PIPELINE_CATALOG;
    if (!CATALOG.test(catalog)) {
      throw new ConfigError(where, 'catalog', catalog, `Use "owner/name", such as "${JX3_PIPELINE_CATALOG}".`);
    }
    const ref = options.ref ?? 'versionStream';
    if (!REF.test(ref)) {
      throw new ConfigError(where, 'ref', ref, 'Use a branch, tag, commit or "versionStream".');
    }
    for (const key of ['pullRequestSteps', 'releaseSteps'] as const) {
      const steps = options[key];
      if (steps !== undefined && steps.length === 0) {
        throw new ConfigError(where, key, [], 'List at least one step, or leave it out to run every step of the Task.');
      }
    }
    return new BuildPack(name, catalog, ref, options.pullRequestSteps, options.releaseSteps);
  }

  /** The pack's folder under `tasks/`. */
  public readonly name: string;
  /** The catalog repository. */
  public readonly catalog: string;
  /** The catalog revision. */
  public readonly ref: string;
  private readonly steps: Readonly<Record<PipelineKind, readonly string[] | undefined>>;

  private constructor(
    name: string,
    catalog: string,
    ref: string,
    pullRequestSteps: readonly string[] | undefined,
    releaseSteps: readonly string[] | undefined,
  ) {
    this.name = name;
    this.catalog = catalog;
    this.ref = ref;
    this.steps = { pullrequest: pullRequestSteps, release: releaseSteps };
  }

  /** The `uses:` reference of the pack's Task for a pipeline. */
  public taskRef(kind: PipelineKind): string {
    return `${this.catalog}/tasks/${this.name}/${kind}.yaml@${this.ref}`;
  }

  /** The `uses:` reference of the catalog's clone Task for a pipeline (the pull request variant merges the PR). */
  public gitCloneRef(kind: PipelineKind): string {
    const file = kind === 'pullrequest' ? 'git-clone-pr.yaml' : 'git-clone.yaml';
    return `${this.catalog}/tasks/git-clone/${file}@${this.ref}`;
  }

  /** The named steps a pipeline runs, or `undefined` when it runs every step of the Task. */
  public stepNames(kind: PipelineKind): readonly string[] | undefined {
    return this.steps[kind];
  }
}

function npmSteps(): Pick<BuildPackOptions, 'pullRequestSteps' | 'releaseSteps'> {
  return {
    pullRequestSteps: ['jx-variables', 'build-npm-install', 'build-npm-test', 'check-registry', 'build-container-build', PREVIEW_STEP],
    releaseSteps: [
      'next-version', 'jx-variables', 'build-npm-install', 'build-npm-test', 'check-registry', 'build-container-build',
      'promote-changelog', 'promote-helm-release', 'promote-jx-promote', 'npmrc',
    ],
  };
}
