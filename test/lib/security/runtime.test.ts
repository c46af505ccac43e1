import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CHARTS } from '../../../lib/platform/catalogue';
import { ConfigError } from '../../../lib/platform/errors';
import { helmRelease, releaseValues } from '../../support/synth';
import { cachedShippedSynth, SHIPPED, testStack } from './support';

type Json = Record<string, unknown>;

const synth = cachedShippedSynth();

describe('Falco', () => {
  for (const name of ['staging', 'prod']) {
    it(`${name}: installs the pinned falco chart with the modern eBPF driver, least privileged`, () => {
      const release = helmRelease(synth(name).result.tf, 'falco');
      assert.equal(release.chart, CHARTS.falco.chart);
      assert.equal(release.version, '9.1.0');
      assert.equal(release.repository, 'https://falcosecurity.github.io/charts');
      assert.equal(release.namespace, 'falco-system');
      assert.deepEqual(releaseValues(release).driver, { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } });
    });

    it(`${name}: loads the seed's rules through customRules, after the default and k8saudit rules falcoctl installs`, () => {
      const values = releaseValues(helmRelease(synth(name).result.tf, 'falco'));
      const rules = parse((values.customRules as Json)['gitops_rules.yaml'] as string) as Json[];
      assert.deepEqual(rules.map((r) => [r.rule, r.source ?? 'syscall']), [
        ['Unauthorized GitOps Repository Access', 'syscall'],
        ['GitOps Configuration Drift', 'k8s_audit'],
      ]);
      assert.match(String(rules[0].condition), /^spawned_process and proc\.name in \(git, argocd, flux\)/);
      assert.match(String(rules[1].condition), /^kevt and ka\.verb in \(create, update, patch, delete\)/);
      assert.match(String(rules[1].condition), /system:serviceaccount:argocd:argocd-application-controller/);
      assert.match(String(rules[1].condition), /not ka\.target\.namespace in \([^)]*\bfalco-system\b/);
      const falco = values.falco as Json;
      assert.deepEqual(falco.rules_files, ['/etc/falco/falco_rules.yaml', '/etc/falco/k8s_audit_rules.yaml', '/etc/falco/rules.d']);
      assert.deepEqual(falco.load_plugins, ['k8saudit', 'json']);
      const refs = ((((values.falcoctl as Json).config as Json).artifact as Json).install as Json).refs;
      assert.deepEqual(refs, ['falco-rules:5', 'k8saudit-rules:0.16', 'k8saudit:0.16']);
      assert.deepEqual(values.services, [{ name: 'k8saudit-webhook', type: 'ClusterIP', ports: [{ name: 'k8saudit', port: 9765, protocol: 'TCP' }] }]);
    });

    it(`${name}: falcosidekick forwards to the monitoring install's Alertmanager (v2 API), allowed at both ends`, () => {
      const { tf, objects } = synth(name).result;
      const kps = helmRelease(tf, 'kube-prometheus-stack');
      const sidekick = releaseValues(helmRelease(tf, 'falco')).falcosidekick as Json;
      assert.equal(sidekick.enabled, true);
      assert.deepEqual((sidekick.config as Json).alertmanager, {
        hostport: `http://${String(kps.name)}-alertmanager.${String(kps.namespace)}.svc.cluster.local:9093`,
        endpoint: '/api/v2/alerts',
        minimumpriority: 'warning',
      });
      const policy = (ns: string, n: string): Json | undefined => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns && o.metadata.name === n) as Json | undefined;
      assert.deepEqual(((policy('falco-system', 'allow-egress-to-monitoring')!.spec as Json).egress as Json[])[0].ports, [{ protocol: 'TCP', port: 9093 }]);
      assert.deepEqual(((policy('monitoring', 'allow-ingress-from-falco-system')!.spec as Json).ingress as Json[])[0].ports, [{ protocol: 'TCP', port: 9093 }]);
      const ns = tf.resource.kubernetes_namespace_v1 as Record<string, Json>;
      const falcoNs = Object.values(ns).find((n) => ((n.metadata as Json).name) === 'falco-system')!;
      assert.equal(((falcoNs.metadata as Json).labels as Json)['pod-security.kubernetes.io/enforce'], 'privileged');
    });

    it(`${name}: reports Falco in gitops_security_status.security.falco; no unread rules ConfigMap`, () => {
      const { tf, objects } = synth(name).result;
      const falco = ((tf.output.gitops_security_status.value as Json).security as Json).falco as Json;
      assert.equal(falco.chart_version, '9.1.0');
      assert.deepEqual(falco.rules, ['Unauthorized GitOps Repository Access', 'GitOps Configuration Drift']);
      assert.equal(falco.kubernetes_audit, true);
      assert.equal(falco.forwards_to, 'monitoring/kube-prometheus-stack-alertmanager');
      assert.equal(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'falco-gitops-rules').length, 0);
    });
  }

  it('declares the sidekick flow to the deploy model: an Alertmanager the NetworkPolicies do not admit is a network.flow violation', () => {
    const shipped = synth('staging').t.stack.output.deployModel!;
    assert.deepEqual(shipped.violations, []);
    const other = { namespace: 'monitoring', name: 'other-alertmanager', port: 9094, targetPort: 9094, podLabels: { 'app.kubernetes.io/name': 'alertmanager' } };
    const t = testStack(SHIPPED.staging, { security: { ...SHIPPED.staging.security, falco: { alertmanager: other } } });
    try {
      t.synth(); // staging reports (dryrun), it does not fail
      const flows = t.stack.output.deployModel!.violations.filter((v) => v.rule === 'network.flow').map((v) => v.message);
      assert.ok(flows.some((m) => m.startsWith('falcosidekick forwards Falco alerts to Alertmanager: refused at the egress of the source')), flows.join('\n'));
    } finally {
      t.dispose();
    }
  });

  it('dev: no Falco objects at all (no namespace, no rules, no release)', () => {
    const { tf, objects } = synth('dev').result;
    assert.throws(() => helmRelease(tf, 'falco'));
    assert.equal(objects.filter((o) => o.metadata.namespace === 'falco-system').length, 0);
    assert.ok(!Object.values(tf.resource.kubernetes_namespace_v1 as Record<string, Json>).some((n) => (n.metadata as Json).name === 'falco-system'));
    assert.equal(((tf.output.gitops_security_status.value as Json).security as Json).falco, null);
  });

  it('fails when an audit rule is loaded without Kubernetes audit events', () => {
    const t = testStack(SHIPPED.staging, { security: { ...SHIPPED.staging.security, falco: { kubernetesAudit: false } } });
    try {
      assert.throws(() => t.synth(), (e: unknown) => e instanceof ConfigError && /staging\/Security\/Falco: kubernetesAudit is false\. Rules GitOps Configuration Drift read Kubernetes audit events/.test(e.message));
    } finally {
      t.dispose();
    }
  });

  it('fails without monitoring when no Alertmanager is given', () => {
    const env = SHIPPED.staging;
    assert.throws(
      () => testStack(env, { modules: env.modules.filter((m) => m !== 'monitoring' && m !== 'delivery') }),
      /Environment "staging": security\.falco\.alertmanager is not set\. falcosidekick forwards to Alertmanager: turn the monitoring module on/,
    );
  });
});
