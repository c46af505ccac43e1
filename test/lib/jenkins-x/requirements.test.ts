import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { GitUrl } from '../../../lib/jenkins-x/git-url';
import { ClusterRequirements } from '../../../lib/jenkins-x/requirements';

/**
 * The field names jx-api (core.jenkins-x.io/v4beta1, pkg/apis/core/v4beta1/requirements.go)
 * declares for the parts this module writes; its JSON schema forbids any other key.
 */
const KNOWN = {
  root: ['apiVersion', 'kind', 'spec'],
  spec: ['autoUpdate', 'cluster', 'environments', 'extraDomains', 'ingress', 'kuberhealthy', 'pipelineUser', 'repository', 'repositories', 'secretStorage', 'storage', 'terraform', 'terraformVault', 'vault', 'webhook'],
  cluster: ['chartRepository', 'chartKind', 'chartSecret', 'registry', 'dockerRegistryOrg', 'kanikoFlags', 'environmentGitOwner', 'azure', 'gke', 'environmentGitPublic', 'gitPublic', 'provider', 'project', 'clusterName', 'region', 'zone', 'gitName', 'gitKind', 'gitServer', 'externalDNSSAName', 'kanikoSAName', 'issueProvider'],
  environment: ['key', 'owner', 'repository', 'gitServer', 'gitKind', 'gitUrl', 'ingress', 'remoteCluster', 'promotionStrategy', 'reusePullRequest', 'namespace'],
  ingress: ['apiVersion', 'externalDNS', 'cloud_dns_secret_name', 'domain', 'kind', 'ignoreLoadBalancer', 'namespaceSubDomain', 'tls', 'annotations'],
  tls: ['enabled', 'email', 'production', 'secretName'],
};

function requirements(remote = false): ClusterRequirements {
  const cluster = GitUrl.parse('https://github.com/company/jx3-dev-cluster.git', 'test', 'cluster');
  return new ClusterRequirements({
    clusterName: 'dev-cluster',
    provider: 'gke',
    clusterRepository: cluster,
    registry: 'ghcr.io',
    environments: [
      { key: 'dev', namespace: 'jx', promotion: 'Never' },
      { key: 'staging', namespace: 'jx-staging', promotion: 'Auto' },
      {
        key: 'production',
        namespace: 'jx-production',
        promotion: 'Manual',
        remoteRepository: remote ? GitUrl.parse('https://gitlab.company.com/ops/jx3-prod-cluster.git', 'test', 'r') : undefined,
      },
    ],
    ingress: { domain: 'dev.example.com', externalDNS: false, namespaceSubDomain: '-jx.', tls: { enabled: true, email: 'platform-team@example.com', production: false } },
    secretStorage: 'vault',
  });
}

describe('ClusterRequirements', () => {
  it('writes jx-requirements.yml: cluster, environments, ingress and TLS, secret storage, Lighthouse', () => {
    const doc = parse(requirements().toYaml());
    assert.deepEqual(doc, {
      apiVersion: 'core.jenkins-x.io/v4beta1',
      kind: 'Requirements',
      spec: {
        cluster: {
          clusterName: 'dev-cluster',
          provider: 'gke',
          environmentGitOwner: 'company',
          gitKind: 'github',
          gitName: 'github',
          gitServer: 'https://github.com',
          registry: 'ghcr.io',
        },
        environments: [
          { key: 'dev', promotionStrategy: 'Never', namespace: 'jx' },
          { key: 'staging', promotionStrategy: 'Auto', namespace: 'jx-staging' },
          { key: 'production', promotionStrategy: 'Manual', namespace: 'jx-production' },
        ],
        ingress: { domain: 'dev.example.com', externalDNS: false, namespaceSubDomain: '-jx.', tls: { enabled: true, email: 'platform-team@example.com', production: false } },
        secretStorage: 'vault',
        webhook: 'lighthouse',
      },
    });
  });

  it('names the repository of an environment in a remote cluster', () => {
    const production = parse(requirements(true).toYaml()).spec.environments[2];
    assert.deepEqual(production, {
      key: 'production',
      owner: 'ops',
      repository: 'jx3-prod-cluster',
      gitServer: 'https://gitlab.company.com',
      gitKind: 'gitlab',
      remoteCluster: true,
      promotionStrategy: 'Manual',
      namespace: 'jx-production',
    });
  });

  it('uses only field names jx-api knows', () => {
    for (const remote of [false, true]) {
      const doc = parse(requirements(remote).toYaml());
      const check = (obj: object, known: string[], where: string): void => {
        for (const key of Object.keys(obj)) assert.ok(known.includes(key), `${where}.${key}`);
      };
      check(doc, KNOWN.root, '(root)');
      check(doc.spec, KNOWN.spec, 'spec');
      check(doc.spec.cluster, KNOWN.cluster, 'spec.cluster');
      for (const e of doc.spec.environments) check(e, KNOWN.environment, 'spec.environments[]');
      check(doc.spec.ingress, KNOWN.ingress, 'spec.ingress');
      check(doc.spec.ingress.tls, KNOWN.tls, 'spec.ingress.tls');
    }
  });

  it('is byte-identical for the same input', () => {
    assert.equal(requirements().toYaml(), requirements().toYaml());
  });
});
