import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';
import { GitUrl } from './git-url';

/** Preview environments of pull requests (`EnvironmentConfig.jenkinsX.previews`). */
export interface PreviewSettings {
  /**
   * How long a preview may live after it was first deployed (hours and
   * minutes, such as `72h` or `1h30m`). Jenkins X has no time to live of its
   * own: a reaper CronJob deletes older previews (see {@link PreviewReaper}).
   * @default - no time to live: a preview lives until its pull request is closed or merged
   */
  readonly ttl?: string;
  /**
   * When the jx-preview garbage collector deletes the previews of closed and
   * merged pull requests (cron, the `jx-preview` chart's `gcJobs.schedule`).
   * @default '*\/10 * * * *'
   */
  readonly gcSchedule?: string;
  /**
   * Also delete the previews of draft pull requests (`jx preview gc --gc-drafts`).
   * @default false
   */
  readonly cleanupDrafts?: boolean;
  /**
   * When the reaper looks for previews older than `ttl` (cron).
   * @default '15 * * * *'
   */
  readonly reaperSchedule?: string;
  /**
   * Seconds helmfile waits for a preview's resources to become ready.
   * @default 600
   */
  readonly helmTimeoutSeconds?: number;
}

/** {@link PreviewSettings} with every default applied. */
export interface ResolvedPreviewSettings {
  readonly ttl?: string;
  /** The time to live in seconds, when set. */
  readonly ttlSeconds?: number;
  readonly gcSchedule: string;
  readonly cleanupDrafts: boolean;
  readonly reaperSchedule: string;
  readonly helmTimeoutSeconds: number;
}

/** Where jx-preview looks for an application's preview helmfile. */
export const PREVIEW_HELMFILE = 'preview/helmfile.yaml.gotmpl';
/** The values template the preview helmfile adds. */
export const PREVIEW_VALUES = 'preview/values.yaml.gotmpl';
/**
 * Where `jx gitops helmfile resolve` looks for value overrides of the
 * `jx-preview` release in the cluster repository (`values/<release>/values.yaml`).
 */
export const JX_PREVIEW_VALUES = 'values/jx-preview/values.yaml';

const CRON = /^(\S+\s+){4}\S+$/;
const CRON_FIELD = /^[0-9*/,-]+$/;
const TTL = /^(?:([0-9]+)h)?(?:([0-9]+)m)?$/;

/** Checks and completes preview settings; errors name `<fieldPrefix>.<field>`. */
export function resolvePreviewSettings(settings: PreviewSettings, where: string, fieldPrefix: string): ResolvedPreviewSettings {
  const gcSchedule = settings.gcSchedule ?? '*/10 * * * *';
  const reaperSchedule = settings.reaperSchedule ?? '15 * * * *';
  for (const [field, value] of [['gcSchedule', gcSchedule], ['reaperSchedule', reaperSchedule]] as const) {
    if (!CRON.test(value) || !value.split(/\s+/).every((f) => CRON_FIELD.test(f))) {
      throw new ConfigError(where, `${fieldPrefix}.${field}`, value, 'Use a five-field cron expression such as "*/10 * * * *".');
    }
  }
  const helmTimeoutSeconds = settings.helmTimeoutSeconds ?? 600;
  if (!Number.isInteger(helmTimeoutSeconds) || helmTimeoutSeconds < 60) {
    throw new ConfigError(where, `${fieldPrefix}.helmTimeoutSeconds`, helmTimeoutSeconds, 'Use a whole number of seconds, at least 60.');
  }
  let ttlSeconds: number | undefined;
  if (settings.ttl !== undefined) {
    const match = TTL.exec(settings.ttl);
    ttlSeconds = match && settings.ttl !== '' ? (Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 : undefined;
    if (ttlSeconds === undefined || ttlSeconds < 3600) {
      throw new ConfigError(where, `${fieldPrefix}.ttl`, settings.ttl, 'Use hours and minutes of at least one hour, such as "72h" or "1h30m".');
    }
  }
  return {
    ...(settings.ttl !== undefined ? { ttl: settings.ttl, ttlSeconds } : {}),
    gcSchedule,
    cleanupDrafts: settings.cleanupDrafts ?? false,
    reaperSchedule,
    helmTimeoutSeconds,
  };
}

/**
 * The namespace jx-preview deploys a pull request's preview to:
 * `<development namespace>-<owner>-<repository>-pr-<number>`, lowercased
 * (jx-preview computes it; it is not configurable). `{number}` stands for the
 * pull request number.
 */
export function previewNamespacePattern(devNamespace: string, repository: GitUrl): string {
  const name = `${devNamespace}-${repository.owner}-${repository.repository}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `${name}-pr-{number}`;
}

/**
 * The preview helmfile of an application repository (`preview/helmfile.yaml.gotmpl`),
 * which `jx preview create` deploys for every pull request. The release goes
 * into the namespace jx-preview chose (`PREVIEW_NAMESPACE`), so
 * `jx preview destroy` and the garbage collector remove all of it.
 */
export function previewHelmfile(settings: ResolvedPreviewSettings): string {
  const namespace = '{{ requiredEnv "PREVIEW_NAMESPACE" }}';
  return toYaml({
    environments: { default: { values: ['jx-values.yaml'] } },
    helmDefaults: { timeout: settings.helmTimeoutSeconds },
    releases: [
      {
        chart: '../charts/{{ requiredEnv "APP_NAME" }}',
        name: 'preview',
        wait: true,
        createNamespace: true,
        namespace,
        values: ['jx-values.yaml', 'values.yaml.gotmpl'],
        hooks: [
          {
            events: ['presync'],
            showlogs: true,
            command: 'jx',
            args: ['secret', 'copy', '--create-namespace', '--selector', 'secret.jenkins-x.io/replica-source=true', '--to', namespace],
          },
        ],
      },
    ],
  });
}

/**
 * The values template of the preview release (`preview/values.yaml.gotmpl`):
 * the image the pull request pipeline built, and a per-pull-request host
 * (`<app>-pr<number>.<domain>`).
 */
export function previewValues(): string {
  return toYaml({
    jxRequirements: { ingress: { namespaceSubDomain: '-pr{{ requiredEnv "PULL_NUMBER" }}.' } },
    image: {
      repository: '{{ requiredEnv "DOCKER_REGISTRY" }}/{{ requiredEnv "DOCKER_REGISTRY_ORG" }}/{{ requiredEnv "APP_NAME" }}',
      tag: '{{ requiredEnv "VERSION" }}',
      pullPolicy: 'Always',
    },
  });
}

/** The `jx-preview` chart values of the cluster repository: the garbage collector's schedule and flags. */
export function jxPreviewValues(settings: ResolvedPreviewSettings): string {
  return toYaml({
    gcJobs: {
      schedule: settings.gcSchedule,
      extraArgs: settings.cleanupDrafts ? '--gc-drafts' : '',
    },
  });
}
