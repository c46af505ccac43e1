/** The `promotionStrategy` values of a Jenkins X Environment (`jenkins.io/v1`). */
export type PromotionStrategyValue = 'Auto' | 'Manual' | 'Never';

/**
 * How a release reaches an environment: `Auto` opens and merges the promotion
 * pull request after every release, `Manual` waits for `jx promote`, `Never`
 * is for the development environment itself.
 */
export class PromotionStrategy {
  /** Promote every release automatically (staging). */
  public static auto(): PromotionStrategy {
    return new PromotionStrategy('Auto');
  }

  /** Promote only on request, with `jx promote` (production). */
  public static manual(): PromotionStrategy {
    return new PromotionStrategy('Manual');
  }

  /** Never promote into this environment (the development environment). */
  public static never(): PromotionStrategy {
    return new PromotionStrategy('Never');
  }

  /** The value Jenkins X reads. */
  public readonly value: PromotionStrategyValue;

  private constructor(value: PromotionStrategyValue) {
    this.value = value;
  }

  /** Whether releases are promoted without a person asking. */
  public get isAutomatic(): boolean {
    return this.value === 'Auto';
  }

  public toString(): string {
    return this.value;
  }
}
