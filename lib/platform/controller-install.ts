import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ChartRef } from './catalogue';
import { ChartInstall, SensitiveValue } from './chart-install';
import { ChartFacts } from './deploy-model/facts';
import { ConfigError } from './errors';
import { hasDisruptionBudget, ReplicaRole, replicasFor } from './high-availability';
import { Platform } from './platform';

/** What every controller install takes; each install's props extend it. */
export interface ControllerInstallProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** The namespace the controller runs in. @default - the install's own (see each install) */
  readonly namespace?: string;
  /**
   * Chart values merged over the ones this install computes, last: the
   * escape hatch for a chart setting without a prop. Every path must exist in
   * the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** What a controller install is: its chart, where it runs and its row in the HA table. */
export interface ControllerInstallSpec {
  /** The pinned chart, from the catalogue. */
  readonly chart: ChartRef;
  /** The install's namespace when its props name none. */
  readonly defaultNamespace: string;
  /** The Helm release name. */
  readonly releaseName: string;
  /**
   * The role of the controller's main component in the HA table: its replicas and disruption budget.
   * @default - none: the controller is a DaemonSet (a pod per node, such as Falco), outside the table
   */
  readonly role?: ReplicaRole;
  /**
   * Replicas the install's props ask for instead of the HA table's.
   * @default - the HA table's, for `role` and the environment's sizing
   */
  readonly replicas?: number;
  /**
   * The prop `replicas` comes from, named in the error when it is not a whole number of at least 1.
   * @default 'replicas'
   */
  readonly replicasField?: string;
  /**
   * Labels of the namespace besides the ones the platform and the security
   * module set (Pod Security levels).
   * @default {}
   */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * The install creates its namespace (a Terraform-managed namespace the
   * release waits for). False for an install into another install's namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/** The release of a controller install: what its chart is given. */
export interface ControllerReleaseOptions {
  /** The values the install computes; the props' `values` are merged over them, last. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * What the chart creates with those values (the deploy model's chart facts).
   * @default {}
   */
  readonly facts?: ChartFacts;
  /**
   * Resources the release waits for besides its namespace.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Values from sensitive Terraform variables (`set_sensitive`).
   * @default []
   */
  readonly sensitiveValues?: readonly SensitiveValue[];
  /**
   * TCP ports the controller reaches outside the cluster besides 443/6443.
   * @default []
   */
  readonly egressPorts?: readonly number[];
  /**
   * Seconds Helm waits for the release to become ready.
   * @default 600
   */
  readonly timeoutSeconds?: number;
}

/**
 * The base of every controller install: the namespace (Terraform-managed,
 * labelled by the platform and the security module's Pod Security levels),
 * the replicas and disruption budget of its HA-table role under the
 * environment's `sizing`, and one Helm release of a catalogued chart
 * ({@link ChartInstall}) with the props' `values` merged last, registered as
 * a controller (the bootstrap chart waits for it; the deploy model reads its
 * chart facts).
 *
 * A subclass passes its {@link ControllerInstallSpec} to the constructor,
 * computes its chart values from `replicas`, `disruptionBudget` and its own
 * props, and calls {@link installChart} once.
 */
export abstract class ControllerInstall extends Construct {
  /** The namespace the controller runs in. */
  public readonly namespace: string;
  /** The Helm release name. */
  public readonly releaseName: string;
  /** The chart the release installs. */
  public readonly chart: ChartRef;
  /** The controller's role in the HA table (undefined for a DaemonSet). */
  public readonly role?: ReplicaRole;
  /** Replicas of the controller's main component: the props', else the HA table's (1 for a DaemonSet: a pod per node). */
  public readonly replicas: number;
  /** Whether the HA table gives the controller's main component a PodDisruptionBudget. */
  public readonly disruptionBudget: boolean;
  /** The environment's platform. */
  protected readonly platform: Platform;
  private readonly createdNamespace?: NamespaceV1;
  private readonly valueOverrides?: Readonly<Record<string, unknown>>;
  private release?: ChartInstall;

  protected constructor(scope: Construct, id: string, props: ControllerInstallProps, spec: ControllerInstallSpec) {
    super(scope, id);
    this.platform = props.platform ?? Platform.of(this);
    this.namespace = props.namespace ?? spec.defaultNamespace;
    this.releaseName = spec.releaseName;
    this.chart = spec.chart;
    this.role = spec.role;
    this.valueOverrides = props.values;
    this.replicas = spec.role ? this.replicasOf(spec.role, spec.replicas, spec.replicasField ?? 'replicas') : 1;
    this.disruptionBudget = spec.role ? hasDisruptionBudget(this.platform.environment.sizing, spec.role) : false;
    if (spec.createNamespace ?? true) this.createdNamespace = this.platform.namespace(this.namespace, spec.namespaceLabels);
  }

  /** The Helm release; an install that creates it late (Falco, just before rendering) has none before then. */
  public get install(): ChartInstall {
    if (!this.release) {
      throw new Error(`${this.node.path}: the Helm release is created when the stack is synthesized; read it afterwards.`);
    }
    return this.release;
  }

  /** The Terraform-managed namespace the install creates (resources in it wait for it). */
  protected get namespaceResource(): NamespaceV1 {
    if (!this.createdNamespace) throw new Error(`${this.node.path}: the install runs in a namespace it does not create (createNamespace: false).`);
    return this.createdNamespace;
  }

  /** Whether the Helm release exists yet. */
  public get installed(): boolean {
    return this.release !== undefined;
  }

  /**
   * Replicas of a component of `role`: `requested` when given (a whole
   * number of at least 1, else a ConfigError naming `field`), else the HA
   * table's under the environment's sizing.
   */
  protected replicasOf(role: ReplicaRole, requested: number | undefined, field: string): number {
    const replicas = requested ?? replicasFor(this.platform.environment.sizing, role);
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new ConfigError(this.node.path, field, replicas, 'Use a whole number of at least 1.');
    }
    return replicas;
  }

  /**
   * Creates the release (`Resource`) with `options.values` and the props'
   * `values` merged over them, waiting for the namespace, and registers it
   * as a controller with its chart facts. Called once.
   */
  protected installChart(options: ControllerReleaseOptions): ChartInstall {
    if (this.release) throw new Error(`${this.node.path}: the Helm release is already created.`);
    this.release = new ChartInstall(this, 'Resource', {
      chart: this.chart,
      releaseName: this.releaseName,
      namespace: this.namespace,
      dependsOn: [...(this.createdNamespace ? [this.createdNamespace] : []), ...(options.dependsOn ?? [])],
      sensitiveValues: options.sensitiveValues,
      egressPorts: options.egressPorts,
      values: options.values,
      timeoutSeconds: options.timeoutSeconds,
      valueOverrides: this.valueOverrides,
    });
    this.platform.addController(this.release, options.facts ?? {});
    return this.release;
  }
}
