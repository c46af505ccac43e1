import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSecrets } from './secrets';

describe('secret scanner', () => {
  it('finds literal secrets', () => {
    const samples = [
      'key: -----BEGIN RSA PRIVATE KEY-----',
      'bearerToken: eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ',
      'url: https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXX',
      'password: SuperSecret123',
      '"admin_password": "hunter2hunter2"',
      '$2a$10$abcdefghijklmnopqrstuuVvWwXxYyZz0123456789ABCDEFGHIJKL.',
      'repo: https://user:pass@github.com/company/x',
    ];
    for (const sample of samples) assert.notDeepEqual(findSecrets('f', sample), [], sample);
  });

  it('accepts references to secrets', () => {
    const samples = [
      'password: $argocd-secret:admin.password',
      'api_url_file: /etc/alertmanager/secrets/slack/url',
      'secretRef:\n  name: slack-webhook',
      'value: ${var.grafana_admin_password}',
      'token: ""',
      'passwordSecretRef: git-credentials',
    ];
    for (const sample of samples) assert.deepEqual(findSecrets('f', sample), [], sample);
  });
});
