/**
 * Flux object metrics through kube-state-metrics.
 *
 * The seeds alert on `gotk_reconcile_condition` and `gotk_suspend_status`.
 * Flux deprecated those in v2.1 and the controllers no longer record them
 * (the CRDs this project pins are from source-controller v1.9 and
 * kustomize-controller v1.9): alerts on them would never fire. Flux's
 * supported replacement is kube-state-metrics' custom resource state
 * metrics, one `gotk_resource_info` series per Flux object with its
 * `ready` and `suspended` state as labels; kube-prometheus-stack ships
 * kube-state-metrics, so this module configures it when Flux is on.
 * The controllers' own `gotk_reconcile_duration_seconds` is still recorded
 * and scraped through the PodMonitors.
 */

/** The metric the configuration produces (prefix `gotk`, name `resource_info`). */
export const FLUX_RESOURCE_INFO = 'gotk_resource_info';

/** One Flux kind with the API version kube-state-metrics watches. */
interface FluxKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

/** The Flux kinds whose state is exported, at the API versions of the pinned CRDs. */
export const FLUX_KINDS: readonly FluxKind[] = [
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations' },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', plural: 'gitrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'OCIRepository', plural: 'ocirepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', plural: 'helmrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmChart', plural: 'helmcharts' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'Bucket', plural: 'buckets' },
  { group: 'notification.toolkit.fluxcd.io', version: 'v1', kind: 'Receiver', plural: 'receivers' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImageRepository', plural: 'imagerepositories' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImagePolicy', plural: 'imagepolicies' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImageUpdateAutomation', plural: 'imageupdateautomations' },
];

/**
 * The `kube-state-metrics` values of kube-prometheus-stack that export
 * `gotk_resource_info{customresource_kind, name, exported_namespace, ready, suspended}`:
 * the custom resource state configuration and the RBAC to list and watch
 * the Flux objects.
 */
export function fluxKubeStateMetricsValues(): Record<string, unknown> {
  const groups = [...new Set(FLUX_KINDS.map((k) => k.group))].sort();
  return {
    rbac: {
      extraRules: [
        { apiGroups: groups, resources: FLUX_KINDS.map((k) => k.plural).sort(), verbs: ['list', 'watch'] },
      ],
    },
    customResourceState: {
      enabled: true,
      config: {
        spec: {
          resources: FLUX_KINDS.map((k) => ({
            groupVersionKind: { group: k.group, version: k.version, kind: k.kind },
            metricNamePrefix: 'gotk',
            metrics: [
              {
                name: 'resource_info',
                help: `The current state of a Flux ${k.kind}.`,
                each: { type: 'Info', info: { labelsFromPath: { name: ['metadata', 'name'] } } },
                labelsFromPath: {
                  exported_namespace: ['metadata', 'namespace'],
                  ready: ['status', 'conditions', '[type=Ready]', 'status'],
                  suspended: ['spec', 'suspend'],
                },
              },
            ],
          })),
        },
      },
    },
  };
}
