import { ConfigError } from '../platform/errors';
import { DNS_LABEL } from '../platform/patterns';

const DURATION = /^([0-9]+(s|m|h))+$/;

/** Which AnalysisTemplates a step (or a blue-green promotion) runs, with which arguments. */
export interface AnalysisOptions {
  /** Names of AnalysisTemplates in the Rollout's namespace; each must be known to the Rollout. */
  readonly templates: readonly string[];
  /**
   * Arguments passed to the templates. When a template declares a `service-name`
   * argument and it is not given here, it is the Service the analysis watches:
   * the canary Service for a canary step, the preview Service before a blue-green
   * promotion and the active Service after it. A value equal to the base name of
   * a Service the Rollout generates is prefixed like the Service itself (as
   * kustomize's name references do).
   * @default {}
   */
  readonly args?: Readonly<Record<string, string>>;
}

/** The kinds of canary step the platform models. */
export type CanaryStepKind = 'setWeight' | 'pause' | 'analysis';

/** One step of a canary: shift traffic, pause (for a while or until promoted), or analyse. */
export class CanaryStep {
  /** Send `weight` percent of the traffic to the canary (a whole number from 0 to 100). */
  public static setWeight(weight: number): CanaryStep {
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw new ConfigError('CanaryStep.setWeight', 'weight', weight, 'Use a whole percentage from 0 to 100.');
    }
    return new CanaryStep('setWeight', weight, undefined, undefined);
  }

  /**
   * Pause the rollout: for `duration` (`30s`, `2m`, `1h`), or until someone
   * promotes it (`kubectl argo rollouts promote <name>`) when no duration is given.
   */
  public static pause(duration?: string): CanaryStep {
    if (duration !== undefined && !DURATION.test(duration)) {
      throw new ConfigError('CanaryStep.pause', 'duration', duration, 'Use a duration such as "30s", "2m" or "1h", or leave it out to pause until promoted.');
    }
    return new CanaryStep('pause', undefined, duration, undefined);
  }

  /** Run AnalysisTemplates; the rollout aborts and rolls back when they fail. */
  public static analysis(options: AnalysisOptions): CanaryStep {
    checkAnalysis('CanaryStep.analysis', 'templates', options);
    return new CanaryStep('analysis', undefined, undefined, copyAnalysis(options));
  }

  /**
   * The steps of a traffic split such as the seeds' `[10, 50, 100]`: for each
   * weight below 100 set the weight, pause, and run the analysis (when given);
   * end with the last weight.
   */
  public static trafficSplit(weights: readonly number[], options: TrafficSplitOptions = {}): CanaryStep[] {
    const steps: CanaryStep[] = [];
    weights.forEach((weight, index) => {
      steps.push(CanaryStep.setWeight(weight));
      if (index === weights.length - 1) return;
      steps.push(CanaryStep.pause(options.pause ?? '2m'));
      if (options.analysis) steps.push(CanaryStep.analysis(options.analysis));
    });
    return steps;
  }

  private constructor(
    /** What the step does. */
    public readonly kind: CanaryStepKind,
    /** The canary weight of a `setWeight` step. */
    public readonly weight: number | undefined,
    /** The duration of a `pause` step (none: until promoted). */
    public readonly duration: string | undefined,
    /** The analysis of an `analysis` step. */
    public readonly analysis: AnalysisOptions | undefined,
  ) {}

  /** A short description (`setWeight 10`, `pause 2m`, `pause until promoted`, `analysis success-rate`). */
  public describe(): string {
    switch (this.kind) {
      case 'setWeight':
        return `setWeight ${this.weight}`;
      case 'pause':
        return this.duration ? `pause ${this.duration}` : 'pause until promoted';
      default:
        return `analysis ${this.analysis!.templates.join(',')}`;
    }
  }
}

/** Options for {@link CanaryStep.trafficSplit}. */
export interface TrafficSplitOptions {
  /** How long to hold each weight. @default '2m' */
  readonly pause?: string;
  /** The analysis run after each pause. @default - none */
  readonly analysis?: AnalysisOptions;
}

/** Options for {@link TrafficRouting.istio}. */
export interface IstioRoutingOptions {
  /** Name of the managed HTTP route of the VirtualService. @default 'primary' */
  readonly routeName?: string;
  /** DestinationRule subset of the stable version. @default 'stable' */
  readonly stableSubset?: string;
  /** DestinationRule subset of the canary version. @default 'canary' */
  readonly canarySubset?: string;
  /**
   * A request header that always reaches the canary (an unmanaged route placed
   * before the weighted one), for testing a canary by hand.
   * @default - none
   */
  readonly canaryHeader?: { readonly name: string; readonly value: string };
}

/** How a canary's traffic is split. */
export class TrafficRouting {
  /**
   * Istio: a VirtualService with a weighted route over the stable and canary
   * subsets of a DestinationRule; Argo Rollouts sets the weights and the
   * subsets' pod-template-hash labels.
   */
  public static istio(options: IstioRoutingOptions = {}): TrafficRouting {
    const routeName = options.routeName ?? 'primary';
    const stableSubset = options.stableSubset ?? 'stable';
    const canarySubset = options.canarySubset ?? 'canary';
    for (const [field, value] of [['routeName', routeName], ['stableSubset', stableSubset], ['canarySubset', canarySubset]] as const) {
      if (!DNS_LABEL.test(value)) {
        throw new ConfigError('TrafficRouting.istio', field, value, 'Use a lowercase DNS label.');
      }
    }
    if (stableSubset === canarySubset) {
      throw new ConfigError('TrafficRouting.istio', 'canarySubset', canarySubset, 'The stable and canary subsets need different names.');
    }
    const header = options.canaryHeader;
    if (header && (!/^[a-z0-9-]+$/.test(header.name) || header.value === '')) {
      throw new ConfigError('TrafficRouting.istio', 'canaryHeader', header, 'Use a lowercase header name and a non-empty value, such as { name: "canary", value: "true" }.');
    }
    return new TrafficRouting('istio', { routeName, stableSubset, canarySubset, canaryHeader: header ? { ...header } : undefined });
  }

  /** No traffic router: the weight is approximated by the ratio of canary to stable pods. */
  public static none(): TrafficRouting {
    return new TrafficRouting('none', undefined);
  }

  private constructor(
    /** `istio` or `none`. */
    public readonly kind: 'istio' | 'none',
    /** The Istio settings, when `kind` is `istio`. */
    public readonly istio: Required<Omit<IstioRoutingOptions, 'canaryHeader'>> & Pick<IstioRoutingOptions, 'canaryHeader'> | undefined,
  ) {}
}

/** Checks the templates of an analysis (at least one, DNS labels, each once). */
export function checkAnalysis(where: string, field: string, options: AnalysisOptions): void {
  const templates = options?.templates;
  if (!Array.isArray(templates) || templates.length === 0) {
    throw new ConfigError(where, field, templates, 'Name at least one AnalysisTemplate, such as ["success-rate"].');
  }
  for (const name of templates) {
    if (typeof name !== 'string' || !DNS_LABEL.test(name)) {
      throw new ConfigError(where, field, name, 'Use the name of an AnalysisTemplate (a lowercase DNS label).');
    }
  }
  if (new Set(templates).size !== templates.length) {
    throw new ConfigError(where, field, templates, 'Name each AnalysisTemplate once.');
  }
}

/** A copy of analysis options (strategies are immutable). */
export function copyAnalysis(options: AnalysisOptions): AnalysisOptions {
  return { templates: [...options.templates], args: options.args ? { ...options.args } : undefined };
}
