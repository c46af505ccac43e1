/**
 * The list of bad inputs, tried as a hostile user would through the
 * public API: each ends in one ConfigError with this exact message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiObject } from 'cdk8s';
import { App, Testing } from 'cdktf';
import { dev, prod, staging } from '../../../../environments';
import { Application, ApplicationSource } from '../../../../lib/argocd';
import { EnvironmentConfig } from '../../../../stacks/environment';
import { ConfigError } from '../../../../lib/platform/errors';
import { validateEnvironment } from '../../../../stacks/validate-environment';
import { GitOpsStack } from '../../../../stacks/gitops-stack';
import { mutated, synthWith } from './support';

const GITHUB_TOKEN = ['ghp', '_', 'A'.repeat(18), '1234567890abcdefgh'].join('');
const AWS_KEY = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const SLACK_WEBHOOK = ['https://hooks.slack.com/services/', 'T00000000/B00000000/', 'XXXXXXXXXXXXXXXXXXXXXXXX'].join('');

/** A user object in the environment's tree (what a team's construct would add). */
function userObject(stack: GitOpsStack, id: string, object: Record<string, unknown>): void {
  new ApiObject(stack.platform.tree.chart('apps', 'user'), id, object as never);
}

interface Case {
  readonly name: string;
  readonly run: () => unknown;
  readonly message: string;
}

const CASES: Case[] = [
  // Invalid output or leaked secrets
  {
    name: 'a token in an ingress annotation',
    run: () => validateEnvironment(mutated(dev, (c) => (c.argocd.ingress.annotations['example.com/token'] = GITHUB_TOKEN))),
    message: 'Environment "dev": argocd.ingress.annotations["example.com/token"] is a redacted value (it looks like a GitHub token). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret. Remove the value from the config.',
  },
  {
    name: 'a token in a notification header',
    run: () => synthWith(dev, (stack) => userObject(stack, 'Hook', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hooks', namespace: 'team-a' }, data: { 'service.webhook.deploy': `url: https://hooks.example.com/deploy\nheaders:\n- name: Authorization\n  value: Bearer ${GITHUB_TOKEN}\n` } })),
    message: 'Environment "dev": apps/user.yaml: ConfigMap/team-a/hooks data["service.webhook.deploy"] is a redacted value (it looks like a GitHub token). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.',
  },
  {
    name: 'a token in a service-account annotation',
    run: () => synthWith(dev, (stack) => userObject(stack, 'Sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: 'team-a', annotations: { 'example.com/api-token': GITHUB_TOKEN } } })),
    message: 'Environment "dev": apps/user.yaml: ServiceAccount/team-a/deployer metadata.annotations["example.com/api-token"] is a redacted value (it looks like a GitHub token). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.',
  },
  {
    name: 'a token in a webhook payload',
    run: () => synthWith(dev, (stack) => userObject(stack, 'Payload', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'payload', namespace: 'team-a' }, data: { body: `{"text":"deployed","url":"${SLACK_WEBHOOK}"}` } })),
    message: 'Environment "dev": apps/user.yaml: ConfigMap/team-a/payload data.body is a redacted value (it looks like a Slack webhook URL). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.',
  },
  {
    name: "a password in an Application's inline Helm values",
    run: () =>
      synthWith(dev, (stack) => {
        new Application(stack.platform.tree.chart('apps', 'user'), 'Shop', {
          name: 'shop',
          namespace: 'argocd',
          project: 'default',
          source: ApplicationSource.helmChart({ repoUrl: 'https://charts.example.com', chart: 'shop', version: '1.0.0', helm: { values: { db: { password: 'correct-horse-battery' } } } }),
          destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' },
        });
      }),
    message: 'Environment "dev": apps/user.yaml: Application/argocd/shop spec.source.helm.values.db.password is a redacted value (it looks like a password in "password"). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret.',
  },
  {
    name: 'an AWS key id as a label value',
    run: () => validateEnvironment(mutated(dev, (c) => (c.labels = { ...c.labels, owner: AWS_KEY }))),
    message: 'Environment "dev": labels.owner is a redacted value (it looks like an AWS access key). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret. Remove the value from the config.',
  },
  {
    name: 'two Applications with one name',
    run: () =>
      synthWith(dev, (stack) => {
        for (const id of ['One', 'Two']) {
          userObject(stack, id, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop', namespace: 'argocd' }, spec: { project: 'default', source: { repoURL: 'https://github.com/company/shop', path: '.', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' } } });
        }
      }),
    message: 'Environment "dev": apps/user.yaml: Application/argocd/shop metadata.name is "shop". apps/user.yaml defines Application/argocd/shop already; one tree holds each kind/namespace/name once, and the second would replace the first: rename one of them.',
  },
  {
    name: 'an Application named like the root app-of-apps',
    run: () => synthWith(dev, (stack) => userObject(stack, 'Root', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'dev-root', namespace: 'argocd' }, spec: { project: 'default', source: { repoURL: 'https://github.com/company/shop', path: '.', targetRevision: 'main' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' } } })),
    message: 'Environment "dev": apps/user.yaml: Application/argocd/dev-root metadata.name is "dev-root". bootstrap/files/argocd-root.yaml defines Application/argocd/dev-root, an object the platform owns: rename yours.',
  },
  {
    name: 'a non-integer retry backoff factor',
    run: () => validateEnvironment(mutated(dev, (c) => (c.syncPolicy.retry.backoffFactor = 1.5))),
    message: 'Environment "dev": syncPolicy.retry.backoffFactor is 1.5. Use a backoff factor (Argo CD takes a whole number): a whole number from 1 to 10.',
  },
  {
    name: 'a 1 MB annotation',
    run: () => validateEnvironment(mutated(dev, (c) => (c.argocd.ingress.annotations['example.com/blob'] = 'x'.repeat(1024 * 1024)))),
    message: 'Environment "dev": argocd.ingress.annotations is 1048638 bytes of annotations. Kubernetes accepts at most 262144 bytes (256 KiB) of annotations on one object: move the data into a ConfigMap.',
  },
  {
    name: 'a 300-character name',
    run: () => synthWith(dev, (stack) => userObject(stack, 'Long', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a'.repeat(300), namespace: 'team-a' }, data: {} })),
    message: 'Environment "dev": apps/user.yaml: ConfigMap/team-a/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...(300 characters) metadata.name is "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... (300 characters). A ConfigMap name must be a DNS subdomain (lowercase letters, digits, "-" and ".", at most 253 characters); this one has 300 characters. Shorten the setting it comes from.',
  },
  {
    name: 'an invalid label key',
    run: () => validateEnvironment(mutated(dev, (c) => (c.labels = { 'cost center!': 'platform' }))),
    message: 'Environment "dev": labels["cost center!"] is "platform". Not a valid label key: its name must be 1 to 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit.',
  },
  {
    name: 'two stacks with one environment name',
    run: () => {
      const app = Testing.app();
      new GitOpsStack(app, 'first', { environment: dev, manifestDirectory: 'dist-collision/dev' });
      new GitOpsStack(app, 'second', { environment: dev, manifestDirectory: 'dist-collision/dev' });
    },
    message: 'Environment "dev": outputDirectory is "dist-collision/dev". The platform at first/Platform already writes its GitOps tree there, and the second tree would delete the first one\'s files. Give each environment its own name, or set a distinct outputDirectory (manifestDirectory on GitOpsStack).',
  },
  // Silently ignored
  { name: 'a misspelt sizing.replica', run: () => validateEnvironment(mutated(dev, (c) => (c.sizing.replica = 3))), message: 'Environment "dev": sizing.replica is 3. Unknown setting: it would be ignored. Did you mean "controllerReplicas"? Known settings of sizing: controllerReplicas, highAvailability.' },
  { name: 'a misspelt monitoring.retension', run: () => validateEnvironment(mutated(dev, (c) => (c.monitoring.retension = '30d'))), message: 'Environment "dev": monitoring.retension is "30d". Unknown setting: it would be ignored. Did you mean "retention"? Known settings of monitoring: alerting, alertmanagerReplicas, applicationAlerts, cost, grafana, prometheusReplicas, resources, retention, slos, storage, values.' },
  { name: 'a misspelt syncPolicy.selfheal', run: () => validateEnvironment(mutated(dev, (c) => (c.syncPolicy.selfheal = true))), message: 'Environment "dev": syncPolicy.selfheal is true. Unknown setting: it would be ignored. Did you mean "selfHeal"? Known settings of syncPolicy: allowEmpty, automated, prune, retry, selfHeal.' },
  { name: 'a misspelt top-level monitorng', run: () => validateEnvironment(mutated(dev, (c) => (c.monitorng = { retention: '30d' }))), message: 'Environment "dev": monitorng is {"retention":"30d"}. Unknown setting: it would be ignored. Did you mean "monitoring"? Known settings at the top level: argocd, backend, cluster, delivery, deployModel, domain, flux, gitops, jenkinsX, labels, modules, monitoring, name, policyEnforcement, prerequisites, recovery, security, sizing, syncPolicy, tier.' },
  { name: 'a cron minute of 61', run: () => validateEnvironment(mutated(dev, (c) => (c.jenkinsX.previews.gcSchedule = '61 * * * *'))), message: 'Environment "dev": jenkinsX.previews.gcSchedule is "61 * * * *". Use a cron expression such as "0 2 * * *": the minute field "61" is outside 0-59.' },
  { name: '1e12 replicas', run: () => validateEnvironment(mutated(dev, (c) => (c.sizing.controllerReplicas = 1e12))), message: 'Environment "dev": sizing.controllerReplicas is 1000000000000. Use a replica count: a whole number from 1 to 100.' },
  { name: 'a maximum backoff below the initial one', run: () => validateEnvironment(mutated(dev, (c) => Object.assign(c.syncPolicy.retry, { backoffDuration: '5m', backoffMaxDuration: '30s' }))), message: 'Environment "dev": syncPolicy.retry.backoffMaxDuration is "30s". The maximum backoff is shorter than the initial one (syncPolicy.retry.backoffDuration "5m"): make it at least as long.' },
  { name: 'cluster labels given as a string', run: () => validateEnvironment(mutated(dev, (c) => (c.argocd.clusters[0].labels = 'region=eu-west-1'))), message: 'Environment "dev": argocd.clusters[0].labels is "region=eu-west-1". Use a map of names to strings.' },
  { name: 'prod with the security module off while enforcement is deny', run: () => validateEnvironment(mutated(prod, (c) => (c.modules = c.modules.filter((m: string) => m !== 'security')))), message: 'Environment "prod": modules is ["argocd","flux","jenkins-x","monitoring","delivery","recovery"]. Production enforces policies with "deny", but the security module (Gatekeeper, the policy library, secret stores) is off: add "security" to modules.' },
  // Traces
  { name: 'a missing section', run: () => validateEnvironment(mutated(dev, (c) => delete c.syncPolicy)), message: 'Environment "dev": syncPolicy is not set. Set it to an object: sync-policy defaults for Applications and Kustomizations.' },
  { name: 'tenants that are not a list', run: () => validateEnvironment(mutated(dev, (c) => (c.flux.tenants = { 'team-a': {} }))), message: 'Environment "dev": flux.tenants is {"team-a":{}}. Use a list of objects.' },
  { name: 'duplicate teams', run: () => validateEnvironment(mutated(dev, (c) => c.argocd.teams.push({ ...c.argocd.teams[0] }))), message: 'Environment "dev": argocd.teams[1].name is "team-a". argocd.teams[0].name has that name already: each entry needs its own name.' },
  { name: 'duplicate clusters', run: () => validateEnvironment(mutated(staging, (c) => c.argocd.clusters.push({ ...c.argocd.clusters[0] }))), message: 'Environment "staging": argocd.clusters[1].name is "staging-eu-west". argocd.clusters[0].name has that name already: each entry needs its own name.' },
  { name: 'a circular value', run: () => validateEnvironment(mutated(dev, (c) => (c.sizing.self = c.sizing))), message: 'Environment "dev": sizing.self is a circular reference (the value contains itself). Use plain data without cycles; copy the shared part instead of nesting it in itself.' },
  // Vague
  { name: 'an invalid SemVer range of a workload', run: () => synthWith(mutated(dev, (c) => (c.flux.workloads[0].semverRange = '>=1.0 <<2'))), message: 'Environment "dev": flux.workloads.status-page.semverRange is ">=1.0 <<2". It is not a SemVer range ("<<2" is not a comparator such as ">=1.2.0", "~1.2" or "1.x"); use a range such as ">=1.0.0 <2.0.0" or "~2.1".' },
  { name: 'Infinity', run: () => validateEnvironment(mutated(dev, (c) => (c.monitoring.prometheusReplicas = Infinity))), message: 'Environment "dev": monitoring.prometheusReplicas is Infinity. Use a finite number.' },
  { name: 'delivery.controllerReplicas of 0', run: () => validateEnvironment(mutated(dev, (c) => (c.delivery.controllerReplicas = 0))), message: 'Environment "dev": delivery.controllerReplicas is 0. Use a replica count: a whole number from 1 to 100.' },
  { name: 'a Slack webhook URL in a setting', run: () => validateEnvironment(mutated(dev, (c) => (c.monitoring.applicationAlerts = { errorRateRunbookUrl: SLACK_WEBHOOK }))), message: 'Environment "dev": monitoring.applicationAlerts.errorRateRunbookUrl is a redacted value (it looks like a Slack webhook URL). Secrets never go into the Terraform JSON or the GitOps tree: pass them as a sensitive Terraform variable (TF_VAR_..., set_sensitive), or keep them in the secret store and reference them with an ExternalSecret, or commit them encrypted as a SealedSecret. Remove the value from the config.' },
  // Any input shape
  { name: 'undefined', run: () => validateEnvironment(undefined as unknown as EnvironmentConfig), message: 'Environment "(unnamed)": environment is not set. Pass an EnvironmentConfig object (see environments/dev.ts).' },
  { name: 'null', run: () => validateEnvironment(null as unknown as EnvironmentConfig), message: 'Environment "(unnamed)": environment is null. Pass an EnvironmentConfig object (see environments/dev.ts).' },
  { name: 'a section of the wrong type', run: () => validateEnvironment(mutated(dev, (c) => (c.gitops = 'https://github.com/company/gitops'))), message: 'Environment "dev": gitops is "https://github.com/company/gitops". Use an object.' },
  { name: 'a Map where a record is expected', run: () => validateEnvironment(mutated(dev, (c) => (c.labels = new Map([['team', 'platform']])))), message: 'Environment "dev": labels is a Map of 1 entries. Use plain data (a map of names to strings), not a Map.' },
  { name: 'a function where data is expected', run: () => validateEnvironment(mutated(dev, (c) => (c.domain = () => 'dev.example.com'))), message: 'Environment "dev": domain is a function. Use plain data: strings, numbers, booleans, lists and objects.' },
];

describe('the config boundary: every case of the issue ends in one clear ConfigError', () => {
  for (const c of CASES) {
    it(c.name, () => {
      assert.throws(c.run, (error: unknown) => {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        if (process.env.PRINT_MESSAGES) console.log(JSON.stringify({ name: c.name, message: error.message }));
        else assert.equal(error.message, c.message);
        for (const secret of [GITHUB_TOKEN, AWS_KEY, SLACK_WEBHOOK, 'correct-horse-battery']) assert.ok(!error.message.includes(secret), 'the message echoes a secret');
        return true;
      });
    });
  }
});

describe('settings of a module that is off', () => {
  it('are a synth warning, not an error', () => {
    const stack = synthWith(mutated(dev, (c) => (c.modules = c.modules.filter((m: string) => m !== 'jenkins-x'))));
    const warnings = stack.node.findAll().flatMap((n) => n.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
    assert.ok(
      warnings.includes('[config] Environment "dev": jenkinsX is set, but the jenkins-x module is off, so these settings are ignored: add "jenkins-x" to modules, or remove jenkinsX.'),
      warnings.join('\n'),
    );
  });
});

void App;
