/**
 * Pass/fail fixtures for every policy: the synth-time rule is asserted on them,
 * and the rules they trigger are asserted to be in the template's Rego.
 */
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { PolicyId } from '../../../lib/security/policies/ids';

/** One fixture: an object and the rules it breaks ([] = passes). */
export interface PolicyFixture {
  readonly name: string;
  readonly object: ManifestObject;
  /** Rules broken, in order of the findings ([] = compliant or out of scope). */
  readonly rules: readonly string[];
  /** A substring of the first finding's detail. */
  readonly detail?: string;
}

const REVIEWED = {
  'app.kubernetes.io/managed-by': 'gitops-platform',
  'app.kubernetes.io/part-of': 'gitops-platform',
  'security.company.com/reviewed': 'SEC-1042',
  'gitops.platform/environment': 'test',
};

type Json = Record<string, unknown>;

/** A compliant container. */
export function container(overrides: Json = {}): Json {
  return {
    name: 'app',
    image: 'registry.company.com/app:1.2.3',
    securityContext: { runAsNonRoot: true, runAsUser: 10001 },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    ...overrides,
  };
}

function podTemplate(spec: Json): Json {
  return { metadata: { labels: { app: 'web' } }, spec };
}

/** A workload of `kind` whose pod spec is `spec`. */
export function workload(kind: string, spec: Json, name = 'web'): ManifestObject {
  const metadata = { name, namespace: 'team-a', labels: { ...REVIEWED } };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata, spec };
    case 'CronJob':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: podTemplate(spec) } } } };
    case 'Job':
      return { apiVersion: 'batch/v1', kind, metadata, spec: { template: podTemplate(spec) } };
    case 'Rollout':
      return { apiVersion: 'argoproj.io/v1alpha1', kind, metadata, spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(spec) } };
    default:
      return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(spec) } };
  }
}

function application(spec: Json, labels: Json = REVIEWED, name = 'web'): ManifestObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd', labels }, spec };
}

function appSet(spec: Json, labels: Json = REVIEWED): ManifestObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', metadata: { name: 'apps', namespace: 'argocd', labels }, spec };
}

function fluxSource(kind: string, url: string): ManifestObject {
  return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind, metadata: { name: 'src', namespace: 'flux-system', labels: { ...REVIEWED } }, spec: { url, interval: '1m' } };
}

function service(type: string, annotations?: Record<string, string>): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'team-a', labels: { ...REVIEWED }, ...(annotations ? { annotations } : {}) },
    spec: { type, selector: { app: 'web' }, ports: [{ port: 80 }] },
  };
}

function secret(extra: Json, metadata: Json = {}): ManifestObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'team-a', labels: { ...REVIEWED }, ...metadata }, ...extra };
}

const source = (repoURL: string): Json => ({ repoURL, targetRevision: 'main', path: 'apps' });
const { ['security.company.com/reviewed']: _review, ...UNREVIEWED } = REVIEWED;
const template = (labels: Json): Json => ({ metadata: { name: '{{path.basename}}', labels }, spec: { project: 'default', source: source('https://github.com/company/apps'), destination: { server: 'https://kubernetes.default.svc' } } });

export const FIXTURES: Readonly<Record<PolicyId, readonly PolicyFixture[]>> = {
  'required-labels': [
    { name: 'an Application with every label', object: application({ source: source('https://github.com/company/apps') }), rules: [] },
    { name: 'a Deployment (not a delivery object)', object: { ...workload('Deployment', { containers: [container()] }), metadata: { name: 'web' } }, rules: [] },
    {
      name: 'an Application without the review label',
      object: application({ source: source('https://github.com/company/apps') }, UNREVIEWED),
      rules: ['missing required label'],
      detail: 'missing required label "security.company.com/reviewed"',
    },
    {
      name: 'an Application with an empty review label',
      object: application({ source: source('https://github.com/company/apps') }, { ...REVIEWED, 'security.company.com/reviewed': '' }),
      rules: ['missing required label'],
      detail: '"security.company.com/reviewed"',
    },
    {
      name: 'a Flux Kustomization without any label',
      object: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: {} },
      rules: ['missing required label', 'missing required label', 'missing required label'],
      detail: 'missing required label "app.kubernetes.io/managed-by"',
    },
    { name: 'an ApplicationSet whose template carries the labels', object: appSet({ generators: [], template: template(REVIEWED) }), rules: [] },
    {
      name: 'an ApplicationSet whose generated Applications would lack the review label',
      object: appSet({ generators: [], template: template(UNREVIEWED) }),
      rules: ['spec.template.metadata is missing required label'],
      detail: 'spec.template.metadata is missing required label "security.company.com/reviewed"',
    },
  ],
  'allowed-repositories': [
    { name: 'an Application from github.com/company', object: application({ source: source('https://github.com/company/apps') }), rules: [] },
    { name: 'a GitRepository from gitlab.company.com', object: fluxSource('GitRepository', 'https://gitlab.company.com/team/repo'), rules: [] },
    {
      name: 'an Application from another organisation',
      object: application({ source: source('https://github.com/evil/apps') }),
      rules: ['is not under an allowed prefix'],
      detail: 'repository "https://github.com/evil/apps" (spec.source.repoURL) is not under an allowed prefix',
    },
    {
      name: 'an Application from a sibling organisation sharing the prefix text',
      object: application({ source: source('https://github.com/company-fork/apps') }),
      rules: ['is not under an allowed prefix'],
      detail: 'https://github.com/company-fork/apps',
    },
    {
      name: 'a multi-source Application with one foreign source',
      object: application({ sources: [source('https://github.com/company/apps'), source('https://charts.bitnami.com/bitnami')] }),
      rules: ['is not under an allowed prefix'],
      detail: '(spec.sources[1].repoURL)',
    },
    {
      name: 'an Application whose repository is a template expression',
      object: application({ source: source('{{ .Values.repo }}') }),
      rules: ['is not under an allowed prefix'],
      detail: '"{{ .Values.repo }}"',
    },
    {
      name: 'an ApplicationSet with a foreign git generator',
      object: appSet({ generators: [{ git: { repoURL: 'https://github.com/evil/apps', revision: 'main', directories: [{ path: '*' }] } }], template: template(REVIEWED) }),
      rules: ['is not under an allowed prefix'],
      detail: '(spec.generators[0].git.repoURL)',
    },
    {
      name: 'an ApplicationSet with a foreign git generator inside a matrix',
      object: appSet({
        generators: [{ matrix: { generators: [{ clusters: {} }, { git: { repoURL: 'https://gitlab.com/x/y', revision: 'main', files: [{ path: 'a.json' }] } }] } }],
        template: template(REVIEWED),
      }),
      rules: ['is not under an allowed prefix'],
      detail: '(spec.generators[0].matrix.generators[1].git.repoURL)',
    },
    {
      name: 'a HelmRepository from a public chart repository',
      object: fluxSource('HelmRepository', 'https://charts.bitnami.com/bitnami'),
      rules: ['is not under an allowed prefix'],
      detail: '(spec.url)',
    },
    {
      name: 'an OCIRepository outside the prefixes',
      object: fluxSource('OCIRepository', 'oci://ghcr.io/stefanprodan/manifests/podinfo'),
      rules: ['is not under an allowed prefix'],
      detail: 'oci://ghcr.io/stefanprodan/manifests/podinfo',
    },
  ],
  'workload-security': [
    { name: 'a compliant Deployment', object: workload('Deployment', { containers: [container()] }), rules: [] },
    {
      name: 'a Deployment inheriting runAsNonRoot from the pod',
      object: workload('Deployment', { securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers: [container({ securityContext: undefined })] }),
      rules: [],
    },
    { name: 'a Rollout with a workloadRef (the Deployment is checked)', object: { ...workload('Rollout', {}), spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } }, rules: [] },
    {
      name: 'a Deployment without a security context',
      object: workload('Deployment', { containers: [container({ securityContext: undefined })] }),
      rules: ['does not set runAsNonRoot: true'],
      detail: 'container "app" (containers) does not set runAsNonRoot: true',
    },
    {
      name: 'a container overriding the pod with runAsNonRoot: false',
      object: workload('StatefulSet', { securityContext: { runAsNonRoot: true }, containers: [container({ securityContext: { runAsNonRoot: false } })] }),
      rules: ['does not set runAsNonRoot: true'],
    },
    {
      name: 'a DaemonSet running as user 0',
      object: workload('DaemonSet', { containers: [container({ securityContext: { runAsNonRoot: true, runAsUser: 0 } })] }),
      rules: ['runs as user 0 (root)'],
      detail: 'container "app" (containers) runs as user 0 (root)',
    },
    {
      name: 'a Job without a memory limit',
      object: workload('Job', { containers: [container({ resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m' } } })] }),
      rules: ['has no resources'],
      detail: 'container "app" (containers) has no resources.limits.memory',
    },
    {
      name: 'a CronJob whose container has no resources at all',
      object: workload('CronJob', { containers: [container({ resources: undefined })] }),
      rules: ['has no resources', 'has no resources', 'has no resources', 'has no resources'],
      detail: 'has no resources.limits.cpu',
    },
    {
      name: 'a Pod with a root init container',
      object: workload('Pod', { containers: [container()], initContainers: [container({ name: 'init', securityContext: {} })] }),
      rules: ['does not set runAsNonRoot: true'],
      detail: 'container "init" (initContainers)',
    },
    {
      name: 'an Argo Rollout without a security context',
      object: workload('Rollout', { containers: [container({ securityContext: undefined })] }),
      rules: ['does not set runAsNonRoot: true'],
    },
  ],
  'pinned-images': [
    { name: 'an image with a version tag', object: workload('Deployment', { containers: [container()] }), rules: [] },
    {
      name: 'an image pinned by digest',
      object: workload('Deployment', { containers: [container({ image: `registry.company.com/app@sha256:${'a'.repeat(64)}` })] }),
      rules: [],
    },
    { name: 'a registry with a port and a tag', object: workload('Deployment', { containers: [container({ image: 'registry.company.com:5000/app:1.0.0' })] }), rules: [] },
    {
      name: 'an untagged image',
      object: workload('Deployment', { containers: [container({ image: 'nginx' })] }),
      rules: ['has no tag'],
      detail: 'image "nginx" has no tag',
    },
    {
      name: 'a registry port is not a tag',
      object: workload('CronJob', { containers: [container({ image: 'registry.company.com:5000/app' })] }),
      rules: ['has no tag'],
      detail: 'image "registry.company.com:5000/app" has no tag',
    },
    {
      name: 'the latest tag',
      object: workload('Rollout', { containers: [container({ image: 'web-app:latest' })] }),
      rules: ['uses a forbidden tag'],
      detail: 'image "web-app:latest" uses a forbidden tag ("latest")',
    },
    {
      name: 'a latest init container',
      object: workload('Pod', { containers: [container()], initContainers: [container({ name: 'init', image: 'busybox:latest' })] }),
      rules: ['uses a forbidden tag'],
      detail: 'container "init" (initContainers)',
    },
  ],
  'internal-load-balancer': [
    { name: 'a ClusterIP Service', object: service('ClusterIP'), rules: [] },
    { name: 'an Azure internal LoadBalancer', object: service('LoadBalancer', { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }), rules: [] },
    { name: 'an AWS internal LoadBalancer', object: service('LoadBalancer', { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }), rules: [] },
    {
      name: 'a public LoadBalancer',
      object: service('LoadBalancer'),
      rules: ['is a LoadBalancer without an internal-load-balancer annotation'],
      detail: 'is a LoadBalancer without an internal-load-balancer annotation',
    },
    {
      name: 'an internal annotation set to false',
      object: service('LoadBalancer', { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' }),
      rules: ['is a LoadBalancer without an internal-load-balancer annotation'],
    },
  ],
  'no-plain-secrets': [
    { name: 'a Secret without data', object: secret({ type: 'Opaque' }), rules: [] },
    {
      name: 'a Secret owned by a controller (unsealed SealedSecret)',
      object: secret({ data: { password: 'c2VjcmV0' } }, { ownerReferences: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', name: 'creds', uid: 'u' }] }),
      rules: [],
    },
    {
      name: 'a Secret written by the External Secrets Operator',
      object: secret({ data: { password: 'c2VjcmV0' } }, { labels: { ...REVIEWED, 'reconcile.external-secrets.io/managed': 'true' } }),
      rules: [],
    },
    {
      name: 'a Secret with data',
      object: secret({ data: { password: 'c2VjcmV0' } }),
      rules: ['holds literal data'],
      detail: 'holds literal data in data',
    },
    {
      name: 'a Secret with stringData (seed 001 cluster secret)',
      object: secret({ stringData: { name: 'production-cluster' }, data: { token: 'dA==' } }),
      rules: ['holds literal data'],
      detail: 'holds literal data in data, stringData',
    },
  ],
};
