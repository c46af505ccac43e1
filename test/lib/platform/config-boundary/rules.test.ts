import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dev, prod } from '../../../../environments';
import { CONFIG_RULES, cronProblem, durationMs } from '../../../../lib/platform/config-boundary/rules';
import { checkTerraformSecrets, checkTreeObjects, checkTreeSecrets } from '../../../../lib/platform/config-boundary/tree-checks';
import { ConfigError } from '../../../../lib/platform/errors';
import type { RenderedManifest } from '../../../../lib/platform/gitops-tree';
import { validateEnvironment } from '../../../../stacks/validate-environment';
import { mutated } from './support';

const j = (...parts: string[]): string => parts.join('');

/** One case per rule: the rule's id, the input, and the exact message. */
const RULE_CASES: Array<{ rule: string; run: () => unknown; message: string }> = [
  {
    rule: 'intent.production-security',
    run: () => validateEnvironment(mutated(prod, (c) => (c.modules = ['argocd']))),
    message: 'Environment "prod": modules is ["argocd"]. Production enforces policies with "deny", but the security module (Gatekeeper, the policy library, secret stores) is off: add "security" to modules.',
  },
  {
    rule: 'limits.whole-numbers',
    run: () => validateEnvironment(mutated(dev, (c) => (c.flux.workloads[0].port = 70000))),
    message: 'Environment "dev": flux.workloads[0].port is 70000. Use a port: a whole number from 1 to 65535.',
  },
  {
    rule: 'limits.cron',
    run: () => validateEnvironment(mutated(dev, (c) => (c.jenkinsX.previews.gcSchedule = '*/10 * * *'))),
    message: 'Environment "dev": jenkinsX.previews.gcSchedule is "*/10 * * *". Use a cron expression such as "0 2 * * *": a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has 4.',
  },
  {
    rule: 'limits.durations-ordered',
    run: () => validateEnvironment(mutated(dev, (c) => Object.assign(c.syncPolicy.retry, { backoffDuration: '1h', backoffMaxDuration: '59m' }))),
    message: 'Environment "dev": syncPolicy.retry.backoffMaxDuration is "59m". The maximum backoff is shorter than the initial one (syncPolicy.retry.backoffDuration "1h"): make it at least as long.',
  },
  {
    rule: 'limits.labels',
    run: () => validateEnvironment(mutated(dev, (c) => (c.labels = { team: 'x'.repeat(64) }))),
    message: 'Environment "dev": labels.team is "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx". Not a valid label value: at most 63 characters, letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty).',
  },
  {
    rule: 'limits.annotations',
    run: () => validateEnvironment(mutated(dev, (c) => (c.argocd.ingress.annotations = { 'Example.com/x': 'y' }))),
    message: 'Environment "dev": argocd.ingress.annotations["Example.com/x"] is "y". Not a valid annotation key: its prefix "Example.com" must be a lowercase DNS subdomain of at most 253 characters (such as "gitops.platform").',
  },
  {
    rule: 'uniqueness.names',
    run: () => validateEnvironment(mutated(dev, (c) => c.flux.tenants.push({ ...c.flux.tenants[0] }))),
    message: 'Environment "dev": flux.tenants[1].name is "team-a". flux.tenants[0].name has that name already: each entry needs its own name.',
  },
  {
    rule: 'uniqueness.platform-names',
    run: () => validateEnvironment(mutated(dev, (c) => (c.argocd.teams[0].name = 'argocd'))),
    message: 'Environment "dev": argocd.teams[0].name is "argocd". The platform owns that name (a controller namespace): choose another team name.',
  },
  {
    rule: 'secrets.none-in-config',
    run: () => validateEnvironment(mutated(dev, (c) => (c.argocd.clusters[0].server = j('https://admin:', 'pa55word', '@dev-apps.k8s.company.com')))),
    message: 'Environment "dev": argocd.clusters[0].server is a redacted value (it looks like a URL with credentials). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret. Remove the value from the config.',
  },
];

describe('config rules: each rule has a table case with its exact message', () => {
  it('covers every rule', () => {
    assert.deepEqual(RULE_CASES.map((c) => c.rule).sort(), CONFIG_RULES.map((r) => r.id).sort());
  });
  for (const c of RULE_CASES) {
    it(c.rule, () => assert.throws(c.run, (e: unknown) => e instanceof ConfigError && e.message === c.message ? true : assert.fail(String(e))));
  }
});

describe('config rules: the order of their problems', () => {
  it('reports the first rule\'s problem in the order the rules are listed, whichever value the shared walk meets first', () => {
    // A secret early in the config (argocd) and a bad port later (flux): the whole-numbers rule is listed first.
    const both = mutated(dev, (c) => {
      c.argocd.clusters[0].server = j('https://admin:', 'pa55word', '@dev-apps.k8s.company.com');
      c.flux.workloads[0].port = 70000;
    });
    assert.throws(() => validateEnvironment(both), { message: 'Environment "dev": flux.workloads[0].port is 70000. Use a port: a whole number from 1 to 65535.' });
    // A rule that checks the config as a whole (durations, listed before the labels) comes before a later walking rule's problem.
    const durations = mutated(dev, (c) => {
      c.labels = { team: 'x'.repeat(64) };
      Object.assign(c.syncPolicy.retry, { backoffDuration: '1h', backoffMaxDuration: '59m' });
    });
    assert.throws(() => validateEnvironment(durations), /syncPolicy\.retry\.backoffMaxDuration is "59m"/);
  });

  it('reports a rule\'s first problem in the walk, parents first and in key order', () => {
    const two = mutated(dev, (c) => {
      c.flux.workloads[0].port = 70000;
      c.flux.workloads.push({ ...c.flux.workloads[0], name: 'second', port: 0 });
    });
    assert.throws(() => validateEnvironment(two), /flux\.workloads\[0\]\.port is 70000/);
  });
});

describe('cron and durations', () => {
  it('accepts valid schedules and rejects each out-of-range field', () => {
    for (const ok of ['*/10 * * * *', '0 2 * * 1-5', '30 4 1,15 jan-jun sun', '@daily', '0 0 * * 7']) assert.equal(cronProblem(ok), undefined, ok);
    assert.equal(cronProblem('0 24 * * *'), 'the hour field "24" is outside 0-23');
    assert.equal(cronProblem('0 0 0 * *'), 'the day of month field "0" is outside 1-31');
    assert.equal(cronProblem('0 0 * 13 *'), 'the month field "13" is outside 1-12');
    assert.equal(cronProblem('0 0 * * 8'), 'the day of week field "8" is outside 0-7');
    assert.equal(cronProblem('30-10 * * * *'), 'the minute range "30-10" runs backwards');
  });
  it('reads Go durations', () => {
    assert.equal(durationMs('1h30m'), 5400000);
    assert.equal(durationMs('500ms'), 500);
    assert.equal(durationMs('5 minutes'), undefined);
  });
});

const manifest = (file: string, object: Record<string, unknown>, section: RenderedManifest['section'] = 'apps'): RenderedManifest =>
  ({ file, section, object }) as unknown as RenderedManifest;

describe('tree checks', () => {
  it('hold names to their kind: a Namespace or Service name is a DNS label', () => {
    assert.throws(
      () => checkTreeObjects('dev', [manifest('apps/x.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } })]),
      { message: 'Environment "dev": apps/x.yaml: Namespace/team.a metadata.name is "team.a". A Namespace name must be a DNS label (lowercase letters, digits and "-", at most 63 characters); this one has 6 characters. Shorten the setting it comes from.' },
    );
    assert.doesNotThrow(() => checkTreeObjects('dev', [manifest('apps/x.yaml', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:aggregate-to-view' } })]));
  });
  it('check label syntax on every object', () => {
    assert.throws(
      () => checkTreeObjects('dev', [manifest('apps/x.yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a', labels: { 'a/b/c': 'd' } } })]),
      { message: 'Environment "dev": apps/x.yaml: ConfigMap/a/x metadata.labels["a/b/c"] is "d". Not a valid label key: its prefix "a/b" must be a lowercase DNS subdomain of at most 253 characters (such as "gitops.platform").' },
    );
  });
  it('find secrets in plain files and the Terraform JSON without echoing them', () => {
    const token = j('gl', 'pat-', 'xxxxxxxxxxxxxxxxxxxx');
    assert.throws(() => checkTreeSecrets('dev', [], new Map([['apps/notes.md', `# notes\ntoken ${token}\n`]])), {
      message: 'Environment "dev": apps/notes.md line 2 is a redacted value (it looks like a GitLab token). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.',
    });
    // The first line with a finding is named, with its kind, wherever the file holds others.
    const slack = j('xo', 'xb-', '123456789012-abcdefABCDEF');
    assert.throws(() => checkTreeSecrets('dev', [], new Map([['apps/run.sh', `#!/bin/sh\necho ok\ncurl -H "${slack}"\necho ${token}\n`]])), {
      message: /^Environment "dev": apps\/run\.sh line 3 is a redacted value \(it looks like a Slack token\)/,
    });
    assert.doesNotThrow(() => checkTreeSecrets('dev', [], new Map([['apps/notes.md', '# notes\nno secrets here: only https://git.example.com/repo.git\n']])));
    assert.throws(() => checkTerraformSecrets('dev', { resource: { helm_release: { argocd: { values: [`server:\n  extraArgs:\n  - --token=${token}\n`] } } } }), {
      message: 'Environment "dev": cdk.tf.json resource.helm_release.argocd.values[0] is a redacted value (it looks like a GitLab token). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.',
    });
  });
  it('let SealedSecrets carry ciphertext', () => {
    const sealed = manifest('apps/s.yaml', { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'a' }, spec: { encryptedData: { password: 'AgBy8hCi0Zq0ZbJt7x1E2W3d4fV5g6H7j8K9l0' } } });
    assert.doesNotThrow(() => checkTreeSecrets('dev', [sealed], new Map()));
  });
});
