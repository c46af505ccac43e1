import { ConfigError } from '../platform/errors';
import { AnalysisOptions, CanaryStep, checkAnalysis, copyAnalysis, TrafficRouting } from './canary-step';
import {
  RolloutSpecStrategy,
  RolloutSpecStrategyCanaryMaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable,
  RolloutSpecStrategyCanarySteps,
  RolloutSpecStrategyCanaryStepsPauseDuration,
} from '../imports/argoproj.io-rollouts';
import { DNS_LABEL } from '../platform/patterns';

const PERCENT_OR_COUNT = /^([0-9]+%?)$/;

/** Options for {@link RolloutStrategy.canary}. */
export interface CanaryOptions {
  /** The steps, in order. Weights must rise from step to step. */
  readonly steps: readonly CanaryStep[];
  /** How traffic is split. @default TrafficRouting.istio() */
  readonly trafficRouting?: TrafficRouting;
  /** Name of the Service that selects the canary pods. @default '<rollout>-canary' */
  readonly canaryService?: string;
  /** Name of the Service that selects the stable pods. @default '<rollout>-stable' */
  readonly stableService?: string;
  /** Extra pods during an update (count or percentage). @default '25%' */
  readonly maxSurge?: string | number;
  /** Pods that may be unavailable during an update (count or percentage). @default 0 */
  readonly maxUnavailable?: string | number;
}

/** Options for {@link RolloutStrategy.blueGreen}. */
export interface BlueGreenOptions {
  /** Name of the Service that receives production traffic. @default - the Rollout's name */
  readonly activeService?: string;
  /**
   * Name of the Service that reaches the new version before it is promoted.
   * Required: without it the new version cannot be tested before promotion.
   */
  readonly previewService: string;
  /**
   * Promote automatically once the new version is ready (and the pre-promotion
   * analysis passed). Off by default: someone promotes.
   * @default false
   */
  readonly autoPromotionEnabled?: boolean;
  /** Analysis run against the preview before promotion. @default - none */
  readonly prePromotionAnalysis?: AnalysisOptions;
  /** Analysis run against the active Service after promotion. @default - none */
  readonly postPromotionAnalysis?: AnalysisOptions;
  /** Seconds the old version keeps running after promotion (fast rollback). @default 30 */
  readonly scaleDownDelaySeconds?: number;
  /** Pods of the new version before promotion. @default - the full replica count */
  readonly previewReplicaCount?: number;
}

/** Options for {@link RolloutStrategy.rolling}. */
export interface RollingOptions {
  /** Extra pods during an update (count or percentage). @default '25%' */
  readonly maxSurge?: string | number;
  /** Pods that may be unavailable during an update (count or percentage). @default 0 */
  readonly maxUnavailable?: string | number;
}

/** The kinds of strategy; `rolling` is a canary without steps. */
export type StrategyKind = 'canary' | 'blueGreen' | 'rolling';

/** The role of a Service a strategy needs. */
export type ServiceRole = 'root' | 'canary' | 'stable' | 'active' | 'preview';

/** A Service a strategy needs, with its final name. */
export interface StrategyService {
  /** The Service's name. */
  readonly name: string;
  /** What it selects: every pod (`root`, `active` before Argo Rollouts takes over) or one version. */
  readonly role: ServiceRole;
}

/** What a strategy needs from the Rollout it is rendered for. */
export interface StrategyContext {
  /** The Rollout's base name (without prefix). */
  readonly name: string;
  /** Turns a base name into the final name (adds the prefix). */
  readonly rename: (baseName: string) => string;
  /** Renders the arguments of an analysis that watches `service` (validates the templates). */
  readonly analysisArgs: (where: string, options: AnalysisOptions, service: string) => Array<{ name: string; value: string }>;
}

/** The Istio objects a canary needs, with final names. */
export interface IstioRouting {
  readonly virtualService: string;
  readonly destinationRule: string;
  readonly host: string;
  readonly routeName: string;
  readonly stableSubset: string;
  readonly canarySubset: string;
  readonly canaryHeader?: { readonly name: string; readonly value: string };
}

/** A strategy rendered for one Rollout. */
export interface RenderedStrategy {
  /** `spec.strategy`. */
  readonly spec: RolloutSpecStrategy;
  /** The Services to generate. */
  readonly services: readonly StrategyService[];
  /** The Istio objects to generate, for a canary routed by Istio. */
  readonly istio?: IstioRouting;
}

interface CanaryConfig {
  readonly steps: readonly CanaryStep[];
  readonly trafficRouting: TrafficRouting;
  readonly canaryService?: string;
  readonly stableService?: string;
  readonly maxSurge: string | number;
  readonly maxUnavailable: string | number;
}

interface BlueGreenConfig {
  readonly activeService?: string;
  readonly previewService: string;
  readonly autoPromotionEnabled: boolean;
  readonly prePromotionAnalysis?: AnalysisOptions;
  readonly postPromotionAnalysis?: AnalysisOptions;
  readonly scaleDownDelaySeconds: number;
  readonly previewReplicaCount?: number;
}

/**
 * How a Rollout replaces its pods: a canary with steps (and Istio traffic
 * routing), a blue-green switch between an active and a preview Service, or a
 * plain rolling update. Immutable; validated when created.
 */
export class RolloutStrategy {
  /** A canary: shift traffic in steps, pausing and analysing between them. */
  public static canary(options: CanaryOptions): RolloutStrategy {
    const where = 'RolloutStrategy.canary';
    const steps = options.steps ?? [];
    if (steps.length === 0) {
      throw new ConfigError(where, 'steps', [], 'Give at least one step, or use RolloutStrategy.rolling() for a plain rolling update.');
    }
    let previous: number | undefined;
    steps.forEach((step, index) => {
      if (!(step instanceof CanaryStep)) {
        throw new ConfigError(where, `steps[${index}]`, step, 'Build steps with CanaryStep.setWeight(), CanaryStep.pause() or CanaryStep.analysis().');
      }
      if (step.kind !== 'setWeight') return;
      if (previous !== undefined && step.weight! <= previous) {
        throw new ConfigError(
          where,
          `steps[${index}].setWeight`,
          step.weight,
          `Canary weights must rise from step to step; the previous weight is ${previous}. Use a weight above ${previous}.`,
        );
      }
      previous = step.weight;
    });
    checkServiceName(where, 'canaryService', options.canaryService);
    checkServiceName(where, 'stableService', options.stableService);
    if (options.canaryService !== undefined && options.canaryService === options.stableService) {
      throw new ConfigError(where, 'stableService', options.stableService, 'The canary and stable Services need different names.');
    }
    return new RolloutStrategy('canary', {
      steps: [...steps],
      trafficRouting: options.trafficRouting ?? TrafficRouting.istio(),
      canaryService: options.canaryService,
      stableService: options.stableService,
      maxSurge: checkSurge(where, 'maxSurge', options.maxSurge ?? '25%'),
      maxUnavailable: checkSurge(where, 'maxUnavailable', options.maxUnavailable ?? 0),
    }, undefined);
  }

  /**
   * Blue-green: the new version runs next to the old one behind the preview
   * Service; promotion (manual by default) switches the active Service to it.
   */
  public static blueGreen(options: BlueGreenOptions): RolloutStrategy {
    const where = 'RolloutStrategy.blueGreen';
    if (typeof options.previewService !== 'string' || options.previewService === '') {
      throw new ConfigError(
        where,
        'previewService',
        options.previewService,
        'A blue-green Rollout needs a preview Service to test the new version before it is promoted: set previewService, such as "backend-api-preview".',
      );
    }
    checkServiceName(where, 'previewService', options.previewService);
    checkServiceName(where, 'activeService', options.activeService);
    if (options.activeService === options.previewService) {
      throw new ConfigError(where, 'previewService', options.previewService, 'The active and preview Services need different names.');
    }
    if (options.prePromotionAnalysis) checkAnalysis(where, 'prePromotionAnalysis.templates', options.prePromotionAnalysis);
    if (options.postPromotionAnalysis) checkAnalysis(where, 'postPromotionAnalysis.templates', options.postPromotionAnalysis);
    const delay = options.scaleDownDelaySeconds ?? 30;
    if (!Number.isInteger(delay) || delay < 0) {
      throw new ConfigError(where, 'scaleDownDelaySeconds', delay, 'Use a whole number of seconds, 0 or more.');
    }
    if (options.previewReplicaCount !== undefined && (!Number.isInteger(options.previewReplicaCount) || options.previewReplicaCount < 1)) {
      throw new ConfigError(where, 'previewReplicaCount', options.previewReplicaCount, 'Use a whole number of at least 1.');
    }
    return new RolloutStrategy('blueGreen', undefined, {
      activeService: options.activeService,
      previewService: options.previewService,
      autoPromotionEnabled: options.autoPromotionEnabled ?? false,
      prePromotionAnalysis: options.prePromotionAnalysis && copyAnalysis(options.prePromotionAnalysis),
      postPromotionAnalysis: options.postPromotionAnalysis && copyAnalysis(options.postPromotionAnalysis),
      scaleDownDelaySeconds: delay,
      previewReplicaCount: options.previewReplicaCount,
    });
  }

  /** A rolling update (a canary without steps or traffic routing). */
  public static rolling(options: RollingOptions = {}): RolloutStrategy {
    const where = 'RolloutStrategy.rolling';
    return new RolloutStrategy('rolling', {
      steps: [],
      trafficRouting: TrafficRouting.none(),
      maxSurge: checkSurge(where, 'maxSurge', options.maxSurge ?? '25%'),
      maxUnavailable: checkSurge(where, 'maxUnavailable', options.maxUnavailable ?? 0),
    }, undefined);
  }

  private constructor(
    /** `canary`, `blueGreen` or `rolling`. */
    public readonly kind: StrategyKind,
    private readonly canaryConfig: CanaryConfig | undefined,
    private readonly blueGreenConfig: BlueGreenConfig | undefined,
  ) {}

  /** The canary steps (empty for blue-green and rolling). */
  public get steps(): readonly CanaryStep[] {
    return this.canaryConfig?.steps ?? [];
  }

  /** The canary weights, in order. */
  public get weights(): number[] {
    return this.steps.filter((s) => s.kind === 'setWeight').map((s) => s.weight!);
  }

  /** The traffic router (`istio`, or `none` for blue-green and rolling). */
  public get trafficRouting(): TrafficRouting {
    return this.canaryConfig?.trafficRouting ?? TrafficRouting.none();
  }

  /** Every AnalysisTemplate name the strategy runs, sorted, once each. */
  public get analysisTemplateNames(): string[] {
    return [...new Set(this.analyses().flatMap((a) => a.options.templates))].sort();
  }

  /** Whether the strategy runs any analysis. */
  public get hasAnalysis(): boolean {
    return this.analyses().length > 0;
  }

  /**
   * The same strategy without analysis: analysis steps and pre/post-promotion
   * analysis are left out (environments that do not analyse, such as dev).
   * A strategy without analysis is returned as it is.
   */
  public withoutAnalysis(): RolloutStrategy {
    if (!this.hasAnalysis) return this;
    if (this.canaryConfig) {
      return new RolloutStrategy(this.kind, { ...this.canaryConfig, steps: this.canaryConfig.steps.filter((s) => s.kind !== 'analysis') }, undefined);
    }
    const bg = this.blueGreenConfig!;
    return new RolloutStrategy(this.kind, undefined, { ...bg, prePromotionAnalysis: undefined, postPromotionAnalysis: undefined });
  }

  /** A structured summary for outputs and docs. */
  public describe(): Record<string, unknown> {
    if (this.kind === 'blueGreen') {
      const bg = this.blueGreenConfig!;
      return {
        kind: this.kind,
        auto_promotion: bg.autoPromotionEnabled,
        pre_promotion_analysis: bg.prePromotionAnalysis ? [...bg.prePromotionAnalysis.templates] : [],
        post_promotion_analysis: bg.postPromotionAnalysis ? [...bg.postPromotionAnalysis.templates] : [],
        scale_down_delay_seconds: bg.scaleDownDelaySeconds,
      };
    }
    if (this.kind === 'rolling') {
      return { kind: this.kind, max_surge: this.canaryConfig!.maxSurge, max_unavailable: this.canaryConfig!.maxUnavailable };
    }
    return {
      kind: this.kind,
      traffic_routing: this.trafficRouting.kind,
      weights: this.weights,
      steps: this.steps.map((s) => s.describe()),
      analysis_templates: this.analysisTemplateNames,
    };
  }

  /** The base names of the Services the strategy generates for a Rollout named `name`. */
  public serviceBaseNames(name: string): string[] {
    if (this.blueGreenConfig) return [this.blueGreenConfig.activeService ?? name, this.blueGreenConfig.previewService];
    if (this.kind === 'rolling') return [name];
    return [name, this.canaryConfig!.canaryService ?? `${name}-canary`, this.canaryConfig!.stableService ?? `${name}-stable`];
  }

  /** Renders `spec.strategy` and lists the Services and Istio objects it needs. */
  public render(ctx: StrategyContext): RenderedStrategy {
    if (this.blueGreenConfig) return this.renderBlueGreen(this.blueGreenConfig, ctx);
    return this.renderCanary(this.canaryConfig!, ctx);
  }

  private renderCanary(config: CanaryConfig, ctx: StrategyContext): RenderedStrategy {
    const surge = {
      maxSurge: typeof config.maxSurge === 'number' ? RolloutSpecStrategyCanaryMaxSurge.fromNumber(config.maxSurge) : RolloutSpecStrategyCanaryMaxSurge.fromString(config.maxSurge),
      maxUnavailable:
        typeof config.maxUnavailable === 'number'
          ? RolloutSpecStrategyCanaryMaxUnavailable.fromNumber(config.maxUnavailable)
          : RolloutSpecStrategyCanaryMaxUnavailable.fromString(config.maxUnavailable),
    };
    if (this.kind === 'rolling') {
      return { spec: { canary: surge }, services: [{ name: ctx.rename(ctx.name), role: 'root' }] };
    }
    const canaryService = ctx.rename(config.canaryService ?? `${ctx.name}-canary`);
    const stableService = ctx.rename(config.stableService ?? `${ctx.name}-stable`);
    const root = ctx.rename(ctx.name);
    const steps: RolloutSpecStrategyCanarySteps[] = config.steps.map((step, index) => {
      switch (step.kind) {
        case 'setWeight':
          return { setWeight: step.weight };
        case 'pause':
          return { pause: step.duration ? { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(step.duration) } : {} };
        default:
          return {
            analysis: {
              templates: step.analysis!.templates.map((templateName) => ({ templateName })),
              args: emptyToUndefined(ctx.analysisArgs(`strategy.canary.steps[${index}].analysis`, step.analysis!, canaryService)),
            },
          };
      }
    });
    const istioOptions = config.trafficRouting.istio;
    const istio: IstioRouting | undefined = istioOptions
      ? {
          virtualService: ctx.rename(`${ctx.name}-vs`),
          destinationRule: ctx.rename(`${ctx.name}-dr`),
          host: root,
          routeName: istioOptions.routeName,
          stableSubset: istioOptions.stableSubset,
          canarySubset: istioOptions.canarySubset,
          canaryHeader: istioOptions.canaryHeader,
        }
      : undefined;
    return {
      spec: {
        canary: {
          canaryService,
          stableService,
          ...surge,
          steps,
          trafficRouting: istio
            ? {
                istio: {
                  virtualService: { name: istio.virtualService, routes: [istio.routeName] },
                  destinationRule: { name: istio.destinationRule, canarySubsetName: istio.canarySubset, stableSubsetName: istio.stableSubset },
                },
              }
            : undefined,
        },
      },
      services: [
        { name: root, role: 'root' },
        { name: canaryService, role: 'canary' },
        { name: stableService, role: 'stable' },
      ],
      istio,
    };
  }

  private renderBlueGreen(config: BlueGreenConfig, ctx: StrategyContext): RenderedStrategy {
    const activeService = ctx.rename(config.activeService ?? ctx.name);
    const previewService = ctx.rename(config.previewService);
    const analysis = (field: string, options: AnalysisOptions | undefined, service: string) =>
      options
        ? {
            templates: options.templates.map((templateName) => ({ templateName })),
            args: emptyToUndefined(ctx.analysisArgs(`strategy.blueGreen.${field}`, options, service)),
          }
        : undefined;
    return {
      spec: {
        blueGreen: {
          activeService,
          previewService,
          autoPromotionEnabled: config.autoPromotionEnabled,
          scaleDownDelaySeconds: config.scaleDownDelaySeconds,
          previewReplicaCount: config.previewReplicaCount,
          prePromotionAnalysis: analysis('prePromotionAnalysis', config.prePromotionAnalysis, previewService),
          postPromotionAnalysis: analysis('postPromotionAnalysis', config.postPromotionAnalysis, activeService),
        },
      },
      services: [
        { name: activeService, role: 'active' },
        { name: previewService, role: 'preview' },
      ],
    };
  }

  private analyses(): Array<{ field: string; options: AnalysisOptions }> {
    if (this.blueGreenConfig) {
      const bg = this.blueGreenConfig;
      return [
        ...(bg.prePromotionAnalysis ? [{ field: 'prePromotionAnalysis', options: bg.prePromotionAnalysis }] : []),
        ...(bg.postPromotionAnalysis ? [{ field: 'postPromotionAnalysis', options: bg.postPromotionAnalysis }] : []),
      ];
    }
    return this.steps.flatMap((s, i) => (s.analysis ? [{ field: `steps[${i}].analysis`, options: s.analysis }] : []));
  }
}

function checkServiceName(where: string, field: string, name: string | undefined): void {
  if (name !== undefined && !DNS_LABEL.test(name)) {
    throw new ConfigError(where, field, name, 'Use a Service name (a lowercase DNS label).');
  }
}

function checkSurge(where: string, field: string, value: string | number): string | number {
  const ok = typeof value === 'number' ? Number.isInteger(value) && value >= 0 : PERCENT_OR_COUNT.test(value);
  if (!ok) throw new ConfigError(where, field, value, 'Use a whole number of pods or a percentage such as "25%".');
  return value;
}

function emptyToUndefined<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}
