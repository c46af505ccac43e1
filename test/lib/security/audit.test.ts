import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ComplianceReportJob, FalcoRules } from '../../../lib/security';
import { gitopsDriftRule, unauthorizedRepositoryAccessRule } from '../../../lib/security/audit/falco-rules';
import { workloadSecurityPolicy } from '../../../lib/security/policies/workload-security';
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

describe('ComplianceReportJob', () => {
  it('runs the seeds weekly report as a non-root, pinned, limited CronJob that passes the workload policy', () => {
    const c = chart();
    const job = new ComplianceReportJob(c, 'Report', { environment: 'prod' });
    const objects = c.toJson() as Json[];
    for (const o of objects) assert.deepEqual(validateManifest(o), []);
    const cron = objects.find((o) => o.kind === 'CronJob')!;
    const spec = cron.spec as Json;
    assert.equal(spec.schedule, '0 6 * * 1');
    assert.equal(spec.concurrencyPolicy, 'Forbid');
    const pod = ((((spec.jobTemplate as Json).spec as Json).template as Json).spec as Json);
    assert.equal(pod.restartPolicy, 'OnFailure');
    assert.equal(pod.automountServiceAccountToken, false);
    const [container] = pod.containers as Json[];
    // Fully qualified: the seed's bare "compliance-reporter:v1.0.0" names docker.io/library/compliance-reporter, which does not exist.
    assert.equal(container.image, 'docker.io/library/python:3.13.1-slim-bookworm');
    assert.deepEqual(container.env, [
      { name: 'PROMETHEUS_URL', value: 'http://prometheus.monitoring.svc.cluster.local:9090' },
      { name: 'REPORT_RECIPIENTS', value: 'compliance@company.com,security@company.com' },
      { name: 'GITOPS_ENVIRONMENT', value: 'prod' },
    ]);
    assert.deepEqual(container.resources, { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.deepEqual(workloadSecurityPolicy().evaluate(cron as never), []);
    assert.equal(job.namespace, 'monitoring');
  });

  it('fails when the image is unpinned, the schedule or recipients are malformed', () => {
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { environment: 'x', image: 'ghcr.io/company/compliance-reporter:latest' }), /test\/R: image is "ghcr.io\/company\/compliance-reporter:latest". Pin the reporter image/);
    assert.throws(
      () => new ComplianceReportJob(chart(), 'R', { environment: 'x', image: 'compliance-reporter:v1.0.0' }),
      { message: 'test/R: image is "compliance-reporter:v1.0.0". Name the registry first, so the node pulls the image you mean (such as "ghcr.io/company/compliance-reporter:v1.0.0" or "docker.io/library/python:3.13.1-slim-bookworm").' },
    );
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { environment: 'x', schedule: 'weekly' }), /schedule is "weekly". Use a five-field cron expression/);
    assert.throws(() => new ComplianceReportJob(chart(), 'R', { environment: 'x', recipients: ['security'] }), /recipients is \["security"\]/);
  });
});
