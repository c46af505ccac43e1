import { SyncPolicyDefaults } from '../platform/environment';
import { ConfigError } from '../platform/errors';
import { GO_DURATION } from '../platform/patterns';

/** Options for {@link SyncPolicy.automated}. Only the fields you set are written. */
export interface AutomatedSyncOptions {
  /** Delete resources that are no longer in Git. @default - not written (Argo CD: false) */
  readonly prune?: boolean;
  /** Revert changes made outside Git. @default - not written (Argo CD: false) */
  readonly selfHeal?: boolean;
  /** Allow syncing an application down to no resources. @default - not written (Argo CD: false) */
  readonly allowEmpty?: boolean;
}

/** Retry of failed syncs, with an optional exponential backoff. */
export interface RetryOptions {
  /** Maximum number of retries; 0 disables retrying. Must be 0 or more. */
  readonly limit: number;
  /** Initial backoff (`5s`). @default - Argo CD's default (5s) */
  readonly backoffDuration?: string;
  /** Backoff multiplier, at least 1. @default - Argo CD's default (2) */
  readonly backoffFactor?: number;
  /** Maximum backoff (`3m`). @default - Argo CD's default (3m) */
  readonly backoffMaxDuration?: string;
}

/** Options shared by manual and automated policies. */
export interface SyncPolicyOptions {
  /** Sync options (`CreateNamespace=true`, `PruneLast=true` ...). @default [] */
  readonly syncOptions?: readonly string[];
  /** Retry with backoff. @default - no retry */
  readonly retry?: RetryOptions;
}

/** The JSON shape of an Argo CD `spec.syncPolicy`. */
export interface SyncPolicyJson {
  readonly automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean };
  readonly syncOptions?: string[];
  readonly retry?: {
    limit: number;
    backoff?: { duration?: string; factor?: number; maxDuration?: string };
  };
}

/** The sync options the seeds use for every platform application. */
export const DEFAULT_SYNC_OPTIONS: readonly string[] = [
  'CreateNamespace=true',
  'PrunePropagationPolicy=foreground',
  'PruneLast=true',
];

const SYNC_OPTION = /^[A-Za-z]+=[A-Za-z0-9-]+$/;

/**
 * How Argo CD syncs an Application: manually, or automatically with
 * prune / self-heal. Sync options and retry apply to both.
 */
export class SyncPolicy {
  /** Sync only when someone asks (production approvals). */
  public static manual(options: SyncPolicyOptions = {}): SyncPolicy {
    return new SyncPolicy(undefined, options);
  }

  /** Sync whenever Git changes. `automated()` with no options writes `automated: {}`. */
  public static automated(automated: AutomatedSyncOptions = {}, options: SyncPolicyOptions = {}): SyncPolicy {
    return new SyncPolicy({ ...automated }, options);
  }

  /** The policy an environment's defaults describe, with the seeds' sync options. */
  public static fromDefaults(defaults: SyncPolicyDefaults, syncOptions: readonly string[] = DEFAULT_SYNC_OPTIONS): SyncPolicy {
    const options = { syncOptions, retry: defaults.retry };
    return defaults.automated
      ? SyncPolicy.automated(
          { prune: defaults.prune, selfHeal: defaults.selfHeal, allowEmpty: defaults.allowEmpty ?? false },
          options,
        )
      : SyncPolicy.manual(options);
  }

  private constructor(
    private readonly auto: AutomatedSyncOptions | undefined,
    private readonly options: SyncPolicyOptions,
  ) {
    const retry = options.retry;
    if (retry) {
      if (!Number.isInteger(retry.limit) || retry.limit < 0) {
        throw new ConfigError('SyncPolicy', 'retry.limit', retry.limit, 'Use a whole number of 0 or more (0 disables retries).');
      }
      for (const key of ['backoffDuration', 'backoffMaxDuration'] as const) {
        const value = retry[key];
        if (value !== undefined && !GO_DURATION.test(value)) {
          throw new ConfigError('SyncPolicy', `retry.${key}`, value, 'Use a duration such as "5s", "3m" or "1h".');
        }
      }
      if (retry.backoffFactor !== undefined && !(retry.backoffFactor >= 1)) {
        throw new ConfigError('SyncPolicy', 'retry.backoffFactor', retry.backoffFactor, 'Use a number of at least 1.');
      }
    }
    for (const option of options.syncOptions ?? []) {
      if (!SYNC_OPTION.test(option)) {
        throw new ConfigError('SyncPolicy', 'syncOptions', option, 'Write each sync option as Name=value, such as "CreateNamespace=true".');
      }
    }
  }

  /** The same policy without the sync option `name` (`CreateNamespace`), whatever its value. */
  public withoutSyncOption(name: string): SyncPolicy {
    const syncOptions = (this.options.syncOptions ?? []).filter((o) => o.split('=')[0] !== name);
    return new SyncPolicy(this.auto ? { ...this.auto } : undefined, { ...this.options, syncOptions });
  }

  /** Whether the policy syncs automatically. */
  public get isAutomated(): boolean {
    return this.auto !== undefined;
  }

  /** Whether the policy prunes automatically. */
  public get prunes(): boolean {
    return this.auto?.prune ?? false;
  }

  /** Whether the policy reverts changes made outside Git. */
  public get selfHeals(): boolean {
    return this.auto?.selfHeal ?? false;
  }

  /** The sync options. */
  public get syncOptions(): readonly string[] {
    return this.options.syncOptions ?? [];
  }

  /** Renders `spec.syncPolicy`. */
  public toJson(): SyncPolicyJson {
    const retry = this.options.retry;
    const backoff =
      retry && (retry.backoffDuration !== undefined || retry.backoffFactor !== undefined || retry.backoffMaxDuration !== undefined)
        ? {
            ...(retry.backoffDuration !== undefined ? { duration: retry.backoffDuration } : {}),
            ...(retry.backoffFactor !== undefined ? { factor: retry.backoffFactor } : {}),
            ...(retry.backoffMaxDuration !== undefined ? { maxDuration: retry.backoffMaxDuration } : {}),
          }
        : undefined;
    return {
      ...(this.auto ? { automated: definedOnly(this.auto) } : {}),
      ...(this.options.syncOptions && this.options.syncOptions.length > 0
        ? { syncOptions: [...this.options.syncOptions] }
        : {}),
      ...(retry ? { retry: { limit: retry.limit, ...(backoff ? { backoff } : {}) } } : {}),
    };
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
