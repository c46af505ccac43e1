import { ConfigError } from '../platform/errors';
import { ManifestObject, TREE_SECTIONS } from '../platform/gitops-tree';
import { Platform } from '../platform/platform';
import { copyPlain } from '../platform/plain-object';
import { toRecordedYaml, toRecordedYamlDocuments } from '../platform/yaml';
import { defaultPodSecurityLevel, PodSecurityLevel, podSecurityLabels } from '../platform/namespace-security';

/** The directory of the generated baseline, relative to the environment's tree. */
export const CLUSTER_BASELINE_DIRECTORY = 'cluster-baseline';

/** Default requests and limits of a container that sets none, in the baseline namespaces. */
export const BASELINE_CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  default: { cpu: '500m', memory: '256Mi' },
} as const;

/** Options for {@link ClusterBaseline}. */
export interface ClusterBaselineProps {
  /** The environment's platform. */
  readonly platform: Platform;
  /**
   * The namespaces every workload cluster gets for its workloads.
   * @default ['workloads']
   */
  readonly namespaces?: readonly string[];
  /**
   * The Pod Security level enforced (and audited and warned) in them.
   * @default - restricted in production, baseline elsewhere
   */
  readonly podSecurity?: PodSecurityLevel;
}

/**
 * What every workload cluster (spoke) gets from the hub-spoke ApplicationSet:
 * the workload namespaces, each with the environment's Pod Security level, a
 * LimitRange that gives containers without requests and limits the defaults
 * ({@link BASELINE_CONTAINER_DEFAULTS}), and a NetworkPolicy that admits only
 * traffic from inside the namespace. Written as plain YAML to
 * `cluster-baseline/` (outside the synced sections, so the hub never applies
 * it), with its own `kustomization.yaml`.
 */
export class ClusterBaseline {
  /** The directory's path in the GitOps repository (`clusters/prod/cluster-baseline`). */
  public readonly repoPath: string;
  /** The namespaces. */
  public readonly namespaces: readonly string[];
  /** The objects written. */
  public readonly objects: readonly ManifestObject[];

  constructor(props: ClusterBaselineProps) {
    const platform = props.platform;
    const where = `Environment "${platform.environment.name}": argocd.workloadBaseline`;
    const namespaces = [...(props.namespaces ?? ['workloads'])];
    if (namespaces.length === 0) throw new ConfigError(where, 'namespaces', namespaces, 'Give at least one namespace for the workload clusters, such as "workloads".');
    for (const ns of namespaces) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63 || ns.startsWith('kube-') || ns === 'default') {
        throw new ConfigError(where, 'namespaces', ns, 'Use namespace names of your own (lowercase DNS labels, not default or kube-*).');
      }
    }
    if (new Set(namespaces).size !== namespaces.length) throw new ConfigError(where, 'namespaces', namespaces, 'List each namespace once.');
    const level = props.podSecurity ?? defaultPodSecurityLevel(platform.environment.tier);
    const labels = platform.commonLabels;
    const objects: ManifestObject[] = [];
    for (const ns of namespaces) {
      objects.push(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...labels, ...podSecurityLabels(level) } } },
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'default-container-resources', namespace: ns, labels: { ...labels } },
          spec: {
            limits: [
              {
                type: 'Container',
                defaultRequest: { ...BASELINE_CONTAINER_DEFAULTS.defaultRequest },
                default: { ...BASELINE_CONTAINER_DEFAULTS.default },
              },
            ],
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'same-namespace-only', namespace: ns, labels: { ...labels } },
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
        },
      );
    }
    if ((TREE_SECTIONS as readonly string[]).includes(CLUSTER_BASELINE_DIRECTORY)) {
      throw new ConfigError(where, 'directory', CLUSTER_BASELINE_DIRECTORY, 'The baseline must be outside the synced sections.');
    }
    // Recorded (a copy: `objects` is public), so the deploy model reads the objects instead of parsing the file.
    platform.tree.addFile(`${CLUSTER_BASELINE_DIRECTORY}/manifests.yaml`, toRecordedYamlDocuments(objects.map(copyPlain)));
    platform.tree.addFile(
      `${CLUSTER_BASELINE_DIRECTORY}/kustomization.yaml`,
      toRecordedYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['manifests.yaml'] }),
    );
    this.repoPath = `${platform.repoPath}/${CLUSTER_BASELINE_DIRECTORY}`;
    this.namespaces = namespaces;
    this.objects = objects;
  }
}
