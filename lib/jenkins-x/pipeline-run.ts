import { ManifestObject } from '../platform/gitops-tree';
import { ConfigError } from '../platform/errors';
import { BuildPack, PipelineKind, PREVIEW_STEP } from './build-pack';
import { stepResources } from './internal';
import { PipelineStep, StepResources } from './pipeline-step';
import { PipelineRun, TaskSpec, toJson_TaskSpec } from '../imports/tekton.dev';
import { GO_DURATION } from '../platform/patterns';

/** The name of the one pipeline task of a build pack pipeline (as in the catalog). */
export const BUILD_PACK_TASK = 'from-build-pack';

/** The Tekton working directory the catalog's clone Task checks the source out to. */
export const PIPELINE_SOURCE_DIR = '/workspace/source';

/** Options for {@link LighthousePipeline}. */
export interface LighthousePipelineOptions {
  /**
   * Run the pack's preview step (`promote-jx-preview`) in the pull request
   * pipeline. Turning it off needs a pack whose steps are listed by name.
   * @default true
   */
  readonly previews?: boolean;
  /**
   * Steps run after the pack's steps (linters, extra tests).
   * @default []
   */
  readonly extraSteps?: readonly PipelineStep[];
  /**
   * Requests and limits for every step (`stepTemplate.computeResources`); the
   * pod requests what its largest step requests.
   * @default - requests of 400m CPU and 600Mi memory, as the catalog packs set; no limits
   */
  readonly resources?: StepResources;
  /**
   * The service account the pipeline pods run as.
   * @default 'tekton-bot'
   */
  readonly serviceAccountName?: string;
  /**
   * How long the whole pipeline may run (Go duration).
   * @default '12h0m0s'
   */
  readonly timeout?: string;
}


/**
 * A Tekton `PipelineRun` in the `.lighthouse/jenkins-x/` layout of an
 * application repository. Lighthouse loads it when a trigger fires and
 * resolves its `uses:` steps from the pipeline catalog before creating the run.
 *
 * It is written as `tekton.dev/v1` (the storage version of the Tekton CRDs
 * and what Lighthouse converts older `v1beta1` files to).
 */
export class LighthousePipeline {
  /** The pull request pipeline (`pullrequest.yaml`), run by a presubmit. */
  public static pullRequest(pack: BuildPack, options: LighthousePipelineOptions = {}): LighthousePipeline {
    return new LighthousePipeline('pullrequest', pack, options);
  }

  /** The release pipeline (`release.yaml`), run by a postsubmit on the release branches. */
  public static release(pack: BuildPack, options: LighthousePipelineOptions = {}): LighthousePipeline {
    if (options.previews !== undefined) {
      throw new ConfigError('LighthousePipeline "release"', 'previews', options.previews, 'Previews belong to the pull request pipeline; leave previews out of the release pipeline.');
    }
    return new LighthousePipeline('release', pack, options);
  }

  /** `pullrequest` or `release`: the PipelineRun's name and file name. */
  public readonly name: PipelineKind;
  /** The file name under `.lighthouse/jenkins-x/`. */
  public readonly fileName: string;
  /** The steps, in order. */
  public readonly steps: readonly PipelineStep[];
  private readonly pack: BuildPack;
  private readonly resources: StepResources;
  private readonly serviceAccountName: string;
  private readonly timeout: string;

  private constructor(kind: PipelineKind, pack: BuildPack, options: LighthousePipelineOptions) {
    const where = `LighthousePipeline "${kind}"`;
    this.name = kind;
    this.fileName = `${kind}.yaml`;
    this.pack = pack;
    this.resources = options.resources ?? { requests: { cpu: '400m', memory: '600Mi' } };
    this.serviceAccountName = options.serviceAccountName ?? 'tekton-bot';
    this.timeout = options.timeout ?? '12h0m0s';
    if (!GO_DURATION.test(this.timeout)) {
      throw new ConfigError(where, 'timeout', this.timeout, 'Use a Go duration such as "12h0m0s" or "90m".');
    }

    const named = pack.stepNames(kind);
    const previews = options.previews ?? true;
    let packSteps: PipelineStep[];
    if (named) {
      packSteps = named.filter((s) => previews || s !== PREVIEW_STEP).map((s) => PipelineStep.fromTemplate(s));
    } else {
      if (!previews) {
        throw new ConfigError(
          where,
          'previews',
          false,
          `BuildPack "${pack.name}" runs every step of its Task, including ${PREVIEW_STEP}; list its pull request steps (pullRequestSteps) without ${PREVIEW_STEP} to turn previews off.`,
        );
      }
      packSteps = [PipelineStep.uses(pack.taskRef(kind))];
    }
    this.steps = [PipelineStep.uses(pack.gitCloneRef(kind)), ...packSteps, ...(options.extraSteps ?? [])];

    const seen = new Set<string>();
    for (const step of this.steps) {
      if (step.name === '') continue;
      if (seen.has(step.name)) {
        throw new ConfigError(where, 'steps', step.name, 'Give every step its own name (Tekton rejects duplicate step names).');
      }
      seen.add(step.name);
    }
  }

  /** Whether the pipeline deploys a preview environment. */
  public get deploysPreview(): boolean {
    if (this.name !== 'pullrequest') return false;
    return this.pack.stepNames(this.name) === undefined || this.steps.some((s) => s.name === PREVIEW_STEP);
  }

  /** The Task spec of the one pipeline task. */
  public taskSpec(): TaskSpec {
    const usesTemplate = this.pack.stepNames(this.name) !== undefined;
    return {
      stepTemplate: {
        ...(usesTemplate ? { image: `uses:${this.pack.taskRef(this.name)}` } : {}),
        workingDir: PIPELINE_SOURCE_DIR,
        computeResources: stepResources(this.resources),
      },
      steps: this.steps.map((s) => s.toStep()),
    };
  }

  /** The PipelineRun as a plain object, ready to be written as YAML. */
  public toJson(): ManifestObject {
    return PipelineRun.manifest({
      metadata: { name: this.name },
      spec: {
        pipelineSpec: {
          tasks: [{ name: BUILD_PACK_TASK, taskSpec: toJson_TaskSpec(this.taskSpec()) }],
        },
        taskRunTemplate: { serviceAccountName: this.serviceAccountName },
        timeouts: { pipeline: this.timeout },
      },
    }) as ManifestObject;
  }
}
