import { ConfigError } from '../platform/errors';
import { componentFolder, deliveryContext, DeliveryEnvironment, DeliveryReferences } from './context';
import { overlayOptions } from './delivery';
import { serviceKustomize } from './overlays';
import { unifiedDiff } from './diff';
import { checkTag } from './service';
import { PromotionModel, ServiceRelease } from './settings';

const SEMVER = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?$/;

/** One environment on the promotion path. */
export interface PromotionStage {
  /** The environment's name. */
  readonly environment: string;
  /** The branch (or tag) the environment tracks. */
  readonly branch: string;
  /** Whether only release versions (no pre-release) may be promoted here (tag-based: the last stage). */
  readonly releasesOnly: boolean;
}

/**
 * The order in which changes move through the environments (dev → staging →
 * prod). Branch-based: each environment tracks a branch and a promotion merges
 * the previous environment's branch into it. Tag-based: a promotion pins a
 * SemVer version; the last environment accepts release versions only.
 */
export class PromotionPath {
  /** Branch-based promotion (the seeds' develop → staging → main). */
  public static branchBased(stages: ReadonlyArray<{ readonly environment: string; readonly branch: string }>): PromotionPath {
    return new PromotionPath('branch', stages.map((s) => ({ environment: s.environment, branch: s.branch, releasesOnly: false })));
  }

  /** Tag-based promotion: SemVer versions, release versions only in the last environment. */
  public static tagBased(stages: ReadonlyArray<{ readonly environment: string; readonly branch: string }>): PromotionPath {
    return new PromotionPath('tag', stages.map((s, i) => ({ environment: s.environment, branch: s.branch, releasesOnly: i === stages.length - 1 })));
  }

  /**
   * The path the environments declare (`delivery.promotion`), with each
   * environment's `gitops.revision` as its branch. Every environment that
   * declares a path must declare the same one.
   */
  public static fromEnvironments(environments: readonly DeliveryEnvironment[]): PromotionPath {
    const byName = new Map(environments.map((e) => [e.name, e]));
    let declared: { path: readonly string[]; model: PromotionModel; from: string } | undefined;
    for (const env of environments) {
      const promotion = env.delivery?.promotion;
      if (!promotion) continue;
      const current = { path: promotion.path, model: promotion.model ?? 'branch', from: env.name };
      if (!declared) {
        declared = current;
      } else if (declared.path.join(',') !== current.path.join(',') || declared.model !== current.model) {
        throw new ConfigError(
          `Environment "${env.name}"`,
          'delivery.promotion',
          { path: current.path, model: current.model },
          `Environment "${declared.from}" declares ${JSON.stringify({ path: declared.path, model: declared.model })}; every environment must declare the same promotion path.`,
        );
      }
    }
    if (!declared) {
      throw new ConfigError('PromotionPath', 'delivery.promotion', undefined, 'Declare the promotion path in the environments, such as { path: ["dev", "staging", "prod"] }.');
    }
    const stages = declared.path.map((name) => {
      const env = byName.get(name);
      if (!env) {
        throw new ConfigError(`Environment "${declared!.from}"`, 'delivery.promotion.path', name, `No environment is named "${name}" (environments: ${[...byName.keys()].join(', ')}).`);
      }
      return { environment: name, branch: env.gitops.revision };
    });
    return declared.model === 'tag' ? PromotionPath.tagBased(stages) : PromotionPath.branchBased(stages);
  }

  private constructor(
    /** `branch` or `tag`. */
    public readonly model: PromotionModel,
    /** The stages, in order. */
    public readonly stages: readonly PromotionStage[],
  ) {
    const names = stages.map((s) => s.environment);
    if (names.length === 0 || new Set(names).size !== names.length) {
      throw new ConfigError('PromotionPath', 'stages', names, 'List each environment once, in promotion order.');
    }
  }

  /** The environment names in order. */
  public get environments(): string[] {
    return this.stages.map((s) => s.environment);
  }

  /** The stage of an environment. */
  public stage(environment: string): PromotionStage {
    const stage = this.stages.find((s) => s.environment === environment);
    if (!stage) {
      throw new ConfigError('PromotionPath', 'environment', environment, `Use one of ${this.environments.join(', ')}.`);
    }
    return stage;
  }

  /** Rejects a promotion that is not one step forward along the path (no skipping, no going back). */
  public checkStep(from: string, to: string): void {
    const names = this.environments;
    this.stage(from);
    this.stage(to);
    const i = names.indexOf(from);
    const j = names.indexOf(to);
    const path = names.join(' -> ');
    if (j === i + 1) return;
    if (j > i + 1) {
      const skipped = names.slice(i + 1, j);
      const steps = names.slice(i, j + 1).map((n, k, all) => (k === 0 ? '' : `${all[k - 1]} -> ${n}`)).filter(Boolean);
      throw new ConfigError(
        'PromotionPath',
        'promotion',
        `${from} -> ${to}`,
        `It skips ${skipped.join(', ')} on the path ${path}: promote one environment at a time (${steps.join(', then ')}).`,
      );
    }
    throw new ConfigError(
      'PromotionPath',
      'promotion',
      `${from} -> ${to}`,
      `Promotions go forward along ${path}${i < names.length - 1 ? `; the next environment after ${from} is ${names[i + 1]}` : `; ${from} is the last environment`}. To roll back, use "kubectl argo rollouts undo" or pin the previous tag in ${to}.`,
    );
  }
}

/** The outcome of {@link promote}. */
export interface Promotion {
  /** The service. */
  readonly service: string;
  /** The source environment. */
  readonly from: string;
  /** The target environment. */
  readonly to: string;
  /** The promotion model. */
  readonly model: PromotionModel;
  /** The image repository. */
  readonly repository: string;
  /** The tag the target runs now. */
  readonly previousTag: string;
  /** The tag the target runs after the promotion (the source's tag). */
  readonly tag: string;
  /** Whether anything changes. */
  readonly changed: boolean;
  /** The target's promoted release (`delivery.releases.<service>` of the target environment). */
  readonly release: ServiceRelease;
  /**
   * The path in the GitOps repository of the target's file that changes: the
   * service's overlay (`apps/delivery/<service>/overlays/<env>/kustomization.yaml`),
   * which Argo CD (engine `argocd`) or Flux (engine `flux`) applies.
   */
  readonly overlayPath: string;
  /** That file before the promotion. */
  readonly overlayBefore: string;
  /** That file after the promotion. */
  readonly overlayAfter: string;
  /** A unified diff of that file. */
  readonly diff: string;
  /** What to do in Git, in order. */
  readonly steps: readonly string[];
}

/**
 * Promotes a service's version from one environment to the next: the target
 * keeps its own replicas, strategy and resources and takes the source's image
 * tag. Returns the promoted release, the target's applied file before and after, a
 * unified diff and the Git steps. Skipping an environment, going backwards,
 * a version that is not SemVer (tag-based), a pre-release into the last
 * environment (tag-based) and a downgrade (tag-based) are errors.
 */
export function promote<E extends DeliveryEnvironment>(
  environments: readonly E[],
  service: string,
  from: string,
  to: string,
  referencesOf: (environment: E) => DeliveryReferences,
): Promotion {
  const path = PromotionPath.fromEnvironments(environments);
  path.checkStep(from, to);
  const source = environments.find((e) => e.name === from)!;
  const target = environments.find((e) => e.name === to)!;
  const sourceCtx = deliveryContext(source, referencesOf(source));
  const targetCtx = deliveryContext(target, referencesOf(target));
  const sourceService = sourceCtx.services.find((s) => s.definition.name === service);
  const targetService = targetCtx.services.find((s) => s.definition.name === service);
  if (!sourceService || !targetService) {
    const missing = !sourceService ? from : to;
    const known = (!sourceService ? sourceCtx : targetCtx).services.map((s) => s.definition.name);
    throw new ConfigError(`Environment "${missing}"`, 'delivery.services', service, `The environment has no such service (services: ${known.join(', ') || 'none'}).`);
  }
  if (sourceService.repository !== targetService.repository) {
    throw new ConfigError(
      `Environment "${to}"`,
      `delivery.services.${service}.image`,
      targetService.repository,
      `${from} runs ${sourceService.repository}; both environments must define the service with the same image repository.`,
    );
  }
  const tag = sourceService.tag;
  const previousTag = targetService.tag;
  if (path.model === 'tag') checkSemverPromotion(path, to, service, tag, previousTag);

  const release: ServiceRelease = { ...(target.delivery?.releases?.[service] ?? {}), tag };
  const promotedTarget: E = {
    ...target,
    delivery: { ...target.delivery, releases: { ...(target.delivery?.releases ?? {}), [service]: release } },
  };
  const promotedCtx = deliveryContext(promotedTarget, referencesOf(target));
  // The file that changes is the service's overlay, which either engine applies.
  const targetFile = (ctx: typeof targetCtx, env: E): { file: string; content: string } => {
    const resolved = ctx.services.find((s) => s.definition.name === service)!;
    const overlay = overlayOptions(ctx, referencesOf(env).prometheus?.namespace, resolved.wave, ctx.namePrefix);
    const file = `overlays/${to}/kustomization.yaml`;
    return { file: `${componentFolder(service)}/${file}`, content: serviceKustomize(resolved, overlay, ctx.prometheusAddress).get(file)! };
  };
  const before = targetFile(targetCtx, target);
  const overlayPath = `${targetCtx.repoPath}/${before.file}`;
  const overlayBefore = before.content;
  const overlayAfter = targetFile(promotedCtx, promotedTarget).content;
  const changed = overlayBefore !== overlayAfter;
  return {
    service,
    from,
    to,
    model: path.model,
    repository: sourceService.repository,
    previousTag,
    tag,
    changed,
    release,
    overlayPath,
    overlayBefore,
    overlayAfter,
    diff: unifiedDiff(overlayPath, overlayBefore, overlayAfter),
    steps: changed ? gitSteps(path, service, from, to, tag) : [],
  };
}

/** A readable report of a promotion: summary, Git steps and the overlay diff. */
export function formatPromotion(p: Promotion): string {
  const lines = [`Promote ${p.service} from ${p.from} to ${p.to} (${p.model}-based)`];
  if (!p.changed) {
    lines.push(`  ${p.to} already runs ${p.repository}:${p.tag}; nothing changes.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`  image ${p.repository}: ${p.previousTag} -> ${p.tag}`);
  lines.push(`  environments/${p.to}.ts: delivery.releases.${p.service} = ${JSON.stringify(releaseJson(p.release))}`);
  lines.push('', 'Steps:');
  p.steps.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  lines.push('', p.diff);
  return `${lines.join('\n')}\n`;
}

function releaseJson(release: ServiceRelease): Record<string, unknown> {
  return {
    tag: release.tag,
    ...(release.replicas !== undefined ? { replicas: release.replicas } : {}),
    ...(release.strategy !== undefined ? { strategy: `${release.strategy.kind} (unchanged)` } : {}),
    ...(release.resources !== undefined ? { resources: release.resources } : {}),
  };
}

function checkSemverPromotion(path: PromotionPath, to: string, service: string, tag: string, previous: string): void {
  checkTag(`Environment "${to}"`, `delivery.releases.${service}.tag`, tag);
  const version = SEMVER.exec(tag);
  if (!version) {
    throw new ConfigError('PromotionPath', `${service} tag`, tag, 'Tag-based promotion needs a SemVer version such as "v1.4.0" or "v1.4.0-rc.1".');
  }
  if (path.stage(to).releasesOnly && version[4] !== undefined) {
    throw new ConfigError('PromotionPath', `${service} tag`, tag, `${to} accepts release versions only: promote a version without a pre-release suffix, such as "v${version[1]}.${version[2]}.${version[3]}".`);
  }
  const current = SEMVER.exec(previous);
  if (current && compareSemver(version, current) < 0) {
    throw new ConfigError('PromotionPath', `${service} tag`, tag, `${to} runs ${previous}, which is newer; promotions only move forward (roll back with "kubectl argo rollouts undo").`);
  }
}

function compareSemver(a: RegExpExecArray, b: RegExpExecArray): number {
  for (let i = 1; i <= 3; i++) {
    const d = Number(a[i]) - Number(b[i]);
    if (d !== 0) return d;
  }
  if (a[4] === b[4]) return 0;
  if (a[4] === undefined) return 1;
  if (b[4] === undefined) return -1;
  return comparePrerelease(a[4], b[4]);
}

/**
 * SemVer 2.0 §11: pre-release identifiers compared left to right, numeric
 * ones as numbers and below alphanumeric ones, alphanumeric ones in ASCII
 * order; when all shared identifiers are equal, the longer list is newer
 * (`rc.2` < `rc.10`, `alpha` < `alpha.1`, `1` < `rc`).
 */
function comparePrerelease(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const xn = /^[0-9]+$/.test(x[i]);
    const yn = /^[0-9]+$/.test(y[i]);
    if (xn && yn) {
      const d = BigInt(x[i]) - BigInt(y[i]);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x[i] !== y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  return x.length - y.length;
}

function gitSteps(path: PromotionPath, service: string, from: string, to: string, tag: string): string[] {
  const source = path.stage(from);
  const target = path.stage(to);
  const last = path.environments[path.environments.length - 1] === to;
  const edit = `set delivery.releases.${service}.tag to "${tag}" in environments/${to}.ts and run "npm run synth"`;
  if (path.model === 'tag') {
    const gitTag = `${service}/${tag.startsWith('v') ? tag : `v${tag}`}`;
    return [
      edit,
      `commit the regenerated clusters/${to} tree on ${target.branch}`,
      `git tag -a ${gitTag} -m "Promote ${service} ${tag} to ${to}" && git push origin ${gitTag}`,
    ];
  }
  if (last) {
    return [
      `git checkout -b release/${service}-${tag} ${target.branch}`,
      `git merge --no-ff ${source.branch}`,
      edit,
      `commit the regenerated clusters/${to} tree and push the release branch`,
      `gh pr create --base ${target.branch} --title "Promote ${service} ${tag} to ${to}" (production changes are reviewed)`,
    ];
  }
  return [
    `git checkout ${target.branch} && git merge --no-ff ${source.branch}`,
    edit,
    `commit the regenerated clusters/${to} tree and git push origin ${target.branch}`,
  ];
}
