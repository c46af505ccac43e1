/**
 * The outputs contract: what each of the five status outputs holds after a
 * deploy, as TypeScript types, as JSON Schema (`statusOutputSchemas()`) and
 * as a check (`checkStatusContract`). The platform's own keys are typed field
 * by field; each module's section pins the fields a CI job reads (release
 * status, prune, admin, replicas) and may carry more. An output may carry keys
 * of the user's own constructs (`platform.status.set`) besides the declared ones.
 */
import { ENFORCEMENT_MODES, MODULE_NAMES } from './environment';
import {
  arrayShape,
  booleanShape,
  integerShape,
  JsonSchema,
  nullableShape,
  objectShape,
  Shape,
  ShapeType,
  stringShape,
} from './shape';
import { STATUS_OUTPUTS, StatusOutput } from './status';

const text = stringShape();
const flag = booleanShape();

/** A Helm release as the outputs report it; `status` is Helm's (`deployed` after a good apply). */
export const ControllerReleaseShape = objectShape({
  release: text,
  namespace: text,
  chart: text,
  chart_version: text,
  app_version: text,
  repository: text,
  status: text,
});

/** One controller release in the outputs. */
export type ControllerReleaseStatus = ShapeType<typeof ControllerReleaseShape>;

type Fields = Readonly<Record<string, Shape<unknown>>>;
type None = Record<never, never>;
const releaseFields = { release: text, status: text };

/** A module's section that reports a release: its status and `extra`, and possibly more. */
function releaseSection<R extends Fields = None, O extends Fields = None>(extra: R = {} as R, optional: O = {} as O) {
  return objectShape({ ...releaseFields, ...extra }, optional, { open: true });
}

/** A module's own section: the `optional` fields when present, and possibly more. */
function moduleSection<O extends Fields = None>(optional: O = {} as O) {
  return objectShape({}, optional, { open: true });
}

const BootstrapShape = objectShape({ release: text, status: text });

/** The app-of-apps' sync policy, as the Argo CD module reports it. */
const AppOfAppsShape = objectShape({ name: text, path: text, automated: flag, prune: flag, self_heal: flag });

const FluxKustomizationShape = objectShape({ name: text, prune: flag }, {}, { open: true });

/** `gitops_patterns_status`: the repository and each GitOps engine. */
export const GitOpsPatternsStatusShape = objectShape(
  {
    environment: text,
    repository: objectShape({ url: text, revision: text, path: text }),
  },
  {
    argocd: releaseSection(
      { replicas: integerShape(1), high_availability: flag },
      { app_of_apps: nullableShape(AppOfAppsShape) },
    ),
    flux: releaseSection({}, { sync: objectShape({ kustomizations: arrayShape(FluxKustomizationShape) }, {}, { open: true }) }),
    jenkins_x: releaseSection({}, { crds: objectShape(releaseFields, {}, { open: true }) }),
  },
  { open: true, description: 'The GitOps repository and, per engine, its release, status and sync settings.' },
);

/** `enterprise_gitops_status`: modules, sizing and every controller release. */
export const EnterpriseGitOpsStatusShape = objectShape(
  {
    environment: text,
    modules_enabled: arrayShape(stringShape({ values: MODULE_NAMES })),
    high_availability: flag,
    controller_replicas: integerShape(1),
    controllers: arrayShape(ControllerReleaseShape),
  },
  {
    argocd: moduleSection(),
    flux: releaseSection(),
    monitoring: releaseSection({}, { prometheus_replicas: integerShape(0), alertmanager_replicas: integerShape(0) }),
    // Cost allocation (OpenCost), when the environment turns it on.
    cost: releaseSection({ prometheus: text, team_label: text, allocation_api: text }),
  },
  { open: true, description: 'The enabled modules, high availability and every controller release with its status.' },
);

/** `multi_environment_status`: where the environment lives and what it tracks. */
export const MultiEnvironmentStatusShape = objectShape(
  {
    environment: text,
    tier: stringShape({ values: ['development', 'staging', 'production'] }),
    cluster: text,
    revision: text,
    path: text,
    namespaces: arrayShape(text),
    backend: stringShape({ values: ['local', 's3', 'gcs', 'azurerm', 'hcp'] }),
  },
  {
    // What the cluster must already have (optional: outputs recorded before it existed lack it).
    prerequisites: objectShape({
      ingress_class: nullableShape(text),
      ingress_namespace: nullableShape(text),
      default_storage_class: flag,
      storage_classes: arrayShape(text),
      nodes: integerShape(1),
      istio: objectShape({ installed: flag, cni: flag }),
    }),
    argocd: moduleSection(),
    flux: moduleSection({ prune: flag }),
    jenkins_x: moduleSection(),
    // Disaster recovery (the recovery module): a primary writes backups, a standby restores them.
    recovery: objectShape(
      {
        role: stringShape({ values: ['primary', 'standby'] }),
        stands_in_for: nullableShape(text),
        revision: text,
        sync_held: flag,
        backup_location: objectShape(
          {
            provider: text,
            bucket: text,
            prefix: nullableShape(text),
            region: text,
            access_mode: stringShape({ values: ['ReadWrite', 'ReadOnly'] }),
          },
          {},
          { open: true },
        ),
        velero: releaseSection(),
        schedules: arrayShape(objectShape({ name: text, cron: text, ttl: text }, {}, { open: true })),
      },
      {},
      { open: true },
    ),
  },
  { open: true, description: 'The environment, tier, cluster, revision, path, namespaces, state backend, cluster prerequisites and disaster-recovery role.' },
);

/** `advanced_automation_status`: sync policy, the bootstrap release, delivery and automation. */
export const AdvancedAutomationStatusShape = objectShape(
  {
    environment: text,
    sync_policy: objectShape({ automated: flag, prune: flag, self_heal: flag, retry_limit: integerShape(0) }),
    bootstrap: nullableShape(BootstrapShape),
  },
  {
    delivery: moduleSection({ argo_rollouts: releaseSection() }),
    flux: moduleSection(),
    jenkins_x: moduleSection(),
    monitoring: moduleSection(),
  },
  { open: true, description: 'The default sync policy, the bootstrap release, and the automation each module runs.' },
);

/** `gitops_security_status`: enforcement, sensitive variables (names only) and each module's security facts. */
export const GitOpsSecurityStatusShape = objectShape(
  {
    environment: text,
    policy_enforcement: stringShape({ values: ENFORCEMENT_MODES }),
    sensitive_variables: arrayShape(text),
  },
  {
    argocd: moduleSection({ admin_enabled: flag }),
    flux: moduleSection(),
    jenkins_x: moduleSection(),
    monitoring: moduleSection(),
    security: moduleSection({
      gatekeeper: releaseSection({}, { replicas: integerShape(1) }),
      external_secrets: releaseSection(),
      sealed_secrets: releaseSection(),
      falco: nullableShape(releaseSection({ rules: arrayShape(text), kubernetes_audit: flag, forwards_to: text })),
    }),
    // The security scanner (Trivy Operator), when the environment turns it on.
    scanning: releaseSection({ reports: arrayShape(text), severities: arrayShape(text), alerts: arrayShape(text) }),
  },
  { open: true, description: 'Policy enforcement, the sensitive variables in use (names only) and the security controls.' },
);

/** The shape of every status output, by output name. */
export const STATUS_OUTPUT_SHAPES = {
  gitops_patterns_status: GitOpsPatternsStatusShape,
  enterprise_gitops_status: EnterpriseGitOpsStatusShape,
  multi_environment_status: MultiEnvironmentStatusShape,
  advanced_automation_status: AdvancedAutomationStatusShape,
  gitops_security_status: GitOpsSecurityStatusShape,
} as const satisfies Record<StatusOutput, Shape<unknown>>;

/** The value of every status output after a deploy. */
export type StatusOutputs = { readonly [O in StatusOutput]: ShapeType<(typeof STATUS_OUTPUT_SHAPES)[O]> };

/** The JSON Schema of each status output, with an `$id` per output. */
export function statusOutputSchemas(): Record<StatusOutput, JsonSchema> {
  const schemas = {} as Record<StatusOutput, JsonSchema>;
  for (const name of STATUS_OUTPUTS) {
    schemas[name] = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `https://gitops-platform-cdktf/schemas/outputs/${name}.json`,
      title: name,
      ...STATUS_OUTPUT_SHAPES[name].schema,
    };
  }
  return schemas;
}

/** Every way `outputs` breaks the contract, one line each (`gitops_patterns_status.repository.url: missing`). */
export function checkStatusContract(outputs: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const name of STATUS_OUTPUTS) {
    if (!(name in outputs)) problems.push(`${name}: missing`);
    else STATUS_OUTPUT_SHAPES[name].check(outputs[name], name, problems);
  }
  return problems;
}
