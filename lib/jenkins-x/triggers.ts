import { ConfigError } from '../platform/errors';

/** The apiVersion and kind Lighthouse reads from `.lighthouse/<dir>/triggers.yaml`. */
export const TRIGGER_CONFIG = { apiVersion: 'config.lighthouse.jenkins-x.io/v1alpha1', kind: 'TriggerConfig' } as const;

/** A job run for every pull request (or on `/test <name>`). */
export interface Presubmit {
  /** The job name (`[A-Za-z0-9-._]+`). */
  readonly name: string;
  /** The PipelineRun file next to `triggers.yaml`. */
  readonly source: string;
  /** The commit status context. @default - the job name */
  readonly context?: string;
  /** Run for every pull request, not only when asked with `/test`. @default true */
  readonly alwaysRun?: boolean;
  /** Whether the status may fail without blocking the merge. @default false */
  readonly optional?: boolean;
  /** Run only when a changed file matches this regular expression. @default - any change */
  readonly runIfChanged?: string;
}

/** A job run after a push to a release branch. */
export interface Postsubmit {
  /** The job name (`[A-Za-z0-9-._]+`). */
  readonly name: string;
  /** The PipelineRun file next to `triggers.yaml`. */
  readonly source: string;
  /** The commit status context. @default - the job name */
  readonly context?: string;
  /** Regular expressions of the branches that trigger it. @default ['^main$', '^master$'] */
  readonly branches?: readonly string[];
}

const JOB_NAME = /^[A-Za-z0-9-._]+$/;
const SOURCE = /^[A-Za-z0-9_.-]+\.ya?ml$/;

/**
 * A Lighthouse `TriggerConfig` (`.lighthouse/jenkins-x/triggers.yaml`): which
 * pipeline runs for pull requests and which after a release-branch push.
 * It is Lighthouse configuration read from the repository, not a Kubernetes
 * object, so it has no `metadata`.
 */
export class TriggerConfig {
  /** The presubmits, in order. */
  public readonly presubmits: readonly Presubmit[];
  /** The postsubmits, in order. */
  public readonly postsubmits: readonly Postsubmit[];

  constructor(presubmits: readonly Presubmit[], postsubmits: readonly Postsubmit[]) {
    const names = new Set<string>();
    const check = (job: Presubmit | Postsubmit, field: string): void => {
      const where = 'TriggerConfig';
      if (!JOB_NAME.test(job.name)) {
        throw new ConfigError(where, `${field}.name`, job.name, 'Use letters, digits, "-", "." and "_" only.');
      }
      if (names.has(job.name)) {
        throw new ConfigError(where, `${field}.name`, job.name, 'Give every job its own name.');
      }
      names.add(job.name);
      if (!SOURCE.test(job.source)) {
        throw new ConfigError(where, `${field}.source`, job.source, 'Name a PipelineRun file in the same folder, such as "pullrequest.yaml".');
      }
    };
    presubmits.forEach((p, i) => {
      check(p, `presubmits[${i}]`);
      if (p.runIfChanged !== undefined) checkRegex(p.runIfChanged, `presubmits[${i}].runIfChanged`);
    });
    postsubmits.forEach((p, i) => {
      check(p, `postsubmits[${i}]`);
      const branches = p.branches ?? [];
      if (p.branches !== undefined && branches.length === 0) {
        throw new ConfigError('TriggerConfig', `postsubmits[${i}].branches`, [], 'List at least one branch expression, such as "^main$".');
      }
      branches.forEach((b, j) => checkRegex(b, `postsubmits[${i}].branches[${j}]`));
    });
    this.presubmits = presubmits;
    this.postsubmits = postsubmits;
  }

  /** The file content as a plain object (Lighthouse's field names). */
  public toJson(): Record<string, unknown> {
    return {
      ...TRIGGER_CONFIG,
      spec: {
        presubmits: this.presubmits.map((p) => ({
          name: p.name,
          context: p.context ?? p.name,
          always_run: p.alwaysRun ?? true,
          optional: p.optional ?? false,
          ...(p.runIfChanged !== undefined ? { run_if_changed: p.runIfChanged } : {}),
          source: p.source,
        })),
        postsubmits: this.postsubmits.map((p) => ({
          name: p.name,
          context: p.context ?? p.name,
          source: p.source,
          branches: [...(p.branches ?? ['^main$', '^master$'])],
        })),
      },
    };
  }
}

function checkRegex(pattern: string, field: string): void {
  try {
    new RegExp(pattern);
  } catch {
    throw new ConfigError('TriggerConfig', field, pattern, 'Use a valid regular expression, such as "^main$".');
  }
}
