import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { DestinationRule as DestinationRuleResource } from '../imports/istio-destinationrule';
import { VirtualService as VirtualServiceResource, VirtualServiceSpecHttp } from '../imports/istio-virtualservice';
import { DNS_LABEL } from '../platform/patterns';


/**
 * What Argo CD must ignore on the Istio objects of a canary, because Argo
 * Rollouts changes them while a rollout runs: the route weights and the
 * subsets' pod-template-hash labels. Give these to the Application that syncs
 * the objects (`spec.ignoreDifferences`, with the `RespectIgnoreDifferences=true`
 * sync option) or to `argocd-cm` (`resource.customizations.ignoreDifferences.*`).
 */
export const ROLLOUT_IGNORE_DIFFERENCES: ReadonlyArray<{
  readonly group: string;
  readonly kind: string;
  readonly jqPathExpressions: readonly string[];
}> = [
  { group: 'networking.istio.io', kind: 'VirtualService', jqPathExpressions: ['.spec.http[].route[].weight'] },
  { group: 'networking.istio.io', kind: 'DestinationRule', jqPathExpressions: ['.spec.subsets[].labels'] },
];

/** Options for {@link IstioCanaryRouting}. */
export interface IstioCanaryRoutingProps {
  /** Name of the VirtualService. */
  readonly virtualServiceName: string;
  /** Name of the DestinationRule. */
  readonly destinationRuleName: string;
  /** The Service (host) whose traffic is split; it selects every pod of the Rollout. */
  readonly host: string;
  /** The namespace. @default - none (the namespace of the sync) */
  readonly namespace?: string;
  /** Name of the weighted HTTP route Argo Rollouts manages. @default 'primary' */
  readonly routeName?: string;
  /** The stable subset. @default 'stable' */
  readonly stableSubset?: string;
  /** The canary subset. @default 'canary' */
  readonly canarySubset?: string;
  /** A header that always reaches the canary (an unmanaged route before the weighted one). @default - none */
  readonly canaryHeader?: { readonly name: string; readonly value: string };
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations (such as the Argo CD sync wave). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The Istio objects a canary Rollout routes through: a VirtualService whose
 * named HTTP route sends 100% to the stable subset and 0% to the canary subset
 * (Argo Rollouts moves the weights step by step), and the DestinationRule that
 * defines both subsets (Argo Rollouts adds the pod-template-hash labels).
 */
export class IstioCanaryRouting extends Construct {
  /** The VirtualService. */
  public readonly virtualService: ApiObject;
  /** The DestinationRule. */
  public readonly destinationRule: ApiObject;

  constructor(scope: Construct, id: string, props: IstioCanaryRoutingProps) {
    super(scope, id);
    const where = this.node.path;
    for (const field of ['virtualServiceName', 'destinationRuleName', 'host'] as const) {
      if (!DNS_LABEL.test(props[field] ?? '')) {
        throw new ConfigError(where, field, props[field], 'Use a lowercase DNS label.');
      }
    }
    const routeName = props.routeName ?? 'primary';
    const stableSubset = props.stableSubset ?? 'stable';
    const canarySubset = props.canarySubset ?? 'canary';
    if (stableSubset === canarySubset) {
      throw new ConfigError(where, 'canarySubset', canarySubset, 'The stable and canary subsets need different names.');
    }
    const metadata = (name: string) => ({
      name,
      namespace: props.namespace,
      labels: props.labels && Object.keys(props.labels).length > 0 ? { ...props.labels } : undefined,
      annotations: props.annotations && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined,
    });

    const http: VirtualServiceSpecHttp[] = [];
    if (props.canaryHeader) {
      http.push({
        name: `${routeName}-canary-header`,
        match: [{ headers: { [props.canaryHeader.name]: { exact: props.canaryHeader.value } } }],
        route: [{ destination: { host: props.host, subset: canarySubset } }],
      });
    }
    http.push({
      name: routeName,
      route: [
        { destination: { host: props.host, subset: stableSubset }, weight: 100 },
        { destination: { host: props.host, subset: canarySubset }, weight: 0 },
      ],
    });
    this.virtualService = new VirtualServiceResource(this, 'VirtualService', {
      metadata: metadata(props.virtualServiceName),
      spec: { hosts: [props.host], http },
    });
    this.destinationRule = new DestinationRuleResource(this, 'DestinationRule', {
      metadata: metadata(props.destinationRuleName),
      spec: { host: props.host, subsets: [{ name: stableSubset }, { name: canarySubset }] },
    });
  }
}
