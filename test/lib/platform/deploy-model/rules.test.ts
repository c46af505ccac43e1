import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManifestObject } from '../../../../lib/platform/gitops-tree';
import { deployModelError, renderDeployReport } from '../../../../lib/platform/deploy-model/model';
import { found, REPO, runFixture, tfNamespace } from './support';

const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };
const hardenedPod = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
const deployment = (name: string, podSpec: Record<string, unknown>, namespace = 'apps'): ManifestObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
});

describe('deploy model: references', () => {
  const consumer = deployment('web', { ...hardenedPod, containers: [{ ...hardenedPod.containers[0], envFrom: [{ secretRef: { name: 'db' } }] }] });
  const store: ManifestObject = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'vault' }, spec: {} };

  it('fails when a Secret has no producer', () => {
    assert.deepEqual(found(runFixture({ tree: { 'apps/web.yaml': [consumer] } }), 'references.secret'), [
      'Deployment/apps/web [references.secret]: container app envFrom names Secret "apps/db", which nothing creates (no Terraform resource, ExternalSecret, SealedSecret, chart or prerequisite)',
    ]);
  });

  it('passes when an ExternalSecret or a declared prerequisite produces it', () => {
    const es: ManifestObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db-credentials', namespace: 'apps' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'db' } },
    };
    assert.deepEqual(found(runFixture({ tree: { 'apps/web.yaml': [consumer, es, store] } }), 'references'), []);
    const prerequisite = runFixture({ tree: { 'apps/web.yaml': [consumer] }, settings: { prerequisiteSecrets: [{ namespace: 'apps', name: 'db', why: 'created by the DBA team' }] } });
    assert.deepEqual(found(prerequisite, 'references'), []);
  });

  it('fails when a release Terraform waits for needs a Secret only the tree produces', () => {
    const es: ManifestObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'backup-credentials', namespace: 'backup' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'backup-credentials' } },
    };
    const release = (wait: boolean) => ({
      type: 'helm_release',
      address: 'helm_release.backup',
      config: { name: 'backup', namespace: 'backup', chart: 'velero', values: ['credentials:\n  existingSecret: backup-credentials\n'], wait },
    });
    const chart = { release: 'backup', namespace: 'backup', chart: 'velero', facts: {} };
    const fixture = (wait: boolean) =>
      runFixture({ tree: { 'apps/backup.yaml': [es, store] }, terraform: [tfNamespace('flux-system'), tfNamespace('apps'), tfNamespace('backup'), release(wait)], charts: [chart] });
    assert.deepEqual(found(fixture(true), 'references.secretOrder'), [
      'HelmRelease(terraform)/backup/backup [references.secretOrder]: the release waits for pods that need Secret "backup/backup-credentials", which only ExternalSecret/backup/backup-credentials in the tree produces, and the tree is applied after every controller release',
    ]);
    // Without waiting, the pods start once the tree has produced the Secret.
    assert.deepEqual(found(fixture(false), 'references'), []);
  });

  it('reads a chart release\'s values when it has them, and parses the release\'s documents otherwise', () => {
    const es: ManifestObject = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'backup-credentials', namespace: 'backup' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, target: { name: 'backup-credentials' } },
    };
    // The document names one Secret, the values another: which one the rule reports says what was read.
    const release = {
      type: 'helm_release',
      address: 'helm_release.backup',
      config: { name: 'backup', namespace: 'backup', chart: 'velero', values: ['credentials:\n  existingSecret: from-document\n'], wait: true },
    };
    const terraform = [tfNamespace('flux-system'), tfNamespace('apps'), tfNamespace('backup'), release];
    const chart = { release: 'backup', namespace: 'backup', chart: 'velero', facts: {} };
    const named = (values?: unknown) =>
      found(runFixture({ tree: { 'apps/backup.yaml': [es, store] }, terraform, charts: [{ ...chart, ...(values !== undefined ? { values } : {}) }] }), 'references.secret')
        .map((v) => /Secret "([^"]+)"/.exec(v)![1]);
    assert.deepEqual(named(), ['backup/from-document']);
    assert.deepEqual(named({ credentials: { existingSecret: 'from-values' } }), ['backup/from-values']);
  });

  it('fails when an ExternalSecret reads from a store that does not exist', () => {
    const es: ManifestObject = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'apps' }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' } } };
    assert.deepEqual(found(runFixture({ tree: { 'apps/es.yaml': [es] } }), 'references.secretStore'), [
      'ExternalSecret/apps/db [references.secretStore]: reads from ClusterSecretStore "vault", which does not exist',
    ]);
  });

  it('fails when a synced path is not in the tree, unless declared external', () => {
    const ks: ManifestObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'extra', namespace: 'flux-system' },
      spec: { path: './clusters/test/extra', sourceRef: { kind: 'GitRepository', name: 'root' }, interval: '1m', prune: true },
    };
    const outside: ManifestObject = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'baseline', namespace: 'flux-system' },
      spec: { project: 'default', source: { repoURL: `${REPO}.git`, path: 'workloads/baseline' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' } },
    };
    assert.deepEqual(found(runFixture({ tree: { 'apps/sync.yaml': [ks, outside] } }), 'references.path'), [
      'Kustomization/flux-system/extra [references.path]: syncs "clusters/test/extra" from the platform repository, but the tree writes nothing there',
      'Application/flux-system/baseline [references.path]: syncs "workloads/baseline" from the platform repository, outside this environment\'s tree ("clusters/test"); nothing in this synth writes it',
    ]);
    const declared = runFixture({ tree: { 'apps/sync.yaml': [ks, outside] }, settings: { externalPaths: ['clusters/test/extra', 'workloads/baseline'] } });
    assert.deepEqual(found(declared, 'references.path'), []);
  });

  it('fails when a rendered object is in a file nothing syncs', () => {
    const cm: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orphan', namespace: 'apps' } };
    assert.deepEqual(found(runFixture({ tree: { 'infrastructure/orphan.yaml': [cm] } }), 'references.unsynced'), [
      'ConfigMap/apps/orphan [references.unsynced]: is rendered into the tree, but no Application or Kustomization applies "infrastructure/orphan.yaml"',
    ]);
  });

  it('fails on a missing AppProject, ClusterIssuer, service account and namespace', () => {
    const app: ManifestObject = {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'team', namespace: 'apps' },
      spec: { project: 'team-a', source: { repoURL: 'https://github.com/acme/team', path: '.' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'apps' } },
    };
    const ingress: ManifestObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'apps', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' } },
      spec: { tls: [{ secretName: 'web-tls', hosts: ['web.example.com'] }] },
    };
    const sa = deployment('worker', { ...hardenedPod, serviceAccountName: 'worker' });
    const ghost: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ghost' } };
    const result = runFixture({ tree: { 'apps/all.yaml': [app, ingress, sa, ghost] } });
    assert.deepEqual(found(result, 'references'), [
      'ConfigMap/ghost/x [references.namespace]: is in namespace "ghost", which nothing creates (1 object(s) there)',
      'Application/apps/team [references.appProject]: uses AppProject "team-a", which does not exist in "apps"',
      'Ingress/apps/web [references.clusterIssuer]: names ClusterIssuer "letsencrypt-prod", which nothing creates',
      'Deployment/apps/worker [references.serviceAccount]: spec.serviceAccountName names ServiceAccount "apps/worker", which nothing creates',
    ].sort((a, b) => ruleOrder(a) - ruleOrder(b)));
  });

  it('fails a secret store whose service account is missing, or has no IAM role for AWS JWT auth', () => {
    const awsStore = (sa: string): ManifestObject => ({
      apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws' },
      spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: sa, namespace: 'apps' } } } } } },
    });
    const chart = (annotations: Record<string, string>) => [{ release: 'eso', namespace: 'apps', chart: 'external-secrets', facts: { serviceAccounts: ['eso'], serviceAccountAnnotations: { eso: annotations } } }];
    assert.deepEqual(found(runFixture({ tree: { 'apps/s.yaml': [awsStore('other')] }, charts: chart({}) }), 'references'), [
      'ClusterSecretStore/aws [references.serviceAccount]: aws jwt auth names ServiceAccount "apps/other", which nothing creates',
    ]);
    assert.deepEqual(found(runFixture({ tree: { 'apps/s.yaml': [awsStore('eso')] }, charts: chart({}) }), 'references'), [
      'ClusterSecretStore/aws [references.serviceAccount]: aws jwt auth uses ServiceAccount "apps/eso", which has no eks.amazonaws.com/role-arn annotation: AWS cannot map its token to an IAM role',
    ]);
    const irsa = chart({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/eso' });
    assert.deepEqual(found(runFixture({ tree: { 'apps/s.yaml': [awsStore('eso')] }, charts: irsa }), 'references'), []);
  });

  it('fails an Argo CD RBAC grant on a project that does not exist', () => {
    const values = 'configs:\n  rbac:\n    policy.csv: |\n      p, role:dev, applications, sync, development/*, allow\n      p, role:dev, applications, get, */*, allow\n      p, role:ops, clusters, get, *, allow\n';
    const terraform = [tfNamespace('flux-system'), tfNamespace('apps'), { type: 'helm_release', address: 'helm_release.argocd', config: { name: 'argocd', namespace: 'apps', values: [values] } }];
    const charts = [{ release: 'argocd', namespace: 'apps', chart: 'argo-cd', facts: {} }];
    const cm: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'apps' } };
    assert.deepEqual(found(runFixture({ terraform, charts, tree: { 'apps/cm.yaml': [cm] } }), 'references'), [
      'HelmRelease(terraform)/apps/argocd [references.appProject]: the RBAC policy (policy.csv) grants on project "development", which does not exist',
    ]);
    const project: ManifestObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'development', namespace: 'apps' }, spec: {} };
    assert.deepEqual(found(runFixture({ terraform, charts, tree: { 'apps/p.yaml': [project] } }), 'references'), []);
  });

  it('counts what a chart creates (facts registered with the controller)', () => {
    const sa = deployment('worker', { ...hardenedPod, serviceAccountName: 'worker' });
    const result = runFixture({
      tree: { 'apps/all.yaml': [sa] },
      charts: [{ release: 'worker', namespace: 'apps', chart: 'worker', facts: { serviceAccounts: ['worker'] } }],
    });
    assert.deepEqual(found(result, 'references'), []);
  });
});

// The order referenceViolations reports in: per object, then the missing namespaces.
function ruleOrder(line: string): number {
  return line.includes('[references.namespace]') ? 1 : 0;
}

describe('deploy model: Pod Security', () => {
  it('fails a workload its namespace level refuses, with the upstream reason and detail', () => {
    const loose = deployment('web', { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false } }] });
    const result = runFixture({ tree: { 'apps/web.yaml': [loose] }, terraform: [tfNamespace('flux-system'), tfNamespace('apps', restricted)] });
    assert.deepEqual(found(result, 'podSecurity'), [
      'Deployment/apps/web [podSecurity.capabilities_restricted]: namespace "apps" enforces Pod Security "restricted": unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"])',
    ]);
  });

  it('passes a hardened workload, and anything in a namespace without a level (privileged)', () => {
    const ok = runFixture({ tree: { 'apps/web.yaml': [deployment('web', hardenedPod)] }, terraform: [tfNamespace('flux-system'), tfNamespace('apps', restricted)] });
    assert.deepEqual(found(ok, 'podSecurity'), []);
    const unlabelled = runFixture({ tree: { 'apps/web.yaml': [deployment('web', { hostNetwork: true, containers: [{ name: 'app' }] })] } });
    assert.deepEqual(found(unlabelled, 'podSecurity'), []);
  });

  it('checks the containers Istio injects, unless Istio runs with its CNI plugin', () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'istio-injection': 'enabled' };
    const fixture = { tree: { 'apps/web.yaml': [deployment('web', hardenedPod)] }, terraform: [tfNamespace('flux-system'), tfNamespace('apps', labels)] };
    assert.deepEqual(found(runFixture(fixture), 'podSecurity'), [
      'Deployment/apps/web [podSecurity.capabilities_baseline]: namespace "apps" enforces Pod Security "baseline" (with the containers Istio injects, without the CNI plugin): non-default capabilities (container "istio-init" must not include "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add)',
    ]);
    assert.deepEqual(found(runFixture({ ...fixture, settings: { istioCni: true } }), 'podSecurity'), []);
  });
});

describe('deploy model: network flows', () => {
  const denyAll = (ns: string): ManifestObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  const flow = { from: { namespace: 'apps', podLabels: { app: 'web' } }, to: { namespace: 'monitoring', podLabels: { app: 'prometheus' } }, port: 9090, why: 'analysis queries Prometheus' };
  const terraform = [tfNamespace('flux-system'), tfNamespace('apps'), tfNamespace('monitoring')];

  it('fails a flow refused at both ends (a pod selected by any policy of a type is isolated)', () => {
    const result = runFixture({ tree: { 'apps/np.yaml': [denyAll('apps'), denyAll('monitoring')] }, terraform, flows: [flow] });
    assert.deepEqual(found(result, 'network'), [
      'flow apps pods app=web -> monitoring pods app=prometheus:9090/TCP [network.flow]: analysis queries Prometheus: refused at the egress of the source (apps pods app=web is isolated by NetworkPolicy/apps/default-deny-all and no rule allows it)',
      'flow apps pods app=web -> monitoring pods app=prometheus:9090/TCP [network.flow]: analysis queries Prometheus: refused at the ingress of the destination (monitoring pods app=prometheus is isolated by NetworkPolicy/monitoring/default-deny-all and no rule allows it)',
    ]);
  });

  it('passes when each end allows it (namespace selector on the automatic name label, port match)', () => {
    const egress: ManifestObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'to-prometheus', namespace: 'apps' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] }] },
    };
    const ingress: ManifestObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'from-apps', namespace: 'monitoring' },
      spec: { podSelector: { matchLabels: { app: 'prometheus' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } }], ports: [{ port: 9000, endPort: 9100 }] }] },
    };
    const result = runFixture({ tree: { 'apps/np.yaml': [denyAll('apps'), denyAll('monitoring'), egress, ingress] }, terraform, flows: [flow] });
    assert.deepEqual(found(result, 'network'), []);
  });

  it('fails an external flow when no ipBlock allows the port', () => {
    const https: ManifestObject = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'https', namespace: 'apps' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }] },
    };
    const smtp = { from: { namespace: 'apps' }, to: { external: 'smtp.example.com' }, port: 587, why: 'mail' };
    const git = { from: { namespace: 'apps' }, to: { external: 'github.com' }, port: 443, why: 'git' };
    assert.deepEqual(found(runFixture({ tree: { 'apps/np.yaml': [https] }, terraform, flows: [smtp, git] }), 'network'), [
      'flow apps -> smtp.example.com:587/TCP [network.flow]: mail: refused at the egress of the source (apps is isolated by NetworkPolicy/apps/https and no rule allows it)',
    ]);
  });
});

describe('deploy model: metrics', () => {
  const template: ManifestObject = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'success-rate', namespace: 'apps' },
    spec: { metrics: [{ name: 'success-rate', provider: { prometheus: { address: 'http://prometheus.monitoring.svc:9090', query: 'sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[5m])) / sum(rate(http_requests_total[5m]))' } } }] },
  };
  const rollout: ManifestObject = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace: 'apps' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: hardenedPod }, strategy: { canary: { steps: [{ analysis: { templates: [{ templateName: 'success-rate' }] } }] } } },
  };
  const service: ManifestObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };

  it('fails when nothing scrapes the workloads a template measures', () => {
    assert.deepEqual(found(runFixture({ tree: { 'apps/web.yaml': [template, rollout, service] } }), 'metrics'), [
      'AnalysisTemplate/apps/success-rate [metrics.source]: metric success-rate reads "http_requests_total", which nothing scrapes from Rollout/apps/web; the query returns no data and the analysis fails',
    ]);
  });

  it('passes when a ServiceMonitor selects the workload\'s Service', () => {
    const monitor: ManifestObject = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web', namespace: 'apps' }, spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http' }] } };
    assert.deepEqual(found(runFixture({ tree: { 'apps/web.yaml': [template, rollout, service, monitor] } }), 'metrics'), []);
  });

  it('counts the metrics of an exporter the chart scrapes itself, and recording rules', () => {
    const rule: ManifestObject = {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r', namespace: 'apps' },
      spec: { groups: [{ name: 'g', rules: [{ record: 'job:up:sum', expr: 'sum(up)' }, { alert: 'Down', expr: 'job:up:sum == 0 or kube_pod_info == 0' }, { alert: 'Mem', expr: 'container_memory_working_set_bytes > 1' }] }] },
    };
    const charts = [{ release: 'kps', namespace: 'apps', chart: 'kube-prometheus-stack', facts: { services: [{ name: 'ksm', ports: [{ port: 8080 }], metrics: ['kube_'], monitoredByChart: true }] } }];
    assert.deepEqual(found(runFixture({ tree: { 'apps/r.yaml': [rule] }, charts }), 'metrics'), [
      'PrometheusRule/apps/r [metrics.source]: rules Mem read "container_memory_working_set_bytes", which no exporter, recording rule or workload monitor provides',
    ]);
  });
});

describe('deploy model: AppProjects', () => {
  const project: ManifestObject = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team', namespace: 'apps' },
    spec: { sourceRepos: ['https://github.com/acme/team-*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-*' }], clusterResourceWhitelist: [] },
  };
  const app = (ns: string, repo: string): ManifestObject => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'apps' },
    spec: { project: 'team', source: { repoURL: repo, path: '.' }, destination: { server: 'https://kubernetes.default.svc', namespace: ns }, syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
  });

  it('fails when the project forbids the source, the destination or the Namespace CreateNamespace makes', () => {
    assert.deepEqual(found(runFixture({ tree: { 'apps/p.yaml': [project, app('other', 'https://github.com/evil/x')] } }), 'appProject'), [
      'Application/apps/a [appProject.sourceRepo]: AppProject "team" does not permit source repository "https://github.com/evil/x" (sourceRepos: ["https://github.com/acme/team-*"])',
      'Application/apps/a [appProject.destination]: AppProject "team" does not permit destination https://kubernetes.default.svc namespace "other"',
      'Application/apps/a [appProject.clusterResource]: AppProject "team" does not permit cluster-scoped Namespace (needed by CreateNamespace=true)',
    ]);
  });

  it('passes when the project permits them', () => {
    const open = { ...project, spec: { ...(project.spec as object), clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] } } as ManifestObject;
    assert.deepEqual(found(runFixture({ tree: { 'apps/p.yaml': [open, app('team-web', 'https://github.com/acme/team-web')] } }), 'appProject'), []);
  });
});

describe('deploy model: ownership', () => {
  it('fails an object applied by Terraform and Flux', () => {
    const ns: ManifestObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } };
    assert.deepEqual(found(runFixture({ tree: { 'apps/ns.yaml': [ns] } }), 'ownership'), [
      'Namespace/apps [ownership.multipleOwners]: is applied by 2 owners: terraform (kubernetes_namespace_v1.ns_apps), flux (Kustomization/flux-system/apps); each reverts or prunes the other\'s changes',
    ]);
  });

  it('fails namespace labels a chart rewrites unless Terraform ignores them', () => {
    const charts = [{ release: 'gatekeeper', namespace: 'apps', chart: 'gatekeeper', facts: { namespaceLabels: { '': ['admission.gatekeeper.sh/ignore'] } } }];
    assert.deepEqual(found(runFixture({ charts }), 'ownership'), [
      'Namespace/apps [ownership.controllerRewrites]: Terraform manages the namespace\'s labels, and chart gatekeeper (release gatekeeper) sets "admission.gatekeeper.sh/ignore" on it: every plan shows drift and apply reverts the controller',
    ]);
    const ignored = [tfNamespace('flux-system'), tfNamespace('apps', {}, { ignore_changes: ['metadata[0].labels["admission.gatekeeper.sh/ignore"]'] })];
    assert.deepEqual(found(runFixture({ charts, terraform: ignored }), 'ownership'), []);
  });
});

describe('deploy model: enforcement and report', () => {
  const ghost: ManifestObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ghost' } };

  it('under deny, one error lists each violation with object, rule, message and fix', () => {
    const result = runFixture({ tree: { 'apps/x.yaml': [ghost] }, enforcement: 'deny' });
    assert.equal(result.failsSynth, true);
    assert.equal(
      deployModelError(result).message,
      'Environment "test": the deploy model found 1 violation(s) (policyEnforcement "deny"):\n' +
        '  - ConfigMap/ghost/x [references.namespace] (apps/x.yaml): is in namespace "ghost", which nothing creates (1 object(s) there). Fix: Create namespace "ghost" (platform.namespace, a Namespace in the tree, or CreateNamespace=true on the Application that syncs it).',
    );
  });

  it('an acknowledged violation does not fail and is reported with its reason; a stale one is listed', () => {
    const result = runFixture({
      tree: { 'apps/x.yaml': [ghost] },
      enforcement: 'deny',
      settings: { acknowledged: [
        { rule: 'references.namespace', object: 'ConfigMap/ghost/x', reason: 'namespace created by the platform team, ticket OPS-1' },
        { rule: 'podSecurity.privileged', object: 'Pod/apps/gone', reason: 'fixed already' },
      ], prerequisiteSecrets: [{ namespace: 'apps', name: 'db', why: 'database password, created by the DBA team' }] },
    });
    assert.deepEqual(result.violations, []);
    const report = renderDeployReport(result);
    assert.match(report, /^# Deploy report: test$/m);
    assert.match(report, /\| references \| .* \| 0 \| 1 \|/);
    assert.match(report, /- ConfigMap\/ghost\/x \[references.namespace\] .* Acknowledged: namespace created by the platform team, ticket OPS-1/);
    assert.match(report, /## Stale acknowledgements .*\n\n- Pod\/apps\/gone \[podSecurity.privileged\]/);
    assert.match(report, /see POLICY-REPORT.md/);
    assert.match(report, /## Prerequisites\n\n.*\n\n- Secret `apps\/db`: database password, created by the DBA team\n/);
  });
});
