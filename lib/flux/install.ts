import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { HELM_RESOURCE_POLICY } from '../platform/chart-install';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { ChartFacts } from '../platform/deploy-model/facts';
import { ConfigError } from '../platform/errors';
import { prerequisitesOf } from '../platform/environment';
import { FluxControllerResources } from './settings';
import { FLUX_NAMESPACE } from './validation';

/** The controllers of the flux2 chart, by their values key. */
export const FLUX_CHART_CONTROLLERS = [
  'sourceController',
  'kustomizeController',
  'helmController',
  'notificationController',
  'imageReflectionController',
  'imageAutomationController',
] as const;

/** One of {@link FLUX_CHART_CONTROLLERS}. */
export type FluxChartController = (typeof FLUX_CHART_CONTROLLERS)[number];

/**
 * The ServiceAccount a Kustomization or HelmRelease in flux-system must name
 * in `environment`: under the multi-tenancy lockdown (on unless
 * `flux.multiTenancyLockdown` is false) an object without one acts as the
 * powerless `default` account of its namespace. Other modules that create
 * Flux objects in flux-system set `serviceAccountName` from this.
 */
export function fluxServiceAccountName(
  environment: { readonly flux?: { readonly multiTenancyLockdown?: boolean } },
  kind: 'Kustomization' | 'HelmRelease',
): string | undefined {
  if (environment.flux?.multiTenancyLockdown === false) return undefined;
  return kind === 'Kustomization' ? 'kustomize-controller' : 'helm-controller';
}

/** The chart's defaults plus limits, so no controller runs unbounded. */
export const DEFAULT_FLUX_RESOURCES: FluxControllerResources = {
  requests: { cpu: '100m', memory: '64Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};

const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** Options for {@link FluxInstall}. */
export interface FluxInstallProps extends ControllerInstallProps {
  /** Namespace of Flux. @default 'flux-system' */
  readonly namespace?: string;
  /** Helm release name. @default 'flux2' */
  readonly releaseName?: string;
  /**
   * Another module (security) isolates the namespace with NetworkPolicies of
   * its own; the chart's policies stay off.
   * @default false
   */
  readonly isolated?: boolean;
  /**
   * Run the image reflector and image automation controllers.
   * @default true
   */
  readonly imageAutomation?: boolean;
  /**
   * Multi-tenancy lockdown: `--no-cross-namespace-refs` on every controller and
   * `--default-service-account=default` on the kustomize and helm controllers.
   * The controllers keep their cluster-admin binding for the platform's own
   * objects, which name `kustomize-controller` / `helm-controller` explicitly.
   * @default true
   */
  readonly multiTenancyLockdown?: boolean;
  /**
   * Install the chart's NetworkPolicies in flux-system (allow-all egress, scraping
   * and webhooks from every namespace). Never beside the security module's
   * default-deny policies.
   * @default - true without the security module, false with it
   */
  readonly networkPolicies?: boolean;
  /** Reconcile objects in every namespace. @default true */
  readonly watchAllNamespaces?: boolean;
  /** Requests and limits of every controller. @default DEFAULT_FLUX_RESOURCES */
  readonly resources?: FluxControllerResources;
  /** Log level. @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'error';
  /**
   * Expose the notification-controller's webhook receiver through an ingress with this host.
   * @default - no ingress
   */
  readonly webhookReceiverHost?: string;
  /**
   * TCP ports the controllers reach outside the cluster besides 443/6443
   * (Git over SSH, a Git or chart host on its own port).
   * @default []
   */
  readonly egressPorts?: readonly number[];
  /**
   * The cert-manager ClusterIssuer that issues the webhook ingress's TLS Secret `flux-webhook-tls`.
   * @default - none (the Secret is created out of band)
   */
  readonly webhookReceiverClusterIssuer?: string;
  /**
   * The ingress class of the webhook ingress.
   * @default - the ingress class of the environment's prerequisites
   */
  readonly webhookReceiverIngressClassName?: string;
}

/**
 * Installs Flux with the `flux2` chart: the CRDs, the six controllers (image
 * reflector and automation optional), the multi-tenancy lockdown, the
 * flux-system NetworkPolicies and the controllers' requests and limits.
 */
export class FluxInstall extends ControllerInstall {
  /** Whether the lockdown is on. */
  public readonly multiTenancyLockdown: boolean;
  /** Whether the image controllers run. */
  public readonly imageAutomation: boolean;
  /** Whether every namespace is watched. */
  public readonly watchAllNamespaces: boolean;
  /** Whether the chart's own NetworkPolicies are installed. */
  public readonly networkPolicies: boolean;
  /** The controllers that run. */
  public readonly controllers: readonly FluxChartController[];

  constructor(scope: Construct, id: string, props: FluxInstallProps = {}) {
    // One instance of each controller by design: the flux2 chart has no replica setting (the HA table).
    super(scope, id, props, { chart: CHARTS.flux2, defaultNamespace: FLUX_NAMESPACE, releaseName: props.releaseName ?? 'flux2', role: 'singleton' });
    const platform = this.platform;
    const where = this.node.path;
    this.multiTenancyLockdown = props.multiTenancyLockdown ?? true;
    this.imageAutomation = props.imageAutomation ?? true;
    this.watchAllNamespaces = props.watchAllNamespaces ?? true;
    const resources = props.resources ?? DEFAULT_FLUX_RESOURCES;
    for (const kind of ['requests', 'limits'] as const) {
      for (const key of ['cpu', 'memory'] as const) {
        const value = resources[kind]?.[key];
        if (typeof value !== 'string' || !QUANTITY.test(value)) {
          throw new ConfigError(where, `resources.${kind}.${key}`, value, 'Use a Kubernetes quantity such as "100m" (CPU) or "256Mi" (memory).');
        }
      }
    }
    const isolated = props.isolated ?? false;
    this.networkPolicies = props.networkPolicies ?? !isolated;
    if (this.networkPolicies && isolated) {
      throw new ConfigError(
        `Environment "${platform.environment.name}"`,
        'flux.networkPolicies',
        true,
        "The flux2 chart's policies allow all egress and admit every namespace beside the security module's default-deny; remove flux.networkPolicies (the security module isolates flux-system).",
      );
    }
    const logLevel = props.logLevel ?? 'info';
    if (!['debug', 'info', 'error'].includes(logLevel)) {
      throw new ConfigError(where, 'logLevel', logLevel, 'Use "debug", "info" or "error".');
    }
    this.controllers = FLUX_CHART_CONTROLLERS.filter(
      (c) => this.imageAutomation || (c !== 'imageReflectionController' && c !== 'imageAutomationController'),
    );

    const controllerValues: Record<string, unknown> = {};
    for (const controller of FLUX_CHART_CONTROLLERS) {
      const enabled = this.controllers.includes(controller);
      controllerValues[controller] = enabled
        ? { create: true, resources: { requests: { ...resources.requests }, limits: { ...resources.limits } } }
        : { create: false };
    }
    if (props.webhookReceiverHost !== undefined) {
      if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(props.webhookReceiverHost)) {
        throw new ConfigError(where, 'webhookReceiverHost', props.webhookReceiverHost, 'Use a DNS host name: lowercase labels of letters, digits and "-", joined by dots, such as "flux-webhook." followed by your domain.');
      }
      controllerValues.notificationController = {
        ...(controllerValues.notificationController as Record<string, unknown>),
        webhookReceiver: {
          ingress: {
            create: true,
            ingressClassName: props.webhookReceiverIngressClassName ?? prerequisitesOf(platform.environment).ingress?.className,
            ...(props.webhookReceiverClusterIssuer ? { annotations: { 'cert-manager.io/cluster-issuer': props.webhookReceiverClusterIssuer } } : {}),
            hosts: [{ host: props.webhookReceiverHost, paths: [{ path: '/', pathType: 'Prefix' }] }],
            tls: [{ secretName: 'flux-webhook-tls', hosts: [props.webhookReceiverHost] }],
          },
        },
      };
    }

    const names = this.controllers.map(fluxControllerName);
    this.installChart({
      egressPorts: props.egressPorts,
      values: {
        installCRDs: true,
        // Destroy: Helm keeps the CRDs, so uninstalling the chart never deletes a
        // CRD under live Flux objects whose finalizers no controller would run.
        crds: { annotations: { [HELM_RESOURCE_POLICY]: 'keep' } },
        multitenancy: {
          enabled: this.multiTenancyLockdown,
          defaultServiceAccount: 'default',
          privileged: true,
        },
        policies: { create: this.networkPolicies },
        watchAllNamespaces: this.watchAllNamespaces,
        logLevel,
        ...controllerValues,
      },
      facts: fluxChartFacts(names, this.networkPolicies),
    });
    const dns = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
    for (const name of names) {
      const from = { namespace: this.namespace, podLabels: { app: name } };
      platform.requireFlow({ from, to: dns, port: 53, protocol: 'UDP', why: `${name} resolves names` });
      platform.requireFlow({ from, to: { external: 'Kubernetes API server' }, port: 443, why: `${name} watches and applies resources` });
    }
    platform.requireFlow({
      from: { namespace: this.namespace, podLabels: { app: 'source-controller' } },
      to: { external: `Git (${platform.environment.gitops.repoUrl})` },
      port: 443,
      why: 'the source controller fetches the GitOps repository and chart repositories',
    });
  }

  /**
   * The ServiceAccount the platform's own Kustomizations / HelmReleases in
   * flux-system must name under the lockdown (else they would act as the
   * powerless `default` account).
   */
  public reconcilerFor(kind: 'Kustomization' | 'HelmRelease'): string | undefined {
    return fluxServiceAccountName({ flux: { multiTenancyLockdown: this.multiTenancyLockdown } }, kind);
  }
}

/** The Deployment, service account and `app` label of a controller of the flux2 chart. */
export function fluxControllerName(controller: FluxChartController): string {
  return controller === 'imageReflectionController' ? 'image-reflector-controller' : controller.replace(/Controller$/, '-controller');
}

/**
 * What the flux2 chart creates with the values above (the deploy model's chart
 * facts): a service account and a pod per controller (metrics on `http-prom`),
 * the source and notification Services, the CRDs and, with `policies.create`,
 * the chart's own NetworkPolicies (allow-egress, allow-scraping, allow-webhooks).
 */
function fluxChartFacts(controllers: readonly string[], policies: boolean): ChartFacts {
  const allNamespaces = { namespaceSelector: {} };
  return {
    serviceAccounts: [...controllers],
    crdKinds: [
      'source.toolkit.fluxcd.io/GitRepository', 'source.toolkit.fluxcd.io/HelmRepository', 'source.toolkit.fluxcd.io/HelmChart',
      'source.toolkit.fluxcd.io/OCIRepository', 'source.toolkit.fluxcd.io/Bucket', 'kustomize.toolkit.fluxcd.io/Kustomization',
      'helm.toolkit.fluxcd.io/HelmRelease', 'notification.toolkit.fluxcd.io/Alert', 'notification.toolkit.fluxcd.io/Provider',
      'notification.toolkit.fluxcd.io/Receiver',
      ...(controllers.includes('image-reflector-controller')
        ? ['image.toolkit.fluxcd.io/ImageRepository', 'image.toolkit.fluxcd.io/ImagePolicy', 'image.toolkit.fluxcd.io/ImageUpdateAutomation']
        : []),
    ],
    pods: controllers.map((name) => ({ labels: { app: name }, ports: [{ name: 'http-prom', port: 8080 }], metrics: ['gotk_reconcile_', 'controller_runtime_', 'workqueue_'] })),
    services: [
      { name: 'source-controller', podLabels: { app: 'source-controller' }, ports: [{ name: 'http', port: 80, targetPort: 9090 }] },
      ...(controllers.includes('notification-controller')
        ? [
            { name: 'notification-controller', podLabels: { app: 'notification-controller' }, ports: [{ name: 'http', port: 80, targetPort: 9090 }] },
            { name: 'webhook-receiver', podLabels: { app: 'notification-controller' }, ports: [{ name: 'http', port: 80, targetPort: 9292 }] },
          ]
        : []),
    ],
    networkPolicies: policies
      ? [
          { metadata: { name: 'allow-egress' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{}] } },
          { metadata: { name: 'allow-scraping' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [allNamespaces], ports: [{ port: 8080, protocol: 'TCP' }] }] } },
          { metadata: { name: 'allow-webhooks' }, spec: { podSelector: { matchLabels: { app: 'notification-controller' } }, policyTypes: ['Ingress'], ingress: [{ from: [allNamespaces] }] } },
        ]
      : [],
  };
}
