import * as path from 'path';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Aspects, ITerraformDependable, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { GitOpsOutput } from './bootstrap';
import { ChartInstall } from './chart-install';
import { ChartFacts, RequiredFlow } from './deploy-model/facts';
import { PlatformEnvironment, platformEnvironmentOf } from './environment';
import { ConfigError, PolicyViolationError } from './errors';
import { GitOpsTree, RenderedManifest } from './gitops-tree';
import { SecretRegistry } from './secrets';
import { StatusRegistry } from './status';
import { checkProps } from './config-boundary/props';

/** The ephemeral Terraform variable with the GitOps repository's token ({@link Platform.repositoryToken}). */
export const GITOPS_REPO_TOKEN_VARIABLE = 'gitops_repo_token';

/** Labels on every object the platform synthesizes. */
export const MANAGED_BY = 'gitops-platform';

/** The labels the platform puts on every synthesized object of `env` (for code that runs without a stack). */
export function commonLabelsOf(env: Pick<PlatformEnvironment, 'name' | 'labels'>): Record<string, string> {
  return {
    ...(env.labels ?? {}),
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': 'gitops-platform',
    'gitops.platform/environment': env.name,
  };
}

/** The path of `env` in the GitOps repository (`gitops.path`, default `clusters/<name>`). */
export function repoPathOf(env: Pick<PlatformEnvironment, 'name' | 'gitops'>): string {
  return env.gitops.path ?? `clusters/${env.name}`;
}

/** A synth-time check over every rendered manifest; returns problems, one line each. */
export interface ManifestCheck {
  /** A short name, shown in messages. */
  readonly name: string;
  /** Returns the problems found; an empty list passes. */
  check(manifests: readonly RenderedManifest[], platform: Platform): readonly string[];
}

/** Options for {@link Platform.sensitiveVariable}. */
export interface SensitiveVariableOptions {
  /**
   * Declare the variable `ephemeral` (Terraform 1.10+, OpenTofu 1.11+): its
   * value is kept out of plan files as well as the state. Only write-only
   * attributes (`data_wo`) and provider blocks may use it.
   * @default false
   */
  readonly ephemeral?: boolean;
}

/** Options for {@link Platform}. */
export interface PlatformProps {
  /** The validated environment. */
  readonly environment: PlatformEnvironment;
  /**
   * Where the environment's GitOps tree is written when the stack is
   * synthesized. Two platforms of one app may not share a directory.
   * @default `<GITOPS_OUTDIR or "dist">/<environment name>`
   */
  readonly outputDirectory?: string;
}

/** The output directories claimed in each app, so two trees never overwrite each other. */
const CLAIMED_DIRECTORIES = new WeakMap<IConstruct, Map<string, string>>();

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
  public readonly environment: PlatformEnvironment;
  /** The Kubernetes side: GitOps tree and bootstrap chart. */
  public readonly tree: GitOpsTree;
  /** Values of the status outputs. */
  public readonly status = new StatusRegistry();
  /** Every Secret the platform's objects read, with its producer (written as `SECRETS.md`). */
  public readonly secrets = new SecretRegistry();
  private readonly namespaces = new Map<string, NamespaceV1>();
  private readonly variables = new Map<string, TerraformVariable>();
  private readonly ephemeralVariables = new Map<string, boolean>();
  private readonly controllers: ChartInstall[] = [];
  private readonly facts = new Map<ChartInstall, ChartFacts>();
  private readonly flows: RequiredFlow[] = [];
  private readonly checks: ManifestCheck[] = [];
  private readonly bootstrapDependencies: ITerraformDependable[] = [];
  private readonly renderHooks: Array<() => void> = [];
  /** Where the tree is written at synth. */
  public readonly outputDirectory: string;
  private gitopsOutput?: GitOpsOutput;

  constructor(scope: Construct, id: string, props: PlatformProps) {
    super(scope, id);
    // The Platform reads the shared part of the environment; a composed config
    // (GitOpsStack's EnvironmentConfig) carries the module settings beside it,
    // which the modules check as their own props.
    const shared = isKeyedObject(props?.environment) ? { ...props, environment: platformEnvironmentOf(props.environment) } : props;
    checkProps(this, 'PlatformProps', shared);
    this.environment = props.environment;
    this.tree = new GitOpsTree({ labels: this.commonLabels });
    this.outputDirectory =
      props.outputDirectory ?? path.join(process.env.GITOPS_OUTDIR ?? 'dist', props.environment.name);
    this.claimOutputDirectory();
    // Any TerraformStack can host the platform: the tree is rendered, checked
    // and written when the stack is synthesized, with no call from the app.
    const stack = TerraformStack.of(this);
    Aspects.of(stack).add({
      visit: (node: IConstruct) => {
        if (node === stack) this.output.finalize();
      },
    });
  }

  /**
   * The writer of the GitOps tree and the bootstrap release (a child of the
   * stack), created on first use. Synthesis finalizes it.
   */
  public get output(): GitOpsOutput {
    if (!this.gitopsOutput) {
      this.gitopsOutput = new GitOpsOutput(TerraformStack.of(this), 'GitOpsOutput', {
        platform: this,
        directory: this.outputDirectory,
      });
    }
    return this.gitopsOutput;
  }

  /** The environment's path in the GitOps repository (`clusters/<env>`). */
  public get repoPath(): string {
    return repoPathOf(this.environment);
  }

  /**
   * The base DNS domain for ingress hosts. Only an ingress that is rendered
   * needs it: reading it when the environment sets none is a ConfigError.
   */
  public get domain(): string {
    return this.domainFor('An ingress host derived from the domain', 'the host itself');
  }

  /**
   * The environment's domain, for `what` (such as "the Argo CD server's
   * ingress host argocd.<domain>"); when the environment sets none, a
   * ConfigError that names `alternative`, the setting that avoids the need.
   */
  public domainFor(what: string, alternative: string): string {
    const domain = this.environment.domain;
    if (domain === undefined) {
      throw new ConfigError(
        `Environment "${this.environment.name}"`,
        'domain',
        domain,
        `${what} needs the environment's base DNS domain: set domain (a DNS domain you control), or set ${alternative}.`,
      );
    }
    return domain;
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
      // Terraform sets no namespace annotations: any there belong to a controller
      // or the cluster's distribution, and removing them on every plan would fight it.
      lifecycle: { ignoreChanges: ['metadata[0].annotations'] },
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
  public sensitiveVariable(name: string, description: string, options: SensitiveVariableOptions = {}): TerraformVariable {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new ConfigError(this.node.path, 'variable name', name, 'Use lowercase snake_case.');
    }
    const ephemeral = options.ephemeral ?? false;
    let variable = this.variables.get(name);
    if (!variable) {
      const stack = this.node.scope!;
      variable = new TerraformVariable(stack, name, { type: 'string', sensitive: true, nullable: false, description });
      // cdktf 0.21 has no `ephemeral` option; the override writes the attribute.
      if (ephemeral) variable.addOverride('ephemeral', true);
      this.variables.set(name, variable);
      this.ephemeralVariables.set(name, ephemeral);
    } else if (this.ephemeralVariables.get(name) !== ephemeral) {
      throw new ConfigError(
        this.node.path,
        `variable ${name}`,
        ephemeral ? 'ephemeral' : 'not ephemeral',
        'Use the variable the same way everywhere: an ephemeral variable may only feed write-only attributes.',
      );
    }
    return variable;
  }

  /**
   * The ephemeral variable `gitops_repo_token` with the GitOps repository's
   * token, which every module that writes repository credentials (Argo CD's
   * repository Secret, Flux's Git credentials) reads; declared on first use.
   */
  public repositoryToken(): TerraformVariable {
    return this.sensitiveVariable(
      GITOPS_REPO_TOKEN_VARIABLE,
      'Token that Argo CD and Flux use to read the GitOps repository (and the team repositories under the same owner), and Flux image automation to push to it.',
      { ephemeral: true },
    );
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

  /**
   * What the bootstrap release depends on: every controller release, every
   * Terraform-managed namespace (by name), then the extra dependencies. On
   * apply the sync objects come after the namespaces they sync into (so Argo
   * CD's `CreateNamespace` never creates one Terraform then fails to create);
   * on destroy Terraform removes the bootstrap release, and with it the Argo CD
   * and Flux objects and what they manage, before any controller or namespace.
   */
  public get bootstrapDependsOn(): readonly ITerraformDependable[] {
    return [
      ...this.controllers.map((c) => c.release),
      ...this.namespaceNames.map((name) => this.namespaces.get(name)!),
      ...this.bootstrapDependencies,
    ];
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
    if (problems.length > 0) throw new PolicyViolationError(this.environment.name, problems);
  }

  private claimOutputDirectory(): void {
    const root = this.node.root;
    let claimed = CLAIMED_DIRECTORIES.get(root);
    if (!claimed) {
      claimed = new Map();
      CLAIMED_DIRECTORIES.set(root, claimed);
    }
    const key = path.resolve(this.outputDirectory);
    const owner = claimed.get(key);
    if (owner !== undefined) {
      throw new ConfigError(
        `Environment "${this.environment.name}"`,
        'outputDirectory',
        this.outputDirectory,
        `${owner} already writes its GitOps tree there, and the second tree would delete the first one's files. ` +
          'Give each environment its own name, or set a distinct outputDirectory (manifestDirectory on GitOpsStack).',
      );
    }
    claimed.set(key, `The platform at ${this.node.path}`);
  }

  private get commonLabelsForTerraform(): Record<string, string> {
    return {
      'app.kubernetes.io/managed-by': 'terraform',
      'app.kubernetes.io/part-of': 'gitops-platform',
      'gitops.platform/environment': this.environment.name,
    };
  }
}

/** Whether `value` has keys to pick (any object but an array); anything else goes to the props check as given. */
function isKeyedObject(value: unknown): value is PlatformEnvironment {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
