import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { checkLabels, checkName, checkNamespace, FLUX_NAMESPACE, nonEmptyRecord } from './validation';

/** Name, namespace and metadata shared by every Flux object construct. */
export interface FluxObjectOptions {
  /**
   * The object's name.
   * @default - the construct id (which must then be a valid object name)
   */
  readonly name?: string;
  /**
   * The object's namespace.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Extra labels on the object (the chart's common labels are added too).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations on the object.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A namespaced object identified by name (a construct or a reference to one created elsewhere). */
export interface FluxObjectReference {
  /** Name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
}

/** The resolved identity of a Flux object. */
export interface FluxObjectIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly metadata: ApiObjectMetadata;
}

/** Resolves and checks name, namespace, labels and annotations once, in the constructor. */
export function fluxIdentity(scope: Construct, options: FluxObjectOptions, maxNameLength = 253): FluxObjectIdentity {
  const where = scope.node.path;
  const name = checkName(where, options.name === undefined ? 'name (from the construct id)' : 'name', options.name ?? scope.node.id, maxNameLength);
  const namespace = checkNamespace(where, 'namespace', options.namespace ?? FLUX_NAMESPACE);
  checkLabels(where, 'labels', options.labels);
  return {
    name,
    namespace,
    metadata: {
      name,
      namespace,
      labels: nonEmptyRecord(options.labels),
      annotations: nonEmptyRecord(options.annotations),
    },
  };
}
