import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { GitOpsTree, ManifestObject } from '../platform/gitops-tree';
import { Platform } from '../platform/platform';
import { recordFrom } from '../platform/plain-object';
import { AnalysisTemplate } from './analysis-template';
import { componentFolder, DeliveryContext, deliveryContext, DeliveryReferences } from './context';
import { FluxDeliveryOrder } from './flux-order';
import { ArgoRolloutsInstall } from './install';
import { ANALYSIS_WAVE, analysisKustomize, environmentSelector, OverlayOptions, serviceOverlay, SYNC_WAVE } from './overlays';
import { ROLLOUT_IGNORE_DIFFERENCES } from './istio';
import { standardAnalysisTemplates } from './service';
import { DeliverySettings } from './settings';
import { checkProps } from '../platform/config-boundary/props';

/** The name of the shared AnalysisTemplates component (its folder and Flux Kustomization). */
export const ANALYSIS_COMPONENT = 'analysis';

/** Where the delivery objects of an environment go and who applies them. */
export interface ServiceDelivery {
  /**
   * Whether the `apps` section's `kustomization.yaml` lists each overlay, so
   * that Argo CD's root app builds and applies it (engine `argocd`);
   * otherwise Flux Kustomizations apply the overlays (engine `flux`).
   */
  readonly listed: boolean;
}

/**
 * The services of an environment, each written once as a Kustomize base plus
 * this environment's overlay under `apps/delivery/<service>/` (and the shared
 * AnalysisTemplates under `apps/delivery/analysis/` when analysis runs). The
 * objects each overlay builds are given to the tree as overlay objects
 * (`GitOpsTree.addOverlay`; the AnalysisTemplates as an overlay chart): the
 * synth-time checks read them, and no other file holds them.
 */
export function addServiceManifests(
  tree: GitOpsTree,
  ctx: DeliveryContext,
  prometheusNamespace: string | undefined,
  delivery: ServiceDelivery,
): { templates: AnalysisTemplate[]; serviceObjects: Map<string, ManifestObject[]>; analysisTemplateNames: string[] } {
  const overlay = (wave: number, namePrefix: string): OverlayOptions => overlayOptions(ctx, prometheusNamespace, wave, namePrefix);
  let templates: AnalysisTemplate[] = [];
  let analysisTemplateNames: string[] = [];
  if (ctx.usesAnalysis) {
    const analysis = analysisKustomize(overlay(ANALYSIS_WAVE, ''), ctx.prometheusAddress);
    for (const [file, content] of analysis.files) tree.addFile(`${componentFolder(ANALYSIS_COMPONENT)}/${file}`, content);
    analysisTemplateNames = [...analysis.templates];
    templates = standardAnalysisTemplates(overlayChart(tree, ctx, ANALYSIS_COMPONENT, delivery), {
      namespace: ctx.namespace,
      address: ctx.prometheusAddress,
      labels: environmentSelector(ctx.environment),
      annotations: { [SYNC_WAVE]: String(ANALYSIS_WAVE) },
    });
  }
  const serviceObjects = new Map<string, ManifestObject[]>();
  for (const service of ctx.services) {
    const name = service.definition.name;
    const { files, objects } = serviceOverlay(service, overlay(service.wave, ctx.namePrefix), ctx.prometheusAddress);
    for (const [file, content] of files) tree.addFile(`${componentFolder(name)}/${file}`, content);
    tree.addOverlay('apps', overlayName(name), overlayDirectory(ctx, name, delivery), objects);
    serviceObjects.set(name, objects);
  }
  return { templates, serviceObjects, analysisTemplateNames };
}

/** What a component's overlay sets in this environment (also what `promote` renders the target's overlay with). */
export function overlayOptions(ctx: DeliveryContext, prometheusNamespace: string | undefined, wave: number, namePrefix: string): OverlayOptions {
  return {
    environment: ctx.environment,
    namespace: ctx.namespace,
    namePrefix,
    labels: ctx.labels,
    wave,
    metrics: prometheusNamespace !== undefined ? { prometheusNamespace } : undefined,
    ingress: { fromNamespaces: ctx.ingressNamespaces },
  };
}

/** The overlay chart of a component: its objects are those `apps/delivery/<component>/overlays/<env>` builds. */
function overlayChart(tree: GitOpsTree, ctx: DeliveryContext, component: string, delivery: ServiceDelivery): Chart {
  return tree.overlayChart('apps', overlayName(component), overlayDirectory(ctx, component, delivery));
}

/** The tree's name for a component's overlay. */
function overlayName(component: string): string {
  return `delivery-${component}`;
}

/** Where a component's overlay is in the `apps` section, and whether the section lists it. */
function overlayDirectory(ctx: DeliveryContext, component: string, delivery: ServiceDelivery): { directory: string; listed: boolean } {
  return { directory: `${componentFolder(component).slice('apps/'.length)}/overlays/${ctx.environment}`, listed: delivery.listed };
}

/**
 * Options for {@link Delivery}: the environment's `delivery` settings, plus
 * what the other modules tell it (which `GitOpsStack` wires).
 */
export interface DeliveryProps extends DeliverySettings, DeliveryReferences {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
}

/**
 * The progressive-delivery module of an environment: Argo Rollouts, and the
 * environment's services from `EnvironmentConfig.delivery`, each a Rollout
 * with its Services, Istio objects and analysis, deployed in dependency order.
 *
 * Each service is written once, in one form for both engines: a Kustomize
 * base plus this environment's overlay under `apps/delivery/<service>/`
 * (and the shared AnalysisTemplates under `apps/delivery/analysis/`). With
 * the `argocd` engine the `apps` section's `kustomization.yaml` lists each
 * overlay, which Argo CD's root app builds, in sync waves from the overlay's
 * `commonAnnotations`; with the `flux` engine, Flux Kustomizations apply the
 * overlays with `dependsOn`. Either way the synth-time checks read the
 * objects the overlays build (overlay objects of the tree).
 */
export class Delivery extends Construct {
  /** The Argo Rollouts install. */
  public readonly install: ArgoRolloutsInstall;
  /** The resolved settings. */
  public readonly context: DeliveryContext;
  /**
   * The objects each service's overlay builds, by service name: its Rollout,
   * Services, ServiceMonitor, NetworkPolicy and Istio objects as the
   * environment runs them (and the synth-time checks read them).
   */
  public readonly serviceObjects: ReadonlyMap<string, readonly ManifestObject[]>;
  /** The AnalysisTemplates the analysis overlay builds. */
  public readonly analysisTemplates: readonly AnalysisTemplate[];
  /** The names of the AnalysisTemplates the environment ships. */
  public readonly analysisTemplateNames: readonly string[];
  /** The Flux delivery order (engine `flux`). */
  public readonly fluxOrder?: FluxDeliveryOrder;
  /**
   * The fields Argo Rollouts manages while a rollout runs (canary weights,
   * subset labels): give them to Argo CD's root app (`ArgoCd` prop
   * `ignoreDifferences`) so a sync does not revert them.
   */
  public readonly ignoreDifferences = ROLLOUT_IGNORE_DIFFERENCES;

  constructor(scope: Construct, id: string, props: DeliveryProps = {}) {
    super(scope, id);
    checkProps(this, 'DeliveryProps', props);
    const platform = props.platform ?? Platform.of(this);
    const env = platform.environment;
    const { platform: _platform, prometheus, argoCd, flux, podSecurityLevelOf, ingressControllerNamespace, ...settings } = props;
    const references: DeliveryReferences = { prometheus, argoCd, flux, podSecurityLevelOf, ingressControllerNamespace };
    const ctx = deliveryContext({ ...env, delivery: settings }, references, platform.commonLabels);
    this.context = ctx;
    this.install = new ArgoRolloutsInstall(this, 'Install', {
      platform,
      values: settings.values,
      replicas: settings.controllerReplicas,
      dashboard: settings.dashboard,
    });

    let serviceObjects = new Map<string, ManifestObject[]>();
    let templates: AnalysisTemplate[] = [];
    let analysisNames: string[] = [];
    if (ctx.services.length > 0) {
      if (ctx.sidecarInjection) platform.namespace(ctx.namespace, { 'istio-injection': 'enabled' });
      else platform.namespace(ctx.namespace);
      // Prometheus scrapes every service (the analyses, SLOs and alerts read
      // http_requests_total); the pods admit their namespace, the ingress
      // controllers and Prometheus. Argo CD's root app applies the overlays
      // the apps section lists (engine argocd); Flux Kustomizations apply
      // them in dependency order otherwise.
      const applied = addServiceManifests(platform.tree, ctx, prometheus?.namespace, { listed: ctx.engine === 'argocd' });
      templates = applied.templates;
      analysisNames = applied.analysisTemplateNames;
      serviceObjects = applied.serviceObjects;
      if (ctx.engine === 'flux') {
        const overlayPath = (component: string) => `./${ctx.repoPath}/${componentFolder(component)}/overlays/${ctx.environment}`;
        const components = ctx.services.map((service) => ({
          name: service.definition.name,
          path: overlayPath(service.definition.name),
          dependsOn: [...service.dependsOn, ...(service.strategy.hasAnalysis ? [ANALYSIS_COMPONENT] : [])],
        }));
        if (ctx.usesAnalysis) components.unshift({ name: ANALYSIS_COMPONENT, path: overlayPath(ANALYSIS_COMPONENT), dependsOn: [] });
        this.fluxOrder = new FluxDeliveryOrder(platform.tree.chart('tenants', 'delivery-order'), 'Order', {
          components,
          sourceName: ctx.fluxSourceName,
          prune: env.syncPolicy.prune,
          serviceAccountName: flux?.serviceAccountName,
        });
      }
    }
    this.serviceObjects = serviceObjects;
    this.analysisTemplates = templates;
    this.analysisTemplateNames = analysisNames;
    platform.status.set('advanced_automation_status', 'delivery', this.describe());
  }

  /** The delivery part of `advanced_automation_status`. */
  private describe(): Record<string, unknown> {
    const ctx = this.context;
    const path = ctx.promotion.path;
    const index = path.indexOf(ctx.environment);
    return {
      argo_rollouts: { ...this.install.install.describe(), replicas: this.install.replicas },
      engine: ctx.engine,
      namespace: ctx.services.length > 0 ? ctx.namespace : null,
      analysis_enabled: ctx.analysis,
      analysis_templates: [...this.analysisTemplateNames],
      deployment_order: ctx.services.map((s) => s.definition.name),
      services: recordFrom(
        ctx.services.map((s) => {
          return [
            s.definition.name,
            {
              rollout: `${ctx.namePrefix}${s.definition.name}`,
              image: `${s.repository}:${s.tag}`,
              replicas: s.replicas,
              strategy: s.strategy.describe(),
              health_check: s.definition.healthCheckPath,
              depends_on: [...s.dependsOn],
              sync_wave: s.wave,
              flux_kustomization: this.fluxOrder?.kustomizations.get(s.definition.name)?.name ?? null,
            },
          ];
        }),
      ),
      promotion: {
        model: ctx.promotion.model,
        path: [...path],
        stage: ctx.environment,
        revision: ctx.revision,
        promotes_from: index > 0 ? path[index - 1] : null,
        promotes_to: index < path.length - 1 ? path[index + 1] : null,
      },
    };
  }
}
