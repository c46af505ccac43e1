import { ConfigError } from '../platform/errors';
import { compareNames } from '../platform/compare';
import { isPinnedImage, StepResources, stepResources } from './internal';

export type { StepResourceQuantities, StepResources } from './internal';
import { TaskSpecSteps } from '../imports/tekton.dev';

/** Options for {@link PipelineStep.uses}. */
export interface UsesStepOptions {
  /**
   * Run only this step of the referenced Task.
   * @default - every step of the Task (the step's name is empty)
   */
  readonly step?: string;
}

/** Options for {@link PipelineStep.script}. */
export interface ScriptStepOptions {
  /** The image, pinned to a tag or digest (never `latest`). */
  readonly image: string;
  /** The script, starting with a shebang line. */
  readonly script: string;
  /** Requests and limits of this step. @default - the pipeline's step template */
  readonly resources?: StepResources;
  /** Environment variables (plain values only; secrets come from `envFrom` in the catalog steps). @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

/** DNS label: what Tekton accepts as a step name. */
const STEP_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const USES_REF = /^(https:\/\/\S+|[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\S+|\.lighthouse\/\S+)\.ya?ml(@[A-Za-z0-9_./-]+)?$/;

/**
 * One step of a Lighthouse pipeline. `uses(...)` steps are resolved by
 * Lighthouse when the pipeline runs: it loads the referenced Task (for example
 * from the jx3 pipeline catalog) and puts its steps in place of this one.
 */
export class PipelineStep {
  /**
   * The steps of a Task file, resolved at run time: `image: uses:<ref>`.
   * `ref` is `owner/repo/path.yaml@ref` (a Git file; `@versionStream` is the
   * version the cluster's version stream pins), an https URL, or a
   * `.lighthouse/...` path in the same repository.
   */
  public static uses(ref: string, options: UsesStepOptions = {}): PipelineStep {
    if (!USES_REF.test(ref)) {
      throw new ConfigError(
        'PipelineStep',
        'uses',
        ref,
        'Reference a Task file as "owner/repo/path.yaml@ref" (such as "jenkins-x/jx3-pipeline-catalog/tasks/go/pullrequest.yaml@versionStream"), an https URL or a .lighthouse/ path.',
      );
    }
    const name = options.step ?? '';
    if (name !== '') checkName(name);
    return new PipelineStep({ name, image: `uses:${ref}` });
  }

  /**
   * A step of the Task named by the step template's `uses:` image, picked by
   * name (the jx3 build pack layout: `stepTemplate.image: uses:...` plus one
   * named step per catalog step to run).
   */
  public static fromTemplate(name: string, resources?: StepResources): PipelineStep {
    checkName(name);
    return new PipelineStep({ name, ...(resources ? { computeResources: stepResources(resources) } : {}) });
  }

  /** A plain Tekton step with its own pinned image and script. */
  public static script(name: string, options: ScriptStepOptions): PipelineStep {
    checkName(name);
    if (!isPinnedImage(options.image)) {
      throw new ConfigError(
        `PipelineStep "${name}"`,
        'image',
        options.image,
        'Pin the image to an explicit tag or digest, such as "golang:1.24.5" (never untagged or "latest").',
      );
    }
    if (!options.script.startsWith('#!')) {
      throw new ConfigError(`PipelineStep "${name}"`, 'script', options.script.split('\n')[0], 'Start the script with a shebang line such as "#!/bin/sh".');
    }
    const env = Object.entries(options.env ?? {}).sort(([a], [b]) => compareNames(a, b));
    return new PipelineStep({
      name,
      image: options.image,
      script: options.script,
      ...(env.length > 0 ? { env: env.map(([key, value]) => ({ name: key, value })) } : {}),
      ...(options.resources ? { computeResources: stepResources(options.resources) } : {}),
    });
  }

  private constructor(private readonly step: TaskSpecSteps) {}

  /** The step's name; empty for a `uses:` step that takes every step of its Task. */
  public get name(): string {
    return this.step.name;
  }

  /** The `uses:` reference, if this step is resolved by Lighthouse. */
  public get usesRef(): string | undefined {
    return this.step.image?.startsWith('uses:') ? this.step.image.slice('uses:'.length) : undefined;
  }

  /** The typed Tekton step. */
  public toStep(): TaskSpecSteps {
    return this.step;
  }
}

function checkName(name: string): void {
  if (!STEP_NAME.test(name) || name.length > 63) {
    throw new ConfigError('PipelineStep', 'name', name, 'Use a lowercase DNS label such as "unit-tests" (Tekton step names).');
  }
}
