import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  PodMonitor as PodMonitorResource,
  ServiceMonitor as ServiceMonitorResource,
} from '../imports/monitoring.coreos.com';
import { checkDuration } from './promql';

/** Options shared by {@link ServiceMonitor} and {@link PodMonitor}. */
export interface MonitorOptions {
  /** Object name. */
  readonly name: string;
  /** Namespaces of the targets. */
  readonly targetNamespaces: readonly string[];
  /** Labels the target Services (or Pods) must have. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** The named port serving metrics. */
  readonly port: string;
  /** The metrics path. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default '30s' */
  readonly interval?: string;
  /** Namespace of the monitor itself. @default 'monitoring' */
  readonly namespace?: string;
  /** Extra labels on the object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

function validate(where: string, options: MonitorOptions): void {
  if (typeof options.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.name)) {
    throw new ConfigError(where, 'name', options.name, 'Use a lowercase DNS label such as "argocd-server".');
  }
  if (!Array.isArray(options.targetNamespaces) || options.targetNamespaces.length === 0) {
    throw new ConfigError(where, 'targetNamespaces', options.targetNamespaces, 'Name the namespaces of the targets, such as ["argocd"].');
  }
  if (Object.keys(options.matchLabels ?? {}).length === 0) {
    throw new ConfigError(where, 'matchLabels', options.matchLabels, 'Select the targets by at least one label; an empty selector scrapes everything.');
  }
  if (typeof options.port !== 'string' || options.port === '') {
    throw new ConfigError(where, 'port', options.port, 'Name the port serving metrics, such as "http-metrics".');
  }
  if (options.interval !== undefined) checkDuration(where, 'interval', options.interval);
}

/** A `ServiceMonitor`: scrape the endpoints of matching Services. */
export class ServiceMonitor extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The object name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MonitorOptions) {
    super(scope, id);
    validate(this.node.path, props);
    this.name = props.name;
    this.resource = new ServiceMonitorResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? 'monitoring', labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        namespaceSelector: { matchNames: [...props.targetNamespaces] },
        selector: { matchLabels: { ...props.matchLabels } },
        endpoints: [{ port: props.port, path: props.path ?? '/metrics', interval: props.interval ?? '30s' }],
      },
    });
  }
}

/** A `PodMonitor`: scrape matching Pods directly (controllers without a metrics Service). */
export class PodMonitor extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The object name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: MonitorOptions) {
    super(scope, id);
    validate(this.node.path, props);
    this.name = props.name;
    this.resource = new PodMonitorResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace ?? 'monitoring', labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        namespaceSelector: { matchNames: [...props.targetNamespaces] },
        selector: { matchLabels: { ...props.matchLabels } },
        podMetricsEndpoints: [{ port: props.port, path: props.path ?? '/metrics', interval: props.interval ?? '30s' }],
      },
    });
  }
}

/**
 * The metrics Services of the `argo-cd` chart (one per component, each
 * enabled with `<component>.metrics.enabled`): selected by the chart's
 * `app.kubernetes.io/{name,component,instance}` labels, port `http-metrics`.
 */
export const ARGOCD_METRICS_SERVICES: ReadonlyArray<{ component: string; name: string }> = [
  { component: 'application-controller', name: 'metrics' },
  { component: 'server', name: 'server-metrics' },
  { component: 'repo-server', name: 'repo-server-metrics' },
  { component: 'applicationset-controller', name: 'metrics' },
  { component: 'notifications-controller', name: 'metrics' },
];

/** The Flux controllers, whose pods carry `app: <controller>` and serve metrics on port `http-prom`. */
export const FLUX_CONTROLLERS: readonly string[] = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
];

/** Options for {@link ArgoCdScrapeTargets}. */
export interface ArgoCdScrapeTargetsProps {
  /** Argo CD's namespace. @default 'argocd' */
  readonly argoCdNamespace?: string;
  /** The Argo CD Helm release name (`app.kubernetes.io/instance`). @default 'argocd' */
  readonly releaseName?: string;
  /** Namespace of the monitors. @default 'monitoring' */
  readonly namespace?: string;
}

/** ServiceMonitors for every Argo CD metrics Service. */
export class ArgoCdScrapeTargets extends Construct {
  /** The monitors, one per component. */
  public readonly monitors: ServiceMonitor[];

  constructor(scope: Construct, id: string, props: ArgoCdScrapeTargetsProps = {}) {
    super(scope, id);
    const release = props.releaseName ?? 'argocd';
    this.monitors = ARGOCD_METRICS_SERVICES.map(
      (svc) =>
        new ServiceMonitor(this, svc.component, {
          name: `argocd-${svc.component}`,
          namespace: props.namespace,
          targetNamespaces: [props.argoCdNamespace ?? 'argocd'],
          matchLabels: {
            'app.kubernetes.io/name': `argocd-${svc.name}`,
            'app.kubernetes.io/component': svc.component,
            'app.kubernetes.io/instance': release,
          },
          port: 'http-metrics',
          labels: { 'app.kubernetes.io/component': 'monitoring', 'gitops.platform/scrape': 'argocd' },
        }),
    );
  }
}

/** Options for {@link FluxScrapeTargets}. */
export interface FluxScrapeTargetsProps {
  /** Flux's namespace. @default 'flux-system' */
  readonly fluxNamespace?: string;
  /** The controllers to scrape. @default FLUX_CONTROLLERS */
  readonly controllers?: readonly string[];
  /** Namespace of the monitors. @default 'monitoring' */
  readonly namespace?: string;
}

/** PodMonitors for the Flux controllers. */
export class FluxScrapeTargets extends Construct {
  /** The monitors, one per controller. */
  public readonly monitors: PodMonitor[];

  constructor(scope: Construct, id: string, props: FluxScrapeTargetsProps = {}) {
    super(scope, id);
    this.monitors = (props.controllers ?? FLUX_CONTROLLERS).map(
      (controller) =>
        new PodMonitor(this, controller, {
          name: `flux-${controller}`,
          namespace: props.namespace,
          targetNamespaces: [props.fluxNamespace ?? 'flux-system'],
          matchLabels: { app: controller },
          port: 'http-prom',
          labels: { 'app.kubernetes.io/component': 'monitoring', 'gitops.platform/scrape': 'flux' },
        }),
    );
  }
}
