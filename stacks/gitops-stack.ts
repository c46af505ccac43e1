import { Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GitOpsOutput, ManifestSummary } from '../lib/platform/bootstrap';
import { platformEnvironmentOf, prerequisitesOf } from '../lib/platform/environment';
import { Platform } from '../lib/platform/platform';
import { STATUS_OUTPUTS } from '../lib/platform/status';
import { EnvironmentConfig } from './environment';
import { validateEnvironment } from './validate-environment';
import { configureBackend } from './backend';
import { createModules, PlatformModules } from './modules';
import { prepareTerraformElements } from './prepare';
import { configureProviders } from './providers';
import { checkProps, withCheckedConfig } from '../lib/platform/config-boundary/props';
import { warnIgnoredSettings } from '../lib/platform/config-boundary/rules';

/** The Terraform (or OpenTofu) versions that plan these stacks: write-only attributes arrived in 1.11. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11';

/** Options for {@link GitOpsStack}. */
export interface GitOpsStackProps {
  /** The environment to synthesize. It is validated first. */
  readonly environment: EnvironmentConfig;
  /**
   * Where the environment's Kubernetes manifests are written.
   * @default `<GITOPS_OUTDIR or "dist">/<environment name>`
   */
  readonly manifestDirectory?: string;
}

/**
 * One environment: providers and backend from its config, the enabled
 * platform modules, the GitOps tree written to disk, the bootstrap chart
 * installed after the controllers, and the five status outputs.
 */
export class GitOpsStack extends TerraformStack {
  /** The environment's shared context. */
  public readonly platform: Platform;
  /** The writer of the GitOps tree and the bootstrap release. */
  public readonly output: GitOpsOutput;
  /** The module constructs that were created, by module name (a module that is off is absent). */
  public readonly modules: PlatformModules;

  constructor(scope: Construct, id: string, props: GitOpsStackProps) {
    super(scope, id);
    const environment = validateEnvironment(props.environment);
    // After the environment's own check, which names the environment and the setting.
    checkProps(this, 'GitOpsStackProps', props);
    // Write-only attributes (`data_wo`) and ephemeral variables need Terraform 1.11 (OpenTofu 1.11).
    this.addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    configureBackend(this, environment.name, environment.backend);
    configureProviders(this, environment.cluster);

    this.platform = new Platform(this, 'Platform', {
      // The Platform carries what every module shares; the module settings go to the modules as props.
      environment: platformEnvironmentOf(environment),
      ...(props.manifestDirectory === undefined ? {} : { outputDirectory: props.manifestDirectory }),
    });
    // The environment passed its schema in validateEnvironment: the modules built from it skip the props checks.
    this.modules = withCheckedConfig(() => createModules(this, this.platform, environment));
    // Settings of a module that is off are ignored, and said so at synth.
    warnIgnoredSettings(this, environment);

    this.output = this.platform.output;

    this.addCoreStatus(environment);
    for (const name of STATUS_OUTPUTS) {
      new TerraformOutput(this, name, {
        description: `Status of the ${environment.name} environment (${name.replace(/_/g, ' ')}).`,
        value: Lazy.anyValue({ produce: () => this.platform.status.value(name) }),
      });
    }
  }

  /**
   * Prepares the stack for synthesis as cdktf does, without resolving the
   * elements that hold no token (most of them with many tenants): see
   * {@link prepareTerraformElements}.
   */
  public prepareStack(): void {
    prepareTerraformElements(this);
  }

  /** Renders and writes the manifests now (synthesis does it too); returns what was written. */
  public writeManifests(): ManifestSummary {
    return this.output.finalize();
  }

  private addCoreStatus(env: EnvironmentConfig): void {
    const status = this.platform.status;
    const output = this.output;
    status.set('gitops_patterns_status', 'environment', env.name);
    status.set('gitops_patterns_status', 'repository', {
      url: env.gitops.repoUrl,
      revision: env.gitops.revision,
      path: this.platform.repoPath,
    });
    status.set('enterprise_gitops_status', 'environment', env.name);
    status.set('enterprise_gitops_status', 'modules_enabled', [...env.modules]);
    status.set('enterprise_gitops_status', 'high_availability', env.sizing.highAvailability);
    status.set('enterprise_gitops_status', 'controller_replicas', env.sizing.controllerReplicas);
    status.set('enterprise_gitops_status', 'controllers', Lazy.anyValue({
      produce: () => this.platform.controllerReleases.map((c) => c.describe()),
    }));
    status.set('multi_environment_status', 'environment', env.name);
    status.set('multi_environment_status', 'tier', env.tier);
    status.set('multi_environment_status', 'cluster', this.platform.clusterName);
    status.set('multi_environment_status', 'revision', env.gitops.revision);
    status.set('multi_environment_status', 'path', this.platform.repoPath);
    status.set('multi_environment_status', 'namespaces', Lazy.listValue({ produce: () => this.platform.namespaceNames }));
    status.set('multi_environment_status', 'backend', env.backend.type);
    const prerequisites = prerequisitesOf(env);
    status.set('multi_environment_status', 'prerequisites', {
      ingress_class: prerequisites.ingress?.className ?? null,
      ingress_namespace: prerequisites.ingress?.namespace ?? null,
      default_storage_class: prerequisites.storage.defaultClass,
      storage_classes: [...prerequisites.storage.classes],
      nodes: prerequisites.nodes,
      istio: { installed: prerequisites.istio.installed, cni: prerequisites.istio.cni },
    });
    status.set('advanced_automation_status', 'environment', env.name);
    status.set('advanced_automation_status', 'sync_policy', {
      automated: env.syncPolicy.automated,
      prune: env.syncPolicy.prune,
      self_heal: env.syncPolicy.selfHeal,
      retry_limit: env.syncPolicy.retry.limit,
    });
    status.set('advanced_automation_status', 'bootstrap', Lazy.anyValue({
      produce: () =>
        output.bootstrapRelease
          ? { release: output.bootstrapRelease.name, status: output.bootstrapRelease.status }
          : null,
    }));
    status.set('gitops_security_status', 'environment', env.name);
    status.set('gitops_security_status', 'policy_enforcement', env.policyEnforcement);
    status.set('gitops_security_status', 'sensitive_variables', Lazy.listValue({
      produce: () => this.platform.sensitiveVariableNames,
    }));
  }
}
