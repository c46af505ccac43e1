import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { isPinnedImage } from './internal';
import {
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeCronJob,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-27/lib/imports/k8s';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../platform/workload-security';

/**
 * The reaper's image: the jx-preview plugin image (jx, kubectl and a POSIX
 * shell), at the version the jx3 pipeline catalog's preview step uses.
 */
export const PREVIEW_REAPER_IMAGE = 'ghcr.io/jenkins-x-plugins/jx-preview:0.7.20';

/** Options for {@link PreviewReaper}. */
export interface PreviewReaperProps {
  /** The time to live of a preview, in seconds. */
  readonly ttlSeconds: number;
  /** When the reaper runs (cron). */
  readonly schedule: string;
  /**
   * The namespace of Jenkins X, where the `Preview` objects and the reaper live.
   * @default 'jx'
   */
  readonly namespace?: string;
  /**
   * The image, pinned.
   * @default PREVIEW_REAPER_IMAGE
   */
  readonly image?: string;
}

/**
 * Deletes preview environments older than a time to live, which jx-preview
 * does not offer itself (its garbage collector only removes the previews of
 * closed and merged pull requests). On its schedule it lists the
 * `previews.preview.jenkins.io` objects, and for each created before the
 * cut-off deletes the preview namespace (every release of the preview lives
 * there) and the `Preview`. It only touches previews whose namespace is named
 * like one (`<jx namespace>-*-pr-*`). A later push to the pull request deploys a
 * fresh preview.
 */
export class PreviewReaper extends Construct {
  /** The CronJob. */
  public readonly cronJob: KubeCronJob;
  /** The name of the CronJob, service account and roles. */
  public readonly name = 'jx-preview-reaper';

  constructor(scope: Construct, id: string, props: PreviewReaperProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'jx';
    const image = props.image ?? PREVIEW_REAPER_IMAGE;
    if (!isPinnedImage(image)) {
      throw new ConfigError(this.node.path, 'image', image, 'Pin the image to an explicit tag or digest.');
    }
    if (!Number.isInteger(props.ttlSeconds) || props.ttlSeconds < 3600) {
      throw new ConfigError(this.node.path, 'ttlSeconds', props.ttlSeconds, 'Use a whole number of seconds, at least 3600.');
    }
    const name = this.name;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'preview-ttl' };

    new KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace, labels } });
    new KubeRole(this, 'Role', {
      metadata: { name, namespace, labels },
      rules: [{ apiGroups: ['preview.jenkins.io'], resources: ['previews'], verbs: ['get', 'list', 'delete'] }],
    });
    new KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    // Namespaces are cluster-scoped; the script only deletes preview namespaces.
    new KubeClusterRole(this, 'ClusterRole', {
      metadata: { name, labels },
      rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'delete'] }],
    });
    new KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });

    this.cronJob = new KubeCronJob(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        schedule: props.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: name,
                restartPolicy: 'Never',
                securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
                containers: [
                  {
                    name: 'reaper',
                    image,
                    command: ['/bin/sh', '-c', reaperScript()],
                    env: [
                      { name: 'HOME', value: '/tmp' },
                      { name: 'PREVIEW_NAMESPACE', value: namespace },
                      { name: 'TTL_SECONDS', value: String(props.ttlSeconds) },
                    ],
                    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
                    resources: {
                      requests: { cpu: Quantity.fromString('50m'), memory: Quantity.fromString('64Mi') },
                      limits: { cpu: Quantity.fromString('200m'), memory: Quantity.fromString('256Mi') },
                    },
                    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                  },
                ],
                volumes: [{ name: 'tmp', emptyDir: {} }],
              },
            },
          },
        },
      },
    });
  }
}

/**
 * The reaper's POSIX shell script. ISO 8601 UTC timestamps sort as strings,
 * so comparing `creationTimestamp` with the cut-off needs no date parsing.
 */
export function reaperScript(): string {
  return [
    'set -eu',
    'cutoff="$(date -u -d "@$(( $(date -u +%s) - TTL_SECONDS ))" +%Y-%m-%dT%H:%M:%SZ)"',
    'echo "deleting previews created before ${cutoff}"',
    'kubectl get previews.preview.jenkins.io --namespace "${PREVIEW_NAMESPACE}" \\',
    '  -o jsonpath=\'{range .items[*]}{.metadata.name}{" "}{.metadata.creationTimestamp}{" "}{.spec.resources.namespace}{"\\n"}{end}\' |',
    'while read -r name created namespace; do',
    '  [ -n "${name}" ] || continue',
    '  if expr "${created}" \\< "${cutoff}" >/dev/null; then',
    '    case "${namespace}" in',
    '      "${PREVIEW_NAMESPACE}"-*-pr-*)',
    '        echo "preview ${name} was created at ${created}: deleting namespace ${namespace}"',
    '        kubectl delete namespace "${namespace}" --ignore-not-found --wait=false',
    '        kubectl delete previews.preview.jenkins.io "${name}" --namespace "${PREVIEW_NAMESPACE}" --ignore-not-found ;;',
    '      *) echo "preview ${name}: namespace \\"${namespace}\\" is not a preview namespace, left alone" ;;',
    '    esac',
    '  fi',
    'done',
    '',
  ].join('\n');
}
