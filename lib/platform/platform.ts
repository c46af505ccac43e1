import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ITerraformDependable, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ChartInstall } from './chart-install';
import { ChartFacts, RequiredFlow } from './deploy-model/facts';
import { EnvironmentConfig, ModuleName } from './environment';
import { ConfigError } from './errors';
import { GitOpsTree, RenderedManifest } from './gitops-tree';
import { StatusRegistry } from './status';

/** Labels on every object the platform synthesizes. */
export const MANAGED_BY = 'gitops-platform';

/** The labels the platform puts on every synthesized object of `env` (for code that runs without a stack). */
export function commonLabelsOf(env: EnvironmentConfig): Record<string, string> {
  return {
    ...(env.labels ?? {}),
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': 'gitops-platform',
    'gitops.platform/environment': env.name,
  };
}

/** The path of `env` in the GitOps repository (`gitops.path`, default `clusters/<name>`). */
export function repoPathOf(env: EnvironmentConfig): string {
  return env.gitops.path ?? `clusters/${env.name}`;
}

/** A synth-time check over every rendered manifest; returns problems, one line each. */
export interface ManifestCheck {
  /** A short name, shown in messages. */
  readonly name: string;
  /** Returns the problems found; an empty list passes. */
  check(manifests: readonly RenderedManifest[], platform: Platform): readonly string[];
}

/** Options for {@link Platform}. */
export interface PlatformProps {
  /** The validated environment. */
  readonly environment: EnvironmentConfig;
}

/**
 * The shared context of one environment's stack: the environment, the GitOps
 * tree, the namespaces and controller releases Terraform creates, sensitive
 * variables, status outputs and synth-time manifest checks. Modules find it
 * with `Platform.of(this)`.
 */
export class Platform extends Construct {
  /** The nearest Platform above `scope`, or of the stack that holds `scope`. */
  public static of(scope: IConstruct): Platform {
    for (const node of [...scope.node.scopes].reverse()) {
      if (node instanceof Platform) return node;
      const found = node.node.children.find((c): c is Platform => c instanceof Platform);
      if (found) return found;
    }
    throw new Error(`${scope.node.path}: no Platform found. Create constructs inside a GitOpsStack, or pass a Platform explicitly.`);
  }

  /** The environment this platform is synthesized for. */
  public readonly environment: EnvironmentConfig;
  /** The Kubernetes side: GitOps tree and bootstrap chart. */
  public readonly tree: GitOpsTree;
  /** Values of the status outputs. */
  public readonly status = new StatusRegistry();
  private readonly namespaces = new Map<string, NamespaceV1>();
  private readonly variables = new Map<string, TerraformVariable>();
  private readonly controllers: ChartInstall[] = [];
  private readonly facts = new Map<ChartInstall, ChartFacts>();
  private readonly flows: RequiredFlow[] = [];
  private readonly checks: ManifestCheck[] = [];
  private readonly bootstrapDependencies: ITerraformDependable[] = [];
  private readonly renderHooks: Array<() => void> = [];

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    this.environment = props.environment;
    this.tree = new GitOpsTree({ labels: this.commonLabels });
  }

  /** Whether a module is on in this environment. */
  public isEnabled(module: ModuleName): boolean {
    return this.environment.modules.includes(module);
  }

  /** The environment's path in the GitOps repository (`clusters/<env>`). */
  public get repoPath(): string {
    return repoPathOf(this.environment);
  }

  /** The base DNS domain for ingress hosts. */
  public get domain(): string {
    return this.environment.domain ?? `${this.environment.name}.example.com`;
  }

  /** The cluster's name. */
  public get clusterName(): string {
    return this.environment.cluster.name ?? this.environment.name;
  }

  /** Labels put on every synthesized object. */
  public get commonLabels(): Record<string, string> {
    return commonLabelsOf(this.environment);
  }

  /**
   * The Terraform-managed namespace `name`, created once. Labels merge across
   * calls (Pod Security admission labels, tenant labels).
   */
  public namespace(name: string, labels: Readonly<Record<string, string>> = {}): NamespaceV1 {
    const existing = this.namespaces.get(name);
    if (existing) {
      const current = (existing.metadata.labelsInput as Record<string, string> | undefined) ?? {};
      existing.metadata.labels = { ...current, ...labels };
      return existing;
    }
    const ns = new NamespaceV1(this, `Namespace-${name}`, {
      metadata: { name, labels: { ...this.commonLabelsForTerraform, ...labels } },
    });
    this.namespaces.set(name, ns);
    return ns;
  }

  /** The namespaces created so far, by name. */
  public get namespaceNames(): string[] {
    return [...this.namespaces.keys()].sort();
  }

  /**
   * A sensitive Terraform variable (created once per name). Its value is given
   * at plan time (`TF_VAR_<name>`) and never written to a file.
   */
  public sensitiveVariable(name: string, description: string): TerraformVariable {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new ConfigError(this.node.path, 'variable name', name, 'Use lowercase snake_case.');
    }
    let variable = this.variables.get(name);
    if (!variable) {
      const stack = this.node.scope!;
      variable = new TerraformVariable(stack, name, { type: 'string', sensitive: true, nullable: false, description });
      this.variables.set(name, variable);
    }
    return variable;
  }

  /** The sensitive variables created so far. */
  public get sensitiveVariableNames(): string[] {
    return [...this.variables.keys()].sort();
  }

  /**
   * Registers a controller release; the bootstrap chart is installed after all
   * of them. `facts` tells the deploy model what the pinned chart creates with
   * the values the module sets (Secrets, service accounts, CRD kinds, Services).
   */
  public addController(install: ChartInstall, facts: ChartFacts = {}): void {
    this.controllers.push(install);
    this.facts.set(install, facts);
  }

  /** What a registered chart is known to create (empty when its module declared nothing). */
  public chartFacts(install: ChartInstall): ChartFacts {
    return this.facts.get(install) ?? {};
  }

  /**
   * Declares a connection the platform needs (a controller to Git, the API
   * server or DNS; Alertmanager to a webhook). The deploy model checks it
   * against the NetworkPolicies at both ends.
   */
  public requireFlow(flow: RequiredFlow): void {
    if (!Number.isInteger(flow.port) || flow.port < 1 || flow.port > 65535) {
      throw new ConfigError(this.node.path, 'requireFlow port', flow.port, 'Use a port from 1 to 65535.');
    }
    this.flows.push(flow);
  }

  /** The flows declared so far, in declaration order. */
  public get requiredFlows(): readonly RequiredFlow[] {
    return this.flows;
  }

  /** The controller releases, in registration order. */
  public get controllerReleases(): readonly ChartInstall[] {
    return this.controllers;
  }

  /**
   * Makes the bootstrap chart wait for a Terraform resource besides the
   * controller releases (a credentials Secret the sync objects need).
   */
  public addBootstrapDependency(dependency: ITerraformDependable): void {
    this.bootstrapDependencies.push(dependency);
  }

  /** What the bootstrap release depends on: every controller release, then the extra dependencies. */
  public get bootstrapDependsOn(): readonly ITerraformDependable[] {
    return [...this.controllers.map((c) => c.release), ...this.bootstrapDependencies];
  }

  /**
   * Runs `hook` once every module is constructed, just before the tree is
   * rendered, checked and written: for work that needs every module's objects
   * or namespaces (namespace labels, network policies per namespace).
   */
  public beforeRender(hook: () => void): void {
    this.renderHooks.push(hook);
  }

  /** Runs the before-render hooks, in registration order (called once by the stack). */
  public runBeforeRenderHooks(): void {
    for (const hook of this.renderHooks.splice(0)) hook();
  }

  /** Adds a synth-time check run over every manifest; a problem fails synthesis. */
  public addManifestCheck(check: ManifestCheck): void {
    this.checks.push(check);
  }

  /** Runs every manifest check; throws one error listing all problems. */
  public runManifestChecks(manifests: readonly RenderedManifest[]): void {
    const problems: string[] = [];
    for (const check of this.checks) {
      for (const problem of check.check(manifests, this)) problems.push(`[${check.name}] ${problem}`);
    }
    if (problems.length > 0) {
      throw new Error(
        `Environment "${this.environment.name}": ${problems.length} policy violation(s):\n  - ${problems.join('\n  - ')}`,
      );
    }
  }

  private get commonLabelsForTerraform(): Record<string, string> {
    return {
      'app.kubernetes.io/managed-by': 'terraform',
      'app.kubernetes.io/part-of': 'gitops-platform',
      'gitops.platform/environment': this.environment.name,
    };
  }
}
