import { SyncPolicyDefaults, SyncRetry } from '../platform/environment';
import { ConfigError } from '../platform/errors';

/** Options for {@link SyncPolicy.automated}. */
export interface AutomatedSyncOptions {
  /** Delete resources that are no longer in Git. @default false */
  readonly prune?: boolean;
  /** Revert changes made outside Git. @default false */
  readonly selfHeal?: boolean;
  /** Allow syncing an application down to no resources. @default false */
  readonly allowEmpty?: boolean;
}

/** Options shared by manual and automated policies. */
export interface SyncPolicyOptions {
  /** Sync options (`CreateNamespace=true`, `PruneLast=true` ...). @default [] */
  readonly syncOptions?: readonly string[];
  /** Retry with backoff. @default - no retry */
  readonly retry?: SyncRetry;
}

/** The JSON shape of an Argo CD `spec.syncPolicy`. */
export interface SyncPolicyJson {
  readonly automated?: { prune: boolean; selfHeal: boolean; allowEmpty: boolean };
  readonly syncOptions?: string[];
  readonly retry?: {
    limit: number;
    backoff: { duration: string; factor: number; maxDuration: string };
  };
}

/** The sync options the seeds use for every platform application. */
export const DEFAULT_SYNC_OPTIONS: readonly string[] = [
  'CreateNamespace=true',
  'PrunePropagationPolicy=foreground',
  'PruneLast=true',
];

/** How Argo CD syncs an Application: manually, or automatically with prune/self-heal. */
export class SyncPolicy {
  /** Sync only when someone asks (production approvals). */
  public static manual(options: SyncPolicyOptions = {}): SyncPolicy {
    return new SyncPolicy(undefined, options);
  }

  /** Sync whenever Git changes. */
  public static automated(automated: AutomatedSyncOptions = {}, options: SyncPolicyOptions = {}): SyncPolicy {
    return new SyncPolicy(
      { prune: automated.prune ?? false, selfHeal: automated.selfHeal ?? false, allowEmpty: automated.allowEmpty ?? false },
      options,
    );
  }

  /** The policy an environment's defaults describe, with the seeds' sync options. */
  public static fromDefaults(defaults: SyncPolicyDefaults, syncOptions: readonly string[] = DEFAULT_SYNC_OPTIONS): SyncPolicy {
    const options = { syncOptions, retry: defaults.retry };
    return defaults.automated
      ? SyncPolicy.automated({ prune: defaults.prune, selfHeal: defaults.selfHeal, allowEmpty: defaults.allowEmpty }, options)
      : SyncPolicy.manual(options);
  }

  private constructor(
    private readonly auto: { prune: boolean; selfHeal: boolean; allowEmpty: boolean } | undefined,
    private readonly options: SyncPolicyOptions,
  ) {
    const retry = options.retry;
    if (retry && (!Number.isInteger(retry.limit) || retry.limit < 0)) {
      throw new ConfigError('SyncPolicy', 'retry.limit', retry.limit, 'Use a whole number of 0 or more.');
    }
  }

  /** Whether the policy syncs automatically. */
  public get isAutomated(): boolean {
    return this.auto !== undefined;
  }

  /** Whether the policy prunes automatically. */
  public get prunes(): boolean {
    return this.auto?.prune ?? false;
  }

  /** Renders `spec.syncPolicy`. */
  public toJson(): SyncPolicyJson {
    const retry = this.options.retry;
    return {
      ...(this.auto ? { automated: { ...this.auto } } : {}),
      ...(this.options.syncOptions && this.options.syncOptions.length > 0
        ? { syncOptions: [...this.options.syncOptions] }
        : {}),
      ...(retry
        ? {
            retry: {
              limit: retry.limit,
              backoff: { duration: retry.backoffDuration, factor: retry.backoffFactor, maxDuration: retry.backoffMaxDuration },
            },
          }
        : {}),
    };
  }
}
