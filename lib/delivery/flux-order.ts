import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { Kustomization, KustomizationSpecSourceRefKind } from '../imports/flux-kustomize';
import { DNS_LABEL } from '../platform/patterns';

const DURATION = /^([0-9]+(ms|s|m|h))+$/;

/** One component Flux applies: a folder of the GitOps repository and what must be ready first. */
export interface FluxComponent {
  /** The component's name; the Kustomization is named `<prefix><name>`. */
  readonly name: string;
  /** The folder in the Git source (`./clusters/prod/apps/delivery/frontend/overlays/prod`). */
  readonly path: string;
  /** Components that must be applied and healthy first. @default [] */
  readonly dependsOn?: readonly string[];
}

/** Options for {@link FluxDeliveryOrder}. */
export interface FluxDeliveryOrderProps {
  /** The components, in any order; dependencies must name other components. */
  readonly components: readonly FluxComponent[];
  /** The Flux GitRepository the Kustomizations read. @default 'flux-system' */
  readonly sourceName?: string;
  /** Namespace of the Kustomizations and the source. @default 'flux-system' */
  readonly namespace?: string;
  /** Prefix of the Kustomizations' names. @default 'delivery-' */
  readonly namePrefix?: string;
  /** Delete objects removed from Git. @default true */
  readonly prune?: boolean;
  /** Reconcile interval. @default '5m' */
  readonly interval?: string;
  /** How long to wait for the objects to become healthy. @default '10m' */
  readonly timeout?: string;
  /** Labels on every Kustomization. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The service account kustomize-controller impersonates (required when Flux
   * runs with the multi-tenancy lockdown).
   * @default - the controller's own account
   */
  readonly serviceAccountName?: string;
}

/**
 * The delivery order for Flux: one Kustomization per component with
 * `dependsOn` its dependencies, `wait: true` and a CEL health check that
 * counts a Rollout healthy only when Argo Rollouts says so, so a service is
 * applied only after the services it depends on have finished rolling out.
 */
export class FluxDeliveryOrder extends Construct {
  /** The Kustomizations, by component name. */
  public readonly kustomizations: ReadonlyMap<string, ApiObject>;

  constructor(scope: Construct, id: string, props: FluxDeliveryOrderProps) {
    super(scope, id);
    const where = this.node.path;
    const prefix = props.namePrefix ?? 'delivery-';
    const namespace = props.namespace ?? 'flux-system';
    const interval = props.interval ?? '5m';
    const timeout = props.timeout ?? '10m';
    for (const [field, value] of [['interval', interval], ['timeout', timeout]] as const) {
      if (!DURATION.test(value)) throw new ConfigError(where, field, value, 'Use a duration such as "5m".');
    }
    const names = new Set(props.components.map((c) => c.name));
    const out = new Map<string, Kustomization>();
    for (const component of [...props.components].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!DNS_LABEL.test(`${prefix}${component.name}`)) {
        throw new ConfigError(where, 'components.name', component.name, 'Use a lowercase DNS label.');
      }
      if (!component.path.startsWith('./')) {
        throw new ConfigError(where, `components.${component.name}.path`, component.path, 'Use a path relative to the repository root, starting with "./".');
      }
      const deps = [...new Set(component.dependsOn ?? [])].sort();
      for (const dep of deps) {
        if (!names.has(dep)) {
          throw new ConfigError(where, `components.${component.name}.dependsOn`, dep, `No component is named "${dep}"; add it or fix the name.`);
        }
      }
      out.set(component.name, new Kustomization(this, component.name, {
        metadata: {
          name: `${prefix}${component.name}`,
          namespace,
          labels: props.labels && Object.keys(props.labels).length > 0 ? { ...props.labels } : undefined,
        },
        spec: {
          interval,
          retryInterval: '1m',
          timeout,
          path: component.path,
          prune: props.prune ?? true,
          ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
          wait: true,
          sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: props.sourceName ?? 'flux-system' },
          dependsOn: deps.length > 0 ? deps.map((dep) => ({ name: `${prefix}${dep}` })) : undefined,
          healthCheckExprs: [
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Rollout',
              current: "has(status.phase) && status.phase == 'Healthy'",
              inProgress: "!has(status.phase) || status.phase in ['Progressing', 'Paused']",
              failed: "has(status.phase) && status.phase == 'Degraded'",
            },
          ],
        },
      }));
    }
    this.kustomizations = out;
  }
}
