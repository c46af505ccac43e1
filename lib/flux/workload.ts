import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Document } from 'yaml';
import { IntOrString, KubeDeployment, KubeNamespace, KubeService, Quantity } from 'cdk8s-plus-27/lib/imports/k8s';
import { ConfigError } from '../platform/errors';
import { SecretStoreHandle } from '../platform/secrets';
import { storeSecret } from '../platform/external-secrets/store-secret';
import { ManifestObject } from '../platform/gitops-tree';
import { Platform } from '../platform/platform';
import { markContainerImage, toMarkableDocument } from './image-setters';
import { checkImageName } from './image-repository';
import { ImagePolicy } from './image-policy';
import { Kustomization } from './kustomization';
import { ManifestDirectory } from './manifest-directory';
import { FluxControllerResources } from './settings';
import { IFluxSource } from './source';
import { checkNamespace, checkSecretName, FLUX_NAMESPACE } from './validation';
import { RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT } from '../platform/workload-security';

/** Options for {@link FluxWorkload}. */
export interface FluxWorkloadProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** The workload name: its namespace, Deployment and Service. */
  readonly name: string;
  /** The image repository (`ghcr.io/<owner>/api-service`). */
  readonly image: string;
  /** The image tag deployed (never `latest`). */
  readonly tag: string;
  /** The container port. */
  readonly port: number;
  /** Replicas. @default 1 */
  readonly replicas?: number;
  /** Requests and limits. @default - 100m/128Mi requests, 500m/256Mi limits */
  readonly resources?: FluxControllerResources;
  /**
   * The ImagePolicy whose latest image is written into the Deployment (its
   * setter marker is added to the container image).
   * @default - no marker; the tag only changes through Git
   */
  readonly imagePolicy?: ImagePolicy;
  /** The source the tree is synced from (the environment's GitRepository). */
  readonly source: IFluxSource;
  /** Reconcile interval of the workload's Kustomization. @default '10m' */
  readonly interval?: string;
  /** Delete removed objects. @default false */
  readonly prune?: boolean;
  /** Apply as this ServiceAccount of flux-system (`kustomize-controller` under the lockdown). @default - the controller's identity */
  readonly serviceAccountName?: string;
  /** The chart the workload's Kustomization goes into (a chart of the infrastructure section). */
  readonly kustomizationScope: Construct;
  /**
   * A docker-registry Secret in the workload's namespace that the kubelet
   * pulls the image with (a private registry). With a secret store
   * (`secretStore`), an ExternalSecret in the workload's directory writes it
   * from the store key `flux/<name>` (`.dockerconfigjson`); without one it is
   * a prerequisite.
   * @default - the image is pulled anonymously
   */
  readonly imagePullSecret?: string;
  /** The store the pull secret's ExternalSecret reads (the Flux module's `secretStore`). @default - none: the pull secret is a prerequisite */
  readonly secretStore?: SecretStoreHandle;
}

/**
 * A platform workload deployed by Flux from the GitOps tree: its namespace,
 * a hardened Deployment (non-root, read-only root filesystem, requests and
 * limits, pinned tag) and a Service, written as plain YAML to
 * `workloads/<name>/` so the image-policy setter marker survives, and the
 * Flux Kustomization that applies that directory.
 */
export class FluxWorkload extends Construct {
  /** The plain-file directory. */
  public readonly directory: ManifestDirectory;
  /** The Kustomization applying it. */
  public readonly kustomization: Kustomization;
  /** The workload name. */
  public readonly name: string;
  /** The full image reference deployed. */
  public readonly imageReference: string;

  constructor(scope: Construct, id: string, props: FluxWorkloadProps) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const where = this.node.path;
    const name = checkNamespace(where, 'name', props.name);
    checkImageName(where, 'image', props.image);
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(props.tag) || props.tag === 'latest') {
      throw new ConfigError(where, 'tag', props.tag, 'Pin an explicit tag such as "v2.1.0" (never "latest").');
    }
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
      throw new ConfigError(where, 'port', props.port, 'Use a TCP port between 1 and 65535.');
    }
    const replicas = props.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new ConfigError(where, 'replicas', replicas, 'Use a whole number of at least 1.');
    }
    const resources = props.resources ?? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    this.name = name;
    this.imageReference = `${props.image}:${props.tag}`;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'workload' };

    const namespace = KubeNamespace.manifest({ metadata: { name } }) as ManifestObject;
    const deployment = KubeDeployment.manifest({
      metadata: { name, namespace: name, labels },
      spec: {
        replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            ...(props.imagePullSecret !== undefined ? { imagePullSecrets: [{ name: props.imagePullSecret }] } : {}),
            securityContext: RESTRICTED_POD_SECURITY_CONTEXT,
            containers: [
              {
                name,
                image: this.imageReference,
                ports: [{ name: 'http', containerPort: props.port }],
                readinessProbe: { tcpSocket: { port: IntOrString.fromString('http') }, periodSeconds: 10 },
                resources: {
                  requests: { cpu: Quantity.fromString(resources.requests.cpu), memory: Quantity.fromString(resources.requests.memory) },
                  limits: { cpu: Quantity.fromString(resources.limits.cpu), memory: Quantity.fromString(resources.limits.memory) },
                },
                securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
              },
            ],
          },
        },
      },
    }) as ManifestObject;
    const service = KubeService.manifest({
      metadata: { name, namespace: name, labels },
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': name },
        ports: [{ name: 'http', port: 80, targetPort: IntOrString.fromString('http') }],
      },
    }) as ManifestObject;

    // The pull secret, applied with the workload (its namespace is in the same directory).
    const pullSecret: ManifestObject[] = [];
    if (props.imagePullSecret !== undefined) {
      const secretName = checkSecretName(where, 'imagePullSecret', props.imagePullSecret);
      const chart = new Chart(new App(), 'pull-secret');
      storeSecret(platform, chart, 'PullSecret', {
        name: secretName,
        namespace: name,
        keys: ['.dockerconfigjson'],
        readBy: `Deployment ${name}/${name}`,
        type: 'kubernetes.io/dockerconfigjson',
        remoteKey: `flux/${secretName}`,
        store: props.secretStore,
      });
      pullSecret.push(...(chart.toJson() as ManifestObject[]));
    }
    const deploymentDocument: Document = props.imagePolicy
      ? markContainerImage(deployment, name, props.imagePolicy)
      : toMarkableDocument(deployment);
    this.directory = new ManifestDirectory(this, 'Directory', {
      platform,
      directory: `workloads/${name}`,
      documents: [namespace, ...pullSecret, deploymentDocument, service],
    });
    this.kustomization = new Kustomization(props.kustomizationScope, `Workload-${name}`, {
      name: `workload-${name}`,
      namespace: FLUX_NAMESPACE,
      source: props.source,
      path: this.directory.repoPath,
      interval: props.interval ?? '10m',
      prune: props.prune ?? false,
      timeout: '5m',
      serviceAccountName: props.serviceAccountName,
      healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: name }],
    });
  }
}
