/**
 * Renders the generated documentation from the stacks themselves, so it can
 * never drift from what `npm run synth` produces:
 *
 * - `docs/environments/<env>.md`: per environment, mermaid pictures of the
 *   install and sync order (controllers, bootstrap release, the tree's
 *   sections) and of the promotion path and deployment order, plus tables;
 * - the generated regions of `docs/deploy.md`: the sensitive Terraform
 *   variables and the secret-store keys each module reads, per environment;
 * - `.env.example`: the TF_VAR_ variables, empty;
 * - `schemas/outputs/<output>.schema.json`: the outputs contract as JSON Schema.
 *
 * `npm run docs` writes them; `test/scripts/docs.test.ts` fails when a file differs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../environments';
import { MODULE_NAMES } from '../lib/platform/environment';
import { EnvironmentConfig } from '../stacks/environment';
import { STATUS_OUTPUTS } from '../lib/platform/status';
import { statusOutputSchemas } from '../lib/platform/status-contract';
import { GitOpsStack } from '../stacks/gitops-stack';

type Json = Record<string, unknown>;

/** One environment as synthesized: its Terraform JSON and the files of its tree. */
interface Synthesized {
  readonly environment: EnvironmentConfig;
  readonly tf: { resource: Record<string, Record<string, Json>>; variable?: Record<string, Json>; output: Record<string, { value: Json }> };
  readonly files: ReadonlyMap<string, string>;
}

function synthesize(environment: EnvironmentConfig): Synthesized {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `docs-${environment.name}-`));
  try {
    const stack = new GitOpsStack(Testing.app(), environment.name, { environment, manifestDirectory: directory });
    const tf = JSON.parse(Testing.synth(stack)) as Synthesized['tf'];
    const files = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.set(path.relative(directory, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
      }
    };
    walk(directory);
    return { environment, tf, files };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

/** A key an ExternalSecret reads from a secret store. */
export interface SecretStoreKey {
  readonly module: string;
  readonly store: string;
  readonly key: string;
  readonly property?: string;
  /** `namespace/name` of the Secret it writes, and the key in it. */
  readonly target: string;
}

function moduleOf(file: string): string {
  const base = path.posix.basename(file);
  return MODULE_NAMES.find((m) => base === `${m}.yaml` || base.startsWith(`${m}-`)) ?? 'platform';
}

/** Every remote key the environment's ExternalSecrets read, sorted by module, key and property. */
export function secretStoreKeys(files: ReadonlyMap<string, string>): SecretStoreKey[] {
  const keys: SecretStoreKey[] = [];
  for (const [file, content] of files) {
    if (!file.endsWith('.yaml') || file.startsWith('bootstrap/templates/') || !content.includes('ExternalSecret')) continue;
    for (const doc of parseAllDocuments(content)) {
      const object = doc.toJS() as { kind?: string; metadata?: { name: string; namespace?: string }; spec?: Json } | null;
      if (!object || object.kind !== 'ExternalSecret' || !object.spec) continue;
      const spec = object.spec as {
        secretStoreRef: { name: string; kind?: string };
        target?: { name?: string };
        data?: Array<{ secretKey: string; remoteRef: { key: string; property?: string } }>;
        dataFrom?: Array<{ extract?: { key: string }; find?: unknown }>;
      };
      const secret = `${object.metadata?.namespace ?? 'default'}/${spec.target?.name ?? object.metadata?.name}`;
      // A namespaced SecretStore (a tenant's own) is named with its namespace: it logs in with its own role.
      const store = spec.secretStoreRef.kind === 'SecretStore' ? `${object.metadata?.namespace ?? 'default'}/${spec.secretStoreRef.name}` : spec.secretStoreRef.name;
      for (const entry of spec.data ?? []) {
        keys.push({ module: moduleOf(file), store, key: entry.remoteRef.key, property: entry.remoteRef.property, target: `${secret}: ${entry.secretKey}` });
      }
      for (const entry of spec.dataFrom ?? []) {
        if (entry.extract) keys.push({ module: moduleOf(file), store, key: entry.extract.key, target: `${secret}: every property` });
      }
    }
  }
  const order = (k: SecretStoreKey) => `${k.module}\u0000${k.store}\u0000${k.key}\u0000${k.property ?? ''}\u0000${k.target}`;
  return keys.sort((a, b) => order(a).localeCompare(order(b)));
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  gitops_repo_token: 'token for the GitOps repository (Argo CD and Flux repository Secrets; write-only, not kept in state)',
  argocd_admin_password_bcrypt: 'bcrypt hash of the break-glass Argo CD admin password (made with htpasswd, see docs/deploy.md)',
  grafana_admin_password: "Grafana's admin password",
  jenkins_x_git_username: 'the Jenkins X bot user that clones the cluster repository',
  jenkins_x_git_token: "the Jenkins X bot's token",
  cluster_token: 'API server token, when the cluster is given by host',
  cluster_ca_certificate: 'API server CA (PEM), when the cluster is given by host',
};

function variablesByEnvironment(all: readonly Synthesized[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const s of all) for (const name of Object.keys(s.tf.variable ?? {}).sort()) byName.set(name, [...(byName.get(name) ?? []), s.environment.name]);
  return new Map([...byName].sort(([a], [b]) => a.localeCompare(b)));
}

function renderVariables(all: readonly Synthesized[]): string {
  const lines = ['| variable | environments | what |', '| --- | --- | --- |'];
  for (const [name, envs] of variablesByEnvironment(all)) {
    lines.push(`| \`TF_VAR_${name}\` | ${envs.join(', ')} | ${DESCRIPTIONS[name] ?? String(all.find((s) => s.tf.variable?.[name])?.tf.variable?.[name]?.description ?? '')} |`);
  }
  return lines.join('\n');
}

function renderSecretKeys(all: readonly Synthesized[]): string {
  const out: string[] = [];
  for (const s of all) {
    out.push(`#### ${s.environment.name}`, '', '| module | store | key | property | written to (namespace/Secret: key) |', '| --- | --- | --- | --- | --- |');
    for (const k of secretStoreKeys(s.files)) out.push(`| ${k.module} | \`${k.store}\` | \`${k.key}\` | ${k.property ? `\`${k.property}\`` : '-'} | \`${k.target}\` |`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

function renderEnvExample(all: readonly Synthesized[]): string {
  const lines = [
    '# The sensitive Terraform variables of the shipped stacks, as environment variables.',
    '# The counterpart of a terraform.tfvars.example: copy to .env (git-ignored), fill in,',
    '# then `set -a; . ./.env; set +a` before `cdktf deploy <env>`. Generated by `npm run docs`.',
    '',
  ];
  for (const [name, envs] of variablesByEnvironment(all)) {
    lines.push(`# ${(DESCRIPTIONS[name] ?? name).replace(/`/g, '')}; used by ${envs.join(', ')}`, `TF_VAR_${name}=`, '');
  }
  return lines.join('\n').trimEnd() + '\n';
}

/** A mermaid node id: letters, digits and underscores only. */
function id(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function label(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/"/g, "'")).join('<br/>')}"`;
}

function renderEnvironment(s: Synthesized): string {
  const env = s.environment;
  const out = (name: string) => s.tf.output[name].value;
  const patterns = out('gitops_patterns_status') as { repository: { url: string; revision: string; path: string }; argocd?: { app_of_apps?: { name: string; path: string } | null }; flux?: { sync?: { kustomizations: Array<{ name: string; path: string; depends_on: string[]; prune: boolean }> }; workloads?: Array<{ name: string; kustomization: string; path: string }> } };
  const automation = out('advanced_automation_status') as { delivery?: { engine: string; deployment_order: string[]; promotion: { path: string[] }; services: Record<string, { depends_on: string[]; sync_wave: number; strategy: { kind: string } }> } };

  const releases = Object.values(s.tf.resource.helm_release ?? {}).map((r) => ({
    name: String(r.name),
    chart: String(r.chart),
    version: r.version === undefined ? undefined : String(r.version),
    namespace: String(r.namespace),
    dependsOn: ((r.depends_on as string[] | undefined) ?? []),
  }));
  const addressToRelease = new Map(Object.entries(s.tf.resource.helm_release ?? {}).map(([key, r]) => [`helm_release.${key}`, String(r.name)]));
  const bootstrap = releases.find((r) => r.name === 'gitops-bootstrap');
  const controllers = releases.filter((r) => r !== bootstrap);
  const namespaces = [...new Set(controllers.map((c) => c.namespace))].sort();

  const lines: string[] = [
    `# The ${env.name} environment`,
    '',
    `<!-- Generated by \`npm run docs\` from the ${env.name} stack; test/scripts/docs.test.ts keeps it current. -->`,
    '',
    `Tier \`${env.tier}\`, cluster \`${(out('multi_environment_status') as { cluster: string }).cluster}\`, tracking \`${patterns.repository.revision}\` of ${patterns.repository.url} at \`${patterns.repository.path}\`, `,
    `state backend \`${env.backend.type}\`, policy enforcement \`${env.policyEnforcement}\`, sync ${env.syncPolicy.automated ? 'automated' : 'manual'}${env.syncPolicy.prune ? ' with prune' : ', no automated prune'}${env.syncPolicy.selfHeal ? ', self-heal' : ''}.`,
    '',
    '## Install and sync order',
    '',
    'Terraform installs each controller after its namespace and the bootstrap release after every controller',
    '(`cdktf destroy` removes them in the reverse order); the bootstrap release creates the objects that start the sync of the tree.',
    '',
    '```mermaid',
    'flowchart LR',
    `  subgraph terraform[${label(`Terraform: cdktf.out/stacks/${env.name}`)}]`,
    '    direction TB',
  ];
  for (const ns of namespaces) lines.push(`    ${id('ns', ns)}[${label(`namespace ${ns}`)}]`);
  for (const c of controllers) {
    lines.push(`    ${id('rel', c.name)}[${label(c.name, `${c.chart} ${c.version ?? ''}`.trim())}]`);
    lines.push(`    ${id('ns', c.namespace)} --> ${id('rel', c.name)}`);
    for (const dep of c.dependsOn) {
      const other = addressToRelease.get(dep);
      if (other) lines.push(`    ${id('rel', other)} --> ${id('rel', c.name)}`);
    }
  }
  if (bootstrap) {
    lines.push(`    ${id('rel', bootstrap.name)}[${label(bootstrap.name, 'bootstrap chart')}]`);
    for (const c of controllers) lines.push(`    ${id('rel', c.name)} --> ${id('rel', bootstrap.name)}`);
  }
  lines.push('  end');

  const rootKustomization = s.files.get('kustomization.yaml') ?? '';
  const sections = ((parseAllDocuments(rootKustomization)[0]?.toJS() as { resources?: string[] } | undefined)?.resources ?? []).slice();
  lines.push(`  subgraph tree[${label(`GitOps tree: ${patterns.repository.path} on ${patterns.repository.revision}`)}]`, '    direction TB');
  for (const section of sections) lines.push(`    ${id('sec', section)}[${label(`${section}/`)}]`);
  const kustomizations = patterns.flux?.sync?.kustomizations ?? [];
  for (const k of kustomizations) {
    for (const dep of k.depends_on) lines.push(`    ${id('sec', dep.split('/').pop()!)} -->|${label('dependsOn')}| ${id('sec', k.name)}`);
  }
  for (const w of patterns.flux?.workloads ?? []) lines.push(`    ${id('wl', w.name)}[${label(`workloads/${w.name}/`)}]`);
  lines.push('  end');
  // Who creates each Flux Kustomization: the bootstrap release or a synced section of the tree.
  const creator = (name: string): string | undefined => {
    for (const [file, content] of s.files) {
      if (!file.endsWith('.yaml') || file.startsWith('bootstrap/templates/') || !content.includes('kind: Kustomization')) continue;
      const declares = parseAllDocuments(content).some((doc) => {
        const o = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
        return o?.kind === 'Kustomization' && String(o.apiVersion).startsWith('kustomize.toolkit.fluxcd.io') && o.metadata?.name === name;
      });
      if (declares) return file.startsWith('bootstrap/') && bootstrap ? id('rel', bootstrap.name) : id('sec', file.split('/')[0]);
    }
    return undefined;
  };
  for (const k of kustomizations) {
    const from = creator(k.name);
    if (from) lines.push(`  ${from} -->|${label(`Flux ${k.name}`)}| ${id('sec', k.name)}`);
  }
  for (const w of patterns.flux?.workloads ?? []) {
    const from = creator(w.kustomization);
    if (from) lines.push(`  ${from} -->|${label(`Flux ${w.kustomization}`)}| ${id('wl', w.name)}`);
  }
  const root = patterns.argocd?.app_of_apps;
  if (root && bootstrap) {
    const section = root.path.split('/').pop()!;
    const target = sections.includes(section) ? id('sec', section) : 'tree';
    lines.push(`  ${id('rel', bootstrap.name)} -->|${label(`Argo CD ${root.name}`)}| ${target}`);
  }
  lines.push('```', '');

  const delivery = automation.delivery;
  if (delivery) {
    lines.push('## Promotion path and deployment order', '', `Services are promoted along ${delivery.promotion.path.join(' → ')} and deployed in dependency order (${delivery.engine === 'flux' ? 'Flux `dependsOn`' : 'Argo CD sync waves'}).`, '', '```mermaid', 'flowchart LR');
    lines.push('  subgraph promotion["promotion"]', '    direction LR');
    delivery.promotion.path.forEach((stage, i) => {
      const revision = ENVIRONMENTS.find((e) => e.name === stage)?.gitops.revision;
      lines.push(`    ${id('env', stage)}[${label(stage === env.name ? `${stage} (this environment)` : stage, revision ? `branch ${revision}` : '')}]`);
      if (i > 0) lines.push(`    ${id('env', delivery.promotion.path[i - 1])} --> ${id('env', stage)}`);
    });
    lines.push('  end', '  subgraph order["deployment order"]', '    direction LR');
    for (const name of delivery.deployment_order) {
      const svc = delivery.services[name];
      lines.push(`    ${id('svc', name)}[${label(name, `wave ${svc.sync_wave}, ${svc.strategy.kind}`)}]`);
      for (const dep of svc.depends_on) lines.push(`    ${id('svc', dep)} --> ${id('svc', name)}`);
    }
    lines.push('  end', '```', '');
  }

  lines.push('## Controllers', '', '| release | chart | version | namespace |', '| --- | --- | --- | --- |');
  for (const r of [...controllers, ...(bootstrap ? [bootstrap] : [])]) lines.push(`| \`${r.name}\` | ${r.chart.startsWith('assets/') ? 'generated bootstrap chart' : r.chart} | ${r.version ?? '-'} | \`${r.namespace}\` |`);
  lines.push('', '## The tree', '', '| folder | files | synced by |', '| --- | --- | --- |');
  const folders = new Map<string, number>();
  for (const file of s.files.keys()) {
    const top = file.includes('/') ? file.split('/')[0] : '.';
    folders.set(top, (folders.get(top) ?? 0) + 1);
  }
  const syncedBy = (folder: string): string => {
    if (folder === 'bootstrap') return 'never synced: Terraform installs it';
    if (folder === 'jenkins-x') return 'not synced: files for other repositories';
    if (folder === 'workloads') return 'a Flux Kustomization per workload';
    if (kustomizations.some((k) => k.name === folder)) return `Flux Kustomization \`${folder}\``;
    if (patterns.argocd?.app_of_apps?.path.endsWith(`/${folder}`)) return `Argo CD \`${patterns.argocd.app_of_apps.name}\``;
    if (folder === '.') return 'the root kustomization.yaml';
    return kustomizations.length === 0 && patterns.argocd?.app_of_apps ? `Argo CD \`${patterns.argocd.app_of_apps.name}\`` : '-';
  };
  for (const [folder, count] of [...folders].sort(([a], [b]) => a.localeCompare(b))) lines.push(`| \`${folder === '.' ? '.' : `${folder}/`}\` | ${count} | ${syncedBy(folder)} |`);
  lines.push('', '## Secret-store keys', '', '| module | store | key | property |', '| --- | --- | --- | --- |');
  for (const k of secretStoreKeys(s.files)) lines.push(`| ${k.module} | \`${k.store}\` | \`${k.key}\` | ${k.property ? `\`${k.property}\`` : '-'} |`);
  lines.push('', '## Sensitive variables', '', Object.keys(s.tf.variable ?? {}).sort().map((v) => `\`TF_VAR_${v}\``).join(', ') || 'none', '');
  return lines.join('\n');
}

/** Replaces the text between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`. */
export function replaceRegion(text: string, name: string, content: string): string {
  const begin = `<!-- BEGIN GENERATED: ${name} (npm run docs) -->`;
  const end = `<!-- END GENERATED: ${name} -->`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`docs/deploy.md has no region "${name}": add the lines ${begin} and ${end}`);
  return `${text.slice(0, start + begin.length)}\n\n${content}\n\n${text.slice(stop)}`;
}

/** Every generated file, path relative to the project root -> content. */
export function renderDocs(root: string, environments: readonly EnvironmentConfig[] = ENVIRONMENTS): Map<string, string> {
  const all = environments.map(synthesize);
  const files = new Map<string, string>();
  for (const s of all) files.set(`docs/environments/${s.environment.name}.md`, renderEnvironment(s));
  const deployPath = path.join(root, 'docs/deploy.md');
  let deploy = fs.readFileSync(deployPath, 'utf8');
  deploy = replaceRegion(deploy, 'variables', renderVariables(all));
  deploy = replaceRegion(deploy, 'secret-store-keys', renderSecretKeys(all));
  files.set('docs/deploy.md', deploy);
  files.set('.env.example', renderEnvExample(all));
  const schemas = statusOutputSchemas();
  for (const name of STATUS_OUTPUTS) files.set(`schemas/outputs/${name}.schema.json`, JSON.stringify(schemas[name], null, 2) + '\n');
  return files;
}
