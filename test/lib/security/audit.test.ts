import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ComplianceReportJob, FalcoRules } from '../../../lib/security';
import { gitopsDriftRule, unauthorizedRepositoryAccessRule } from '../../../lib/security/audit/falco-rules';
import { workloadSecurityPolicy } from '../../../lib/security/policies/workload-security';
import { tool } from '../../support/tools';
import { validateManifest } from '../../support/validate';

type Json = Record<string, unknown>;

function chart(): Chart {
  return new Chart(Testing.app() as App, 'test', { disableResourceNameHashes: true });
}

describe('Falco rules', () => {
  it('renders the seeds rules with the allowed prefixes from config as a typed ConfigMap', () => {
    const c = chart();
    new FalcoRules(c, 'Falco', {
      rules: [
        unauthorizedRepositoryAccessRule(['https://github.com/company/', 'https://gitlab.company.com/']),
        gitopsDriftRule({ controllerUsers: ['system:serviceaccount:argocd:argocd-application-controller'], ignoredNamespaces: ['kube-system'] }),
      ],
    });
    const [cm] = c.toJson() as Json[];
    assert.deepEqual(validateManifest(cm), []);
    assert.deepEqual(cm.metadata, { name: 'falco-gitops-rules', namespace: 'falco-system' });
    const rules = parse((cm.data as Record<string, string>)['gitops_rules.yaml']) as Json[];
    assert.deepEqual(rules[0], {
      rule: 'Unauthorized GitOps Repository Access',
      desc: 'Detect access to unauthorized Git repositories',
      condition:
        'spawned_process and proc.name in (git, argocd, flux) and proc.args contains "clone" and not proc.args contains "github.com/company/" and not proc.args contains "gitlab.company.com/"',
      output: 'Unauthorized repository access detected (user=%user.name command=%proc.cmdline repository=%proc.args)',
      priority: 'WARNING',
      tags: ['gitops', 'security', 'compliance'],
    });
    // The drift rule reads audit events: its source is k8s_audit, and the k8saudit rules' `kevt` replaces the seed's undefined `k8s_audit` macro.
    assert.equal(rules[1].source, 'k8s_audit');
    assert.equal(
      rules[1].condition,
      'kevt and ka.verb in (create, update, patch, delete) and ka.target.resource in (deployments, services, configmaps, secrets) and not ka.user.name in (system:serviceaccount:argocd:argocd-application-controller) and not ka.target.namespace in (kube-system)',
    );
  });

  it('fails when two rules share a name', () => {
    const c = chart();
    const rule = unauthorizedRepositoryAccessRule(['https://github.com/company/']);
    new FalcoRules(c, 'Falco', { rules: [rule, rule] });
    assert.throws(() => c.toJson(), /test\/Falco: rules is "Unauthorized GitOps Repository Access". Give each rule a unique name./);
  });
});

const PROMETHEUS = 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090';

describe('ComplianceReportJob', () => {
  it('runs its script from a ConfigMap on the official Python image pinned by digest, restricted, with read-only RBAC', () => {
    const c = chart();
    const job = new ComplianceReportJob(c, 'Report', { environment: 'prod', recipients: ['compliance@company.com', 'security@company.com'], prometheusUrl: PROMETHEUS, podSecurityExceptions: { monitoring: 'privileged' } });
    const objects = c.toJson() as Json[];
    for (const o of objects) assert.deepEqual(validateManifest(o), []);
    assert.deepEqual(objects.map((o) => o.kind), ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap', 'CronJob', 'NetworkPolicy']);
    const cron = objects.find((o) => o.kind === 'CronJob')!;
    const spec = cron.spec as Json;
    assert.equal(spec.schedule, '0 6 * * 1');
    assert.equal(spec.concurrencyPolicy, 'Forbid');
    const pod = ((((spec.jobTemplate as Json).spec as Json).template as Json).spec as Json);
    assert.equal(pod.restartPolicy, 'OnFailure');
    assert.equal(pod.serviceAccountName, 'compliance-reporter');
    assert.equal(pod.automountServiceAccountToken, true);
    const [container] = pod.containers as Json[];
    // A public image that exists, pinned by digest (the seed's "compliance-reporter:v1.0.0" exists nowhere).
    assert.match(String(container.image), /^docker\.io\/library\/python:[0-9.]+-slim-bookworm@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(container.command, ['python3', '/opt/compliance/compliance_report.py']);
    const env = Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    assert.equal(env.PROMETHEUS_URL, PROMETHEUS);
    assert.equal(env.POD_SECURITY_DEFAULT, 'restricted');
    assert.equal(env.POD_SECURITY_EXCEPTIONS, '{"monitoring":"privileged"}');
    assert.deepEqual(container.volumeMounts, [{ name: 'script', mountPath: '/opt/compliance', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }]);
    const script = objects.find((o) => o.kind === 'ConfigMap')!;
    assert.deepEqual((pod.volumes as Json[])[0], { name: 'script', configMap: { name: (script.metadata as Json).name, defaultMode: 0o444 } });
    assert.match(String((script.data as Json)['compliance_report.py']), /^#!\/usr\/bin\/env python3\n/);
    assert.deepEqual(workloadSecurityPolicy().evaluate(cron as never), []);
    // Read-only: get and list of exactly what the script reads.
    const rules = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o.rules as Json[]);
    assert.deepEqual(rules, [
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] },
      { apiGroups: ['constraints.gatekeeper.sh'], resources: ['*'], verbs: ['get', 'list'] },
      { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['get', 'list'] },
    ]);
    assert.equal(((objects.find((o) => o.kind === 'Role')!.metadata) as Json).namespace, 'argocd');
    // Egress to DNS, the API server and Prometheus's namespace and port; no ingress.
    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!.spec as Json;
    assert.deepEqual(policy.policyTypes, ['Ingress', 'Egress']);
    assert.equal(policy.ingress, undefined);
    const egress = policy.egress as Json[];
    assert.deepEqual(egress[1], { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] });
    assert.deepEqual(egress[2], { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] });
    assert.deepEqual(job.prometheus, { url: PROMETHEUS, namespace: 'monitoring', port: 9090 });
    assert.equal(job.namespace, 'monitoring');
  });

  it('fails when the image is unpinned, the schedule, recipients, Prometheus URL or levels are malformed', () => {
    const base = { environment: 'x', recipients: ['security@company.com'], prometheusUrl: PROMETHEUS };
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, image: 'ghcr.io/company/compliance-reporter:latest' }), /test\/R: image is "ghcr.io\/company\/compliance-reporter:latest". Pin the image/);
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, image: 'compliance-reporter:v1.0.0' }), /test\/R: image is "compliance-reporter:v1.0.0". Name the registry first/);
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, schedule: 'weekly' }), /schedule is "weekly". Use a five-field cron expression/);
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, recipients: ['security'] }), /recipients is \["security"\]/);
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, recipients: [] }), {
      message: 'test/R: recipients is []. List the e-mail addresses the report goes to (name@host, one per entry).',
    });
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, prometheusUrl: 'prometheus:9090' }), /prometheusUrl is "prometheus:9090". Use the Prometheus URL/);
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { ...base, podSecurityDefault: 'strict' as never }), /podSecurity \(default\) is "strict"/);
  });
});

const { path: python3, skip: noPython } = tool('python3');

/** Runs the shipped script with python3 against a local server that answers from recorded API responses. */
async function runReport(fixture: string, extraEnv: Record<string, string> = {}): Promise<{ status: number | null; report: Json }> {
  const answers = (JSON.parse(fs.readFileSync(path.join(__dirname, 'compliance-fixtures', `${fixture}.json`), 'utf8')) as { answers: Record<string, unknown> }).answers;
  const requests: Array<{ url: string; auth?: string }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url!, auth: req.headers.authorization });
    const body = answers[req.url!];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-'));
  try {
    const { port } = server.address() as AddressInfo;
    fs.writeFileSync(path.join(dir, 'token'), 'test-token');
    const c = chart();
    const job = new ComplianceReportJob(c, 'Report', { environment: 'prod', recipients: ['compliance@company.com', 'security@company.com'], prometheusUrl: PROMETHEUS, podSecurityExceptions: { monitoring: 'privileged', jx: 'baseline' } });
    // The script and the environment exactly as the CronJob gives them.
    const script = path.join(dir, 'compliance_report.py');
    fs.writeFileSync(script, String(((c.toJson() as Json[]).find((o) => o.kind === 'ConfigMap')!.data as Json)['compliance_report.py']));
    const container = ((((job.cronJob.toJson().spec.jobTemplate.spec.template.spec.containers) as Json[])[0]).env as Array<{ name: string; value: string }>);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...Object.fromEntries(container.map((e) => [e.name, e.value])) };
    Object.assign(env, { KUBERNETES_API_URL: `http://127.0.0.1:${port}`, SERVICE_ACCOUNT_DIR: dir, PROMETHEUS_URL: `http://127.0.0.1:${port}/prometheus` }, extraEnv);
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(python3!, [script], { env }, (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }));
    });
    assert.equal(run.stderr, '');
    for (const r of requests.filter((x) => !x.url.startsWith('/prometheus'))) assert.equal(r.auth, 'Bearer test-token', r.url);
    return { status: run.status, report: JSON.parse(run.stdout) as Json };
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the compliance report script (run with python3 against recorded API answers)', { skip: noPython }, () => {
  it('reports a compliant cluster and exits 0', async () => {
    const { status, report } = await runReport('compliant');
    assert.equal(status, 0);
    assert.equal(report.compliant, true);
    assert.equal(report.findings, 0);
    assert.equal(report.environment, 'prod');
    assert.deepEqual(report.recipients, ['compliance@company.com', 'security@company.com']);
    const checks = report.checks as Record<string, Json>;
    assert.deepEqual(checks.gatekeeper, { installed: true, constraints: 2, findings: [] });
    assert.deepEqual(checks.podSecurity, { namespaces: 4, findings: [] });
    assert.deepEqual(checks.argocd, { installed: true, applications: 2, findings: [] });
    assert.deepEqual(checks.alerts, { query: 'ALERTS{alertstate="firing",severity="critical"}', findings: [] });
  });

  it('reports every finding of a non-compliant cluster and exits 1', async () => {
    const { status, report } = await runReport('non-compliant');
    assert.equal(status, 1);
    assert.equal(report.compliant, false);
    const checks = report.checks as Record<string, Json>;
    assert.deepEqual(checks.gatekeeper.findings, [{ constraint: 'GitOpsPinnedImages/pinned-images', enforcementAction: 'warn', totalViolations: 2 }]);
    assert.deepEqual(checks.podSecurity.findings, [
      { namespace: 'default', enforce: null, expected: 'restricted' },
      { namespace: 'team-a', enforce: 'baseline', expected: 'restricted' },
    ]);
    assert.deepEqual(checks.argocd.findings, [{ application: 'argocd/team-a-apps', sync: 'OutOfSync', health: 'Degraded' }]);
    assert.deepEqual(checks.alerts.findings, [{ alert: 'FluxReconciliationFailure', namespace: 'flux-system', severity: 'critical' }]);
    assert.equal(report.findings, 5);
  });

  it('exits 2 with the reason when it cannot read the API', async () => {
    const { status, report } = await runReport('compliant', { KUBERNETES_API_URL: 'http://127.0.0.1:1' });
    assert.equal(status, 2);
    assert.match(String(report.error), /^GET \/apis\/constraints\.gatekeeper\.sh\/v1beta1: /);
    assert.equal(report.compliant, undefined);
  });
});
