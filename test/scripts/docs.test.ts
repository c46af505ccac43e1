import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ENVIRONMENTS } from '../../environments';
import { renderDocs, replaceRegion, secretStoreKeys } from '../../scripts/docs-render';

const root = path.resolve(__dirname, '../..');
const rendered = renderDocs(root);

/** Checks a mermaid flowchart in the subset the generator writes: declared nodes, edges between known ids. */
function checkFlowchart(source: string): string[] {
  const problems: string[] = [];
  const nodes = new Set<string>();
  const edges: Array<[string, string]> = [];
  const lines = source.split('\n').filter((l) => l.trim() !== '');
  if (!/^flowchart (LR|TB)$/.test(lines[0])) problems.push(`first line: ${lines[0]}`);
  let depth = 0;
  for (const line of lines.slice(1)) {
    const text = line.trim();
    let m: RegExpExecArray | null;
    if ((m = /^subgraph ([A-Za-z0-9_]+)\["[^"]*"\]$/.exec(text))) {
      nodes.add(m[1]);
      depth++;
    } else if (text === 'end') depth--;
    else if (/^direction (LR|TB)$/.test(text)) continue;
    else if ((m = /^([A-Za-z0-9_]+)\["[^"]+"\]$/.exec(text))) nodes.add(m[1]);
    else if ((m = /^([A-Za-z0-9_]+) -->(?:\|"[^"|]+"\|)? ([A-Za-z0-9_]+)$/.exec(text))) edges.push([m[1], m[2]]);
    else problems.push(`not a flowchart line: ${text}`);
    if (depth < 0) problems.push('end without subgraph');
  }
  if (depth !== 0) problems.push('unclosed subgraph');
  for (const [from, to] of edges) for (const node of [from, to]) if (!nodes.has(node)) problems.push(`edge to undeclared node ${node}`);
  return problems;
}

describe('npm run docs', () => {
  it('is the script package.json runs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.docs, 'node --import tsx scripts/docs.ts');
  });

  for (const [file, content] of rendered) {
    it(`${file} is current (run npm run docs after changing a stack)`, () => {
      const onDisk = fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : '(missing)';
      assert.equal(onDisk, content);
    });
  }

  for (const env of ENVIRONMENTS) {
    it(`draws ${env.name}: every controller, the bootstrap release, the tree's sections, the sync order and the promotion path`, () => {
      const page = rendered.get(`docs/environments/${env.name}.md`)!;
      const charts = [...page.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
      assert.equal(charts.length, 2);
      for (const chart of charts) assert.deepEqual(checkFlowchart(chart), []);
      const [install, promotion] = charts;
      for (const release of ['argocd', 'flux2', 'jx-git-operator', 'kube-prometheus-stack', 'gatekeeper', 'external-secrets', 'sealed-secrets', 'argo-rollouts']) {
        assert.match(install, new RegExp(`rel_${release.replace(/-/g, '_')} --> rel_gitops_bootstrap`), release);
      }
      assert.match(install, /ns_argocd --> rel_argocd\n/);
      for (const section of ['infrastructure', 'policies', 'tenants', 'apps']) assert.match(install, new RegExp(`sec_${section}\\["${section}/"\\]`));
      assert.match(install, /sec_infrastructure -->\|"dependsOn"\| sec_policies\n\s+sec_policies -->\|"dependsOn"\| sec_tenants/);
      assert.match(install, new RegExp(`rel_gitops_bootstrap -->\\|"Argo CD ${env.name}-root"\\| sec_apps`));
      // A standby is off the promotion path: nothing is promoted to it.
      if (env.delivery?.promotion) assert.match(promotion, /env_dev --> env_staging\n[\s\S]*env_staging --> env_prod/);
      else assert.doesNotMatch(promotion, /-->\s*env_/);
      assert.match(promotion, new RegExp(`env_${env.name}\\["${env.name} \\(this environment\\)<br/>branch ${env.gitops.revision}"\\]`));
      assert.match(promotion, /svc_database --> svc_backend_api/);
    });
  }

  it('lists the remote keys of every ExternalSecret, by module', () => {
    const files = new Map([
      ['apps/argocd-secrets.yaml', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: argocd-sso\n  namespace: argocd\nspec:\n  secretStoreRef:\n    name: vault-backend\n    kind: ClusterSecretStore\n  target:\n    name: argocd-sso\n  data:\n    - secretKey: oidc.clientSecret\n      remoteRef:\n        key: argocd/argocd-sso\n        property: oidc.clientSecret\n  dataFrom:\n    - extract:\n        key: argocd/extra\n'],
      ['infrastructure/jenkins-x.yaml', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: jx-boot\n  namespace: jx\nspec:\n  secretStoreRef:\n    name: aws-secretsmanager\n  data:\n    - secretKey: token\n      remoteRef:\n        key: jx/boot\n'],
      ['apps/other.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'],
      ['tenants/security-database-credentials.yaml', 'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: database-credentials\n  namespace: team-a\nspec:\n  secretStoreRef:\n    name: vault-backend\n    kind: SecretStore\n  target:\n    name: database-secret\n  data:\n    - secretKey: password\n      remoteRef:\n        key: database/production\n        property: password\n'],
    ]);
    assert.deepEqual(secretStoreKeys(files), [
      { module: 'argocd', store: 'vault-backend', key: 'argocd/argocd-sso', property: 'oidc.clientSecret', target: 'argocd/argocd-sso: oidc.clientSecret' },
      { module: 'argocd', store: 'vault-backend', key: 'argocd/extra', target: 'argocd/argocd-sso: every property' },
      { module: 'jenkins-x', store: 'aws-secretsmanager', key: 'jx/boot', property: undefined, target: 'jx/jx-boot: token' },
      // A tenant's own store is named with its namespace.
      { module: 'security', store: 'team-a/vault-backend', key: 'database/production', property: 'password', target: 'team-a/database-secret: password' },
    ]);
  });

  it('fails when docs/deploy.md lost a generated region', () => {
    assert.throws(() => replaceRegion('# Deploy\n', 'variables', 'x'), /docs\/deploy\.md has no region "variables"/);
  });
});
