import type { PolicyResult } from './report';
import { ApiObject, Lazy } from 'cdk8s';
import { Annotations, DISABLE_STACK_TRACE_IN_METADATA } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../../platform/errors';
import { objectRef, RenderedManifest } from '../../platform/gitops-tree';
import { Platform } from '../../platform/platform';
import { ConstraintTemplate as ConstraintTemplateResource } from '../../imports/gatekeeper-templates';
import { PolicyEnforcement } from './enforcement';
import { PolicyExemption } from './exemption';
import { PolicyId } from './ids';
import { EXEMPTIONS_SCHEMA, ParameterSchema, Policy } from './policy';
import { renderPolicyReport } from './report';

/** Namespaces never checked in the cluster: Kubernetes' own. */
export const KUBERNETES_SYSTEM_NAMESPACES: readonly string[] = ['kube-node-lease', 'kube-public', 'kube-system'];

/** The API version of Gatekeeper constraints. */
export const CONSTRAINT_API_VERSION = 'constraints.gatekeeper.sh/v1beta1';

/** The Gatekeeper admission target of every template. */
export const GATEKEEPER_TARGET = 'admission.k8s.gatekeeper.sh';

/** Options for {@link PolicyLibrary}. */
export interface PolicyLibraryProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** The policies to enforce (those active in the environment's tier are used). */
  readonly policies: readonly Policy[];
  /**
   * Enforcement of every policy.
   * @default - `PolicyEnforcement.of(environment.policyEnforcement)`
   */
  readonly enforcement?: PolicyEnforcement;
  /**
   * Per-policy enforcement overriding `enforcement`.
   * @default {}
   */
  readonly policyEnforcement?: Readonly<Partial<Record<PolicyId, PolicyEnforcement>>>;
  /**
   * Documented exceptions.
   * @default []
   */
  readonly exemptions?: readonly PolicyExemption[];
}


/**
 * The policy library of an environment, enforced twice:
 *
 * 1. at synth time, a manifest check per policy over every rendered manifest
 *    (synced tree and bootstrap chart): under `deny` a violation fails
 *    synthesis with a message naming the object, the policy and the fix;
 *    under `warn`/`dryrun` it is reported as a cdktf warning and in
 *    `policies/POLICY-REPORT.md`;
 * 2. in the cluster, a Gatekeeper ConstraintTemplate per policy (bootstrap
 *    chart, installed by Terraform after the Gatekeeper release) and a
 *    constraint (`policies/gatekeeper-constraints.yaml`, synced after the
 *    templates exist) whose `enforcementAction` is the same mode.
 *
 * Exemptions reach both points: object exemptions as the constraint's
 * `parameters.exemptions`, namespace exemptions as `match.excludedNamespaces`.
 */
export class PolicyLibrary extends Construct {
  /** The active policies, in order. */
  public readonly policies: readonly Policy[];
  /** The policies defined but not active in this environment's tier. */
  public readonly inactivePolicies: readonly Policy[];
  /** The environment-wide enforcement. */
  public readonly enforcement: PolicyEnforcement;
  /** The template objects (bootstrap chart), by policy id. */
  public readonly templates: ReadonlyMap<PolicyId, ConstraintTemplateResource>;
  /** The constraint objects (`policies/` section), by policy id. */
  public readonly constraints: ReadonlyMap<PolicyId, ApiObject>;
  private readonly platform: Platform;
  /** Carries the warnings; without stack traces, so cdktf.out stays deterministic. */
  private readonly warnings: Construct;
  private readonly modes: ReadonlyMap<PolicyId, PolicyEnforcement>;
  private readonly exemptionList: PolicyExemption[] = [];
  private readonly results = new Map<PolicyId, PolicyResult>();
  private reported = false;

  constructor(scope: Construct, id: string, props: PolicyLibraryProps) {
    super(scope, id);
    this.platform = props.platform ?? Platform.of(this);
    this.warnings = new Construct(this, 'Warnings');
    this.warnings.node.setContext(DISABLE_STACK_TRACE_IN_METADATA, true);
    const env = this.platform.environment;
    this.enforcement = props.enforcement ?? PolicyEnforcement.of(env.policyEnforcement, `Environment "${env.name}"`);

    const seen = new Set<string>();
    for (const policy of props.policies) {
      if (seen.has(policy.id)) {
        throw new ConfigError(this.node.path, 'policies', policy.id, 'Define each policy once.');
      }
      seen.add(policy.id);
    }
    this.policies = props.policies.filter((p) => p.isActiveIn(env.tier));
    this.inactivePolicies = props.policies.filter((p) => !p.isActiveIn(env.tier));

    const modes = new Map<PolicyId, PolicyEnforcement>();
    for (const policy of this.policies) {
      const mode = props.policyEnforcement?.[policy.id] ?? this.enforcement;
      if (env.tier === 'production' && !mode.failsSynth) {
        throw new ConfigError(
          this.node.path,
          `policy enforcement of ${policy.id}`,
          mode.mode,
          'Production enforces every policy: use "deny" (exempt single objects with PolicyExemption instead).',
        );
      }
      modes.set(policy.id, mode);
    }
    this.modes = modes;
    for (const exemption of props.exemptions ?? []) this.addExemption(exemption);

    const templates = new Map<PolicyId, ConstraintTemplateResource>();
    const constraints = new Map<PolicyId, ApiObject>();
    const templateChart = this.platform.tree.bootstrapChart('gatekeeper-templates');
    const constraintChart = this.platform.tree.chart('policies', 'gatekeeper-constraints');
    for (const policy of this.policies) {
      templates.set(policy.id, this.renderTemplate(templateChart, policy));
      constraints.set(policy.id, this.renderConstraint(constraintChart, policy));
      this.platform.addManifestCheck({
        name: `policy:${policy.id}`,
        check: (manifests) => this.runPolicy(policy, manifests),
      });
    }
    this.templates = templates;
    this.constraints = constraints;
    this.platform.addManifestCheck({ name: 'policy-report', check: () => this.report() });
  }

  /**
   * Adds an exemption (after construction too: other modules may add theirs).
   * Both the synth-time check and the constraint honour it.
   */
  public addExemption(exemption: PolicyExemption): void {
    if (!(exemption instanceof PolicyExemption)) {
      throw new ConfigError(this.node.path, 'exemption', exemption, 'Create exemptions with PolicyExemption.forObject(...) or PolicyExemption.forNamespace(...).');
    }
    const known = [...this.policies, ...this.inactivePolicies].map((p) => p.id);
    if (!known.includes(exemption.policy)) {
      throw new ConfigError(this.node.path, 'exemption.policy', exemption.policy, `Use one of the library's policies: ${known.join(', ')}.`);
    }
    this.exemptionList.push(exemption);
  }

  /** The exemptions, in the order they were added. */
  public get exemptions(): readonly PolicyExemption[] {
    return this.exemptionList;
  }

  /** The enforcement of one policy. */
  public enforcementOf(policy: PolicyId): PolicyEnforcement {
    return this.modes.get(policy) ?? this.enforcement;
  }

  /** The synth-time results, once the checks ran (at synthesis). */
  public get lastResults(): readonly PolicyResult[] {
    return this.policies.map((p) => this.results.get(p.id)).filter((r): r is PolicyResult => r !== undefined);
  }

  /**
   * Runs one policy over the manifests: returns the failures under `deny`,
   * records warnings otherwise. Usable directly in tests.
   */
  public runPolicy(policy: Policy, manifests: readonly RenderedManifest[]): readonly string[] {
    const enforcement = this.enforcementOf(policy.id);
    const violations: string[] = [];
    const exempted: string[] = [];
    let checked = 0;
    for (const manifest of manifests) {
      if (!policy.appliesTo(manifest.object)) continue;
      const exemption = this.exemptionList.find((e) => e.policy === policy.id && e.covers(manifest.object));
      if (exemption) {
        exempted.push(`${objectRef(manifest.object)}: ${exemption.reason}`);
        continue;
      }
      checked++;
      // In scope (checked above): evaluate the rule itself, not the scope again.
      for (const finding of policy.definition.evaluate(manifest.object)) {
        violations.push(violationMessage(policy, manifest, finding.detail, finding.fix));
      }
    }
    this.results.set(policy.id, { policy, enforcement, checked, violations, exempted });
    return enforcement.failsSynth ? violations : [];
  }

  /** Reports the results; its check is registered after every policy's, so they have all run. */
  private report(): readonly string[] {
    if (this.reported) return [];
    this.reported = true;
    for (const result of this.lastResults) {
      if (result.enforcement.failsSynth) continue;
      for (const violation of result.violations) {
        Annotations.of(this.warnings).addWarning(`[policy:${result.policy.id}] (${result.enforcement.mode}) ${violation}`);
      }
    }
    this.platform.tree.addFile(
      'policies/POLICY-REPORT.md',
      renderPolicyReport({
        environment: this.platform.environment.name,
        enforcement: this.enforcement,
        results: this.lastResults,
        inactive: this.inactivePolicies,
        exemptions: this.exemptionList,
        clusterExcludedNamespaces: this.controllerNamespaces(),
      }),
    );
    return [];
  }

  /** Namespaces the cluster-side workload constraints leave out: Kubernetes' own and the controllers'. */
  public controllerNamespaces(): string[] {
    const names = new Set<string>([...KUBERNETES_SYSTEM_NAMESPACES, ...this.platform.controllerReleases.map((c) => c.namespace)]);
    return [...names].sort();
  }

  private renderTemplate(chart: Construct, policy: Policy): ConstraintTemplateResource {
    const properties: Record<string, ParameterSchema> = { ...policy.definition.parameterSchema, exemptions: EXEMPTIONS_SCHEMA };
    return new ConstraintTemplateResource(chart, `Template-${policy.id}`, {
      metadata: {
        name: policy.templateName,
        annotations: {
          'metadata.gatekeeper.sh/title': policy.definition.title,
          description: policy.definition.description,
          'policy.gitops.platform/id': policy.id,
        },
      },
      spec: {
        crd: {
          spec: {
            names: { kind: policy.constraintKind },
            validation: { openApiv3Schema: { type: 'object', properties } },
          },
        },
        targets: [{ target: GATEKEEPER_TARGET, rego: policy.rego }],
      },
    });
  }

  private renderConstraint(chart: Construct, policy: Policy): ApiObject {
    const definition = policy.definition;
    return new ApiObject(chart, `Constraint-${policy.id}`, {
      apiVersion: CONSTRAINT_API_VERSION,
      kind: policy.constraintKind,
      metadata: {
        name: policy.id,
        annotations: {
          // The constraint's CRD exists only once Gatekeeper processed the template:
          // Argo CD must not fail its dry run on the missing kind (it retries the sync).
          'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
          'policy.gitops.platform/enforcement': this.enforcementOf(policy.id).mode,
        },
      },
      spec: Lazy.any({
        produce: () => {
          const excluded = new Set<string>(
            this.exemptionList.filter((e) => e.policy === policy.id && e.namespace !== undefined).map((e) => e.namespace!),
          );
          if (definition.excludeControllerNamespacesInCluster) for (const ns of this.controllerNamespaces()) excluded.add(ns);
          const objectExemptions = this.exemptionList
            .filter((e) => e.policy === policy.id && e.object !== undefined)
            .map((e) => ({ kind: e.object!.kind, ...(e.object!.namespace ? { namespace: e.object!.namespace } : {}), name: e.object!.name, reason: e.reason }));
          const parameters: Record<string, unknown> = { ...definition.parameters };
          if (objectExemptions.length > 0) parameters.exemptions = objectExemptions;
          return {
            enforcementAction: this.enforcementOf(policy.id).gatekeeperAction,
            match: {
              kinds: definition.kinds.map((k) => ({ apiGroups: [...k.apiGroups], kinds: [...k.kinds] })),
              ...(excluded.size > 0 ? { excludedNamespaces: [...excluded].sort() } : {}),
              ...(definition.labelSelector && definition.labelSelector.length > 0
                ? { labelSelector: { matchExpressions: definition.labelSelector.map((r) => ({ key: r.key, operator: r.operator })) } }
                : {}),
            },
            ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
          };
        },
      }),
    });
  }
}

function violationMessage(policy: Policy, manifest: RenderedManifest, detail: string, fix: string): string {
  const object = manifest.object;
  const ref = objectRef(object);
  const ns = object.metadata?.namespace;
  const exemption = `PolicyExemption.forObject({ kind: '${object.kind}', ${ns ? `namespace: '${ns}', ` : ''}name: '${object.metadata?.name ?? ''}' }, '${policy.id}', '<reason>')`;
  return `${ref} (${manifest.file}): ${detail}. Fix: ${fix}. If it is justified, exempt it in EnvironmentConfig.security.exemptions with ${exemption}.`;
}

export type { PolicyResult } from './report';
