import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { AdminAccount, ArgoCdSso, DexConnector } from '../../../lib/argocd';
import { componentResources, renderResources } from '../../../lib/argocd/resources';

describe('ArgoCdSso', () => {
  it('oidc() writes oidc.config with the client secret as a $secret:key reference', () => {
    const sso = ArgoCdSso.oidc({
      name: 'Okta',
      issuer: 'https://company.okta.com/oauth2/default',
      clientId: 'argocd',
      clientSecret: { secretName: 'argocd-sso', key: 'oidc.clientSecret' },
    });
    assert.equal(sso.dexEnabled, false);
    assert.deepEqual(Object.keys(sso.configMapEntries()), ['oidc.config']);
    assert.deepEqual(parse(sso.configMapEntries()['oidc.config']), {
      name: 'Okta',
      issuer: 'https://company.okta.com/oauth2/default',
      clientID: 'argocd',
      clientSecret: '$argocd-sso:oidc.clientSecret',
      requestedScopes: ['openid', 'profile', 'email', 'groups'],
      requestedIDTokenClaims: { groups: { essential: true } },
    });
    assert.deepEqual(sso.secretReferences, [{ secretName: 'argocd-sso', key: 'oidc.clientSecret' }]);
  });

  it('dex() writes dex.config with every connector and turns Dex on', () => {
    const sso = ArgoCdSso.dex([
      DexConnector.github({
        clientId: 'gh-client',
        clientSecret: { secretName: 'argocd-sso', key: 'dex.github.clientSecret' },
        orgs: [{ name: 'company', teams: ['platform'] }],
      }),
      DexConnector.oidc({
        id: 'entra',
        name: 'Entra ID',
        issuer: 'https://login.microsoftonline.com/tenant/v2.0',
        clientId: 'entra-client',
        clientSecret: { secretName: 'argocd-sso', key: 'dex.entra.clientSecret' },
      }),
    ]);
    assert.equal(sso.dexEnabled, true);
    assert.equal(sso.provider, 'github, entra');
    assert.deepEqual(parse(sso.configMapEntries()['dex.config']), {
      connectors: [
        {
          type: 'github',
          id: 'github',
          name: 'GitHub',
          config: { clientID: 'gh-client', clientSecret: '$argocd-sso:dex.github.clientSecret', orgs: [{ name: 'company', teams: ['platform'] }] },
        },
        {
          type: 'oidc',
          id: 'entra',
          name: 'Entra ID',
          config: { issuer: 'https://login.microsoftonline.com/tenant/v2.0', clientID: 'entra-client', clientSecret: '$argocd-sso:dex.entra.clientSecret' },
        },
      ],
    });
  });

  it('fails when the issuer is not https or the secret reference is malformed', () => {
    assert.throws(
      () => ArgoCdSso.oidc({ name: 'x', issuer: 'http://idp', clientId: 'c', clientSecret: { secretName: 'argocd-sso', key: 'k' } }),
      { message: 'ArgoCdSso: oidc.issuer is "http://idp". Use the https:// URL of the identity provider.' },
    );
    assert.throws(
      () => ArgoCdSso.oidc({ name: 'x', issuer: 'https://idp', clientId: 'c', clientSecret: { secretName: 'Argo SSO', key: 'k' } }),
      { message: "ArgoCdSso: oidc.clientSecret.secretName is \"Argo SSO\". Use the name of a Secret in Argo CD's namespace." },
    );
  });

  it('fails when Dex has no connector or a GitHub connector no organisation', () => {
    assert.throws(() => ArgoCdSso.dex([]), { message: 'ArgoCdSso: dex.connectors is []. Give at least one connector, such as DexConnector.github(...).' });
    assert.throws(() => DexConnector.github({ clientId: 'c', clientSecret: { secretName: 's', key: 'k' }, orgs: [] }), {
      message: 'DexConnector: github.orgs is []. Restrict logins to at least one GitHub organisation.',
    });
  });
});

describe('AdminAccount', () => {
  it('is disabled, or enabled with a bcrypt hash from a sensitive variable', () => {
    assert.equal(AdminAccount.disabled().enabled, false);
    const admin = AdminAccount.bcryptFromVariable({ passwordMtime: '2026-01-15T09:00:00Z' });
    assert.equal(admin.enabled, true);
    assert.equal(admin.variableName, 'argocd_admin_password_bcrypt');
  });

  it('fails when the variable name or mtime is malformed', () => {
    assert.throws(() => AdminAccount.bcryptFromVariable({ variableName: 'Admin-Password' }), {
      message: 'AdminAccount: variableName is "Admin-Password". Use a lowercase snake_case Terraform variable name.',
    });
    assert.throws(() => AdminAccount.bcryptFromVariable({ passwordMtime: 'yesterday' }), {
      message: 'AdminAccount: passwordMtime is "yesterday". Use an RFC 3339 UTC time such as "2026-01-15T09:00:00Z".',
    });
  });
});

describe('component resources', () => {
  it('sizes every component by tier and applies overrides', () => {
    const dev = componentResources('development');
    const prod = componentResources('production', { dex: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '50m', memory: '64Mi' } } });
    assert.deepEqual(Object.keys(prod), ['controller', 'server', 'repoServer', 'applicationSet', 'notifications', 'redis', 'dex']);
    assert.deepEqual(prod.dex.requests, { cpu: '10m', memory: '32Mi' });
    assert.notDeepEqual(dev.controller, prod.controller);
  });

  it('fails when a component is unknown, a quantity malformed or a request above its limit', () => {
    assert.throws(() => componentResources('development', { repo: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } } as never), {
      message: 'ArgoCdSettings: resources is "repo". Use one of controller, server, repoServer, applicationSet, notifications, redis, dex.',
    });
    assert.throws(() => renderResources('X', 'resources.server', { requests: { cpu: 'half', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), {
      message: 'X: resources.server.requests.cpu is "half". Use a CPU quantity such as "250m" or "1".',
    });
    assert.throws(() => renderResources('X', 'resources.server', { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1500m', memory: '1Gi' } }), {
      message: 'X: resources.server.requests.cpu is "2". The request exceeds the limit (1500m); lower it or raise the limit.',
    });
    assert.throws(() => renderResources('X', 'resources.server', { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '1024Mi' } }), {
      message: 'X: resources.server.requests.memory is "2Gi". The request exceeds the limit (1024Mi); lower it or raise the limit.',
    });
  });
});
