import { PlatformEnvironment } from '../../platform/environment';
import { ConfigError } from '../../platform/errors';
import { SecuritySettings } from '../settings';
import { allowedRepositoriesPolicy, validateRepositoryPrefixes } from './allowed-repositories';
import { PolicyEnforcement } from './enforcement';
import { PolicyExemption } from './exemption';
import { isPolicyId, POLICY_IDS, PolicyId } from './ids';
import { DEFAULT_INTERNAL_ANNOTATIONS, internalLoadBalancerPolicy } from './internal-load-balancer';
import { noPlainSecretsPolicy } from './no-plain-secrets';
import { pinnedImagesPolicy } from './pinned-images';
import { Policy } from './policy';
import { requiredLabelsPolicy } from './required-labels';
import { workloadSecurityPolicy } from './workload-security';

/** Labels the platform itself guarantees on every object. */
export const PLATFORM_REQUIRED_LABELS: readonly string[] = ['app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of'];

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const NOT_A_REFERENCE = ['true', 'false', 'yes', 'no', 'reviewed', 'ok'];

/** Whether `key` is a valid label key. */
export function isLabelKey(key: unknown): key is string {
  return typeof key === 'string' && LABEL_KEY.test(key);
}

/**
 * The shipped policy library for an environment's settings, with every input
 * validated: repository prefixes are URLs, label keys are label keys.
 */
export function defaultPolicies(where: string, settings: SecuritySettings = {}): Policy[] {
  const reviewLabel = settings.reviewLabel;
  if (reviewLabel !== undefined && !isLabelKey(reviewLabel)) {
    throw new ConfigError(where, 'security.reviewLabel', reviewLabel, 'Use a label key, such as "<your domain>/security-review".');
  }
  const labels = [...(settings.requiredLabels ?? [...PLATFORM_REQUIRED_LABELS, ...(reviewLabel === undefined ? [] : [reviewLabel])])];
  labels.forEach((label, i) => {
    if (!isLabelKey(label)) {
      throw new ConfigError(where, `security.requiredLabels[${i}]`, label, 'Use a label key such as "app.kubernetes.io/part-of".');
    }
  });
  const prefixes = validateRepositoryPrefixes(where, 'security.allowedRepositories', allowedRepositoriesOf(where, settings));
  const annotations = settings.internalLoadBalancerAnnotations ?? DEFAULT_INTERNAL_ANNOTATIONS;
  if (annotations.length === 0) {
    throw new ConfigError(where, 'security.internalLoadBalancerAnnotations', annotations, 'List at least one annotation that makes a load balancer internal.');
  }
  return [
    requiredLabelsPolicy({ labels, reviewLabel }),
    allowedRepositoriesPolicy(prefixes),
    workloadSecurityPolicy(),
    pinnedImagesPolicy(),
    internalLoadBalancerPolicy(annotations),
    noPlainSecretsPolicy(),
  ];
}

/** The per-policy enforcement of `security.policyModes`, validated. */
export function resolvePolicyModes(where: string, settings: SecuritySettings = {}): Partial<Record<PolicyId, PolicyEnforcement>> {
  const out: Partial<Record<PolicyId, PolicyEnforcement>> = {};
  for (const [id, mode] of Object.entries(settings.policyModes ?? {})) {
    if (!isPolicyId(id)) {
      throw new ConfigError(where, 'security.policyModes', id, `Unknown policy; use one of ${POLICY_IDS.join(', ')}.`);
    }
    out[id] = PolicyEnforcement.of(String(mode), where, `security.policyModes.${id}`);
  }
  return out;
}

/**
 * The URL prefixes every Argo CD and Flux source must start with: the
 * organization's own Git hosts and owners, so there is no default.
 */
export function allowedRepositoriesOf(where: string, settings: SecuritySettings = {}): readonly string[] {
  if (settings.allowedRepositories === undefined) {
    throw new ConfigError(
      where,
      'security.allowedRepositories',
      undefined,
      'The allowed-repositories policy admits only sources under these URL prefixes: list your Git hosts and owners (https:// or oci://, each ending in "/").',
    );
  }
  return settings.allowedRepositories;
}

/**
 * Checks the security review reference in `EnvironmentConfig.labels`: a label
 * value naming the review (the id of the change or pull request that approved
 * the configuration), not a bare flag. Production must have one, under the
 * label key `security.reviewLabel`. Returns it (or undefined).
 */
export function reviewReference(environment: PlatformEnvironment, settings: SecuritySettings = {}): string | undefined {
  const where = `Environment "${environment.name}"`;
  const key = settings.reviewLabel;
  if (key === undefined) {
    if (environment.tier === 'production') {
      throw new ConfigError(
        where,
        'security.reviewLabel',
        key,
        'Production objects must carry the security review reference: name the label key that records it here, and set the reference under that key in labels.',
      );
    }
    return undefined;
  }
  const value = environment.labels?.[key];
  const field = `labels["${key}"]`;
  if (value === undefined) {
    if (environment.tier === 'production') {
      throw new ConfigError(
        where,
        field,
        value,
        'Production objects must carry the security review reference: set it to the id of the review or pull request that approved this configuration.',
      );
    }
    return undefined;
  }
  if (!LABEL_VALUE.test(value)) {
    throw new ConfigError(where, field, value, 'Use a label value: letters, digits, "-", "_", ".", at most 63 characters, such as the id of the review.');
  }
  if (NOT_A_REFERENCE.includes(value.toLowerCase())) {
    throw new ConfigError(where, field, value, 'Name the review, not a flag: use the id of the review or pull request that approved this configuration.');
  }
  return value;
}

/**
 * Exemptions the platform itself needs, each with its reason:
 *
 * - Argo CD creates its `default` AppProject at start-up (not from Git), so it
 *   cannot carry the review label;
 * - namespaces of cluster software the platform does not install or configure,
 *   whose pods it cannot harden: Falco when installed outside the platform
 *   (`security.falcoNamespace` without `security.falco`: its driver loader and
 *   DaemonSet run privileged as root), the ingress controller
 *   (`security.ingressNamespace`: its public LoadBalancer is the one public
 *   entry point, by design; its chart sets requests without limits and its
 *   admission Jobs none), and Istio (`istio-system`, when
 *   `prerequisites.istio.installed`: the CNI node agent runs privileged as
 *   root). Gatekeeper gets them as `excludedNamespaces` of the constraint, the
 *   synth-time check skips the same namespaces.
 *
 * Jenkins X's own namespaces (`jx`, `jx-git-operator`) hold controller
 * releases, which every workload constraint already leaves out.
 */
export function platformExemptions(environment: PlatformEnvironment, settings: SecuritySettings = {}, argoCdNamespace?: string): PolicyExemption[] {
  const exemptions: PolicyExemption[] = [];
  if (argoCdNamespace !== undefined) {
    exemptions.push(
      PolicyExemption.forObject(
        { kind: 'AppProject', namespace: argoCdNamespace, name: 'default' },
        'required-labels',
        'created by Argo CD itself at start-up, not synced from Git',
      ),
    );
  }
  // With `security.falco` the platform installs Falco: its namespace holds a
  // controller release, which every workload constraint already leaves out.
  if (!settings.falco) {
    exemptions.push(
      PolicyExemption.forNamespace(
        settings.falcoNamespace ?? 'falco-system',
        'workload-security',
        'Falco is installed outside the platform; its driver loader and DaemonSet run privileged as root to read kernel events',
      ),
    );
  }
  const ingress = settings.ingressNamespace ?? 'ingress-nginx';
  exemptions.push(
    PolicyExemption.forNamespace(
      ingress,
      'internal-load-balancer',
      'the ingress controller is the one public entry point: its LoadBalancer is public by design, every other Service stays internal behind it',
    ),
    PolicyExemption.forNamespace(
      ingress,
      'workload-security',
      'the ingress controller is installed outside the platform; its chart sets requests without limits and its admission Jobs no resources',
    ),
  );
  if (environment.prerequisites?.istio?.installed) {
    exemptions.push(
      PolicyExemption.forNamespace(
        'istio-system',
        'workload-security',
        'Istio is a prerequisite installed outside the platform; its CNI node agent runs privileged as root to configure pod networking',
      ),
    );
  }
  return exemptions;
}
