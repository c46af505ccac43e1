import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError } from '../../../lib/platform/errors';
import fc from 'fast-check';
import { detectSecret, lastKey, scanForSecrets } from '../../../lib/platform/secret-detector';
import { parseEmbedded } from '../../../lib/platform/config-boundary/tree-checks';
import { recordedDocuments, toRecordedYaml, toYaml } from '../../../lib/platform/yaml';

// Test values are assembled at run time so no token shape sits in the source.
const j = (...parts: string[]): string => parts.join('');

describe('the secret detector', () => {
  const shapes: Array<[string, string, string | undefined]> = [
    ['a private key', j('-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIE...'), undefined],
    ['a GitHub token', j('gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), undefined],
    ['a GitHub token', j('github', '_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'), undefined],
    ['a GitLab token', j('gl', 'pat-', 'xxxxxxxxxxxxxxxxxxxx'), undefined],
    ['a Slack token', j('xo', 'xb-', '123456789012-abcdefABCDEF'), undefined],
    // The shortest text any token shape matches (15 characters).
    ['a Slack token', j('xo', 'xb-', '1234567890'), undefined],
    ['a Slack webhook URL', j('https://hooks.slack.com/services/', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'), undefined],
    ['an AWS access key', j('AK', 'IAIOSFODNN7EXAMPLE'), undefined],
    ['a PagerDuty key', j('https://events.pagerduty.com/v2/enqueue?routing_key=', 'R0123456789abcdef0123456789abcde'), undefined],
    ['a JSON Web Token', j('ey', 'JhbGciOiJIUzI1NiJ9.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'), undefined],
    ['a bcrypt hash', j('$2', 'a$10$', 'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'), undefined],
    ['a URL with credentials', j('https://deploy:', 's3cr3t-pass', '@git.example.com/repo.git'), undefined],
    ['a password in "authPassword"', 'hunter2', 'alerting.warning[0].authPassword'],
    ['a token in "routing_key"', j('R0123456789', 'abcdef0123456789abcde'), 'pagerduty.routing_key'],
    ['a token in "apiToken"', j('Zx81', 'kQ9pLm27vBn', 'Tr5Wq'), 'apiToken'],
  ];
  for (const [kind, value, field] of shapes) {
    it(`finds ${kind}${field ? ` in ${field}` : ''}`, () => {
      assert.equal(detectSecret(value, field)?.kind, kind);
    });
  }

  it('finds a shape in a text exactly when it finds one in a line of it: no shape reaches across a line break', () => {
    // The tree check looks at a plain file's lines only when the whole text holds a shape.
    for (const [, value, field] of shapes) {
      if (field !== undefined) continue;
      for (let at = 0; at <= value.length; at++) {
        const text = `before\n${value.slice(0, at)}\n${value.slice(at)}\nafter`;
        const inALine = text.split('\n').some((line) => detectSecret(line) !== undefined);
        assert.equal(detectSecret(text) !== undefined, inALine, JSON.stringify(text));
      }
    }
  });

  it('names a text holding several shapes by the first shape in its list, wherever each sits in the text', () => {
    const jwt = shapes.find(([kind]) => kind === 'a JSON Web Token')![1];
    const github = shapes[1]![1];
    assert.equal(detectSecret(`${jwt} ${github}`)?.kind, 'a GitHub token');
    assert.equal(detectSecret(`${github} ${jwt}`)?.kind, 'a GitHub token');
  });

  it('finds credentials in a URL shorter than any token shape', () => {
    const url = j('s://u:', 'pw@h');
    assert.ok(url.length < 15);
    assert.equal(detectSecret(url)?.kind, 'a URL with credentials');
    assert.equal(detectSecret('s://u@h'), undefined);
  });

  const harmless: Array<[string, string | undefined]> = [
    ['argocd-server-tls', 'tlsSecretName'],
    ['gitops-repo-credentials', 'credentialsSecret'],
    ['$slack-token', 'token'],
    ['${var.grafana_admin_password}', 'password'],
    ['$(GIT_TOKEN)', 'token'],
    ['{{ .token }}', 'token'],
    ['slack-token', 'secretKeys'],
    ['https://$(GIT_USER):$(GIT_TOKEN)@github.com/company/repo', undefined],
    ['sha256:4f2a6e0c1b3d5f7a9c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a', 'digest'],
    ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', 'ageRecipients'],
    ['arn:aws:iam::123456789012:role/external-secrets', 'roleArn'],
    ['true', 'password'],
  ];
  for (const [value, field] of harmless) {
    it(`leaves ${JSON.stringify(value)}${field ? ` in ${field}` : ''} alone`, () => assert.equal(detectSecret(value, field), undefined));
  }

  it('answers the same for a value seen before, in any field: what it looks like is kept, where it sits is asked each time', () => {
    const github = j('gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(detectSecret(github), { kind: 'a GitHub token' });
      assert.deepEqual(detectSecret(github, 'metadata.name'), { kind: 'a GitHub token' });
      // The same harmless text is nothing in a plain field and a password in a password field.
      assert.equal(detectSecret('correct-horse-battery', 'description'), undefined);
      assert.deepEqual(detectSecret('correct-horse-battery', 'auth.password'), { kind: 'a password in "password"' });
      assert.equal(detectSecret('correct-horse-battery', 'passwordSecretName'), undefined);
      // Long text is looked at afresh every time.
      assert.deepEqual(detectSecret(`${'x'.repeat(300)} ${github}`), { kind: 'a GitHub token' });
    }
  });

  it('scans objects with paths, and inline YAML field by field', () => {
    const found = scanForSecrets({ spec: { values: 'db:\n  host: db\n  password: correct-horse-battery\n' } }, parseEmbedded);
    assert.deepEqual(found.map((f) => [f.path, f.finding.kind]), [['spec.values.db.password', 'a password in "password"']]);
  });

  it('names every finding by its path: list indexes, lists of lists, keys that are not identifiers quoted, lists at the top and inside inline YAML', () => {
    const github = j('gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
    const cases: Array<[unknown, Array<[string, string]>]> = [
      [
        [
          { metadata: { annotations: { 'example.org/token': github, plain: 'x' } } },
          { data: { 'values.yaml': `- name: a\n  auth:\n    password: correct-horse-battery\n` }, hooks: ['x', `https://user:${github.slice(0, 20)}@git.internal/repo`] },
        ],
        [
          ['[0].metadata.annotations["example.org/token"]', 'a GitHub token'],
          ['[1].data["values.yaml"][0].auth.password', 'a password in "password"'],
          ['[1].hooks[1]', 'a URL with credentials'],
        ],
      ],
      [
        {
          metadata: { name: 'clean', annotations: { 'example.com/note': j('gl', 'pat-', 'xxxxxxxxxxxxxxxxxxxx') } },
          spec: { env: [{ name: 'A', value: 'a' }, { name: 'B', value: j('https://deploy:', 's3cr3t-pass', '@git.example.com/r.git') }], auth: [[{ password: 'hunter22' }]] },
        },
        [
          ['metadata.annotations["example.com/note"]', 'a GitLab token'],
          ['spec.env[1].value', 'a URL with credentials'],
          ['spec.auth[0][0].password', 'a password in "password"'],
        ],
      ],
    ];
    for (const [value, expected] of cases) {
      assert.deepEqual(scanForSecrets(value, parseEmbedded).map((f) => [f.path, f.finding.kind]), expected);
    }
  });

  it('parses an embedded document once per process: every environment ships the same policies and scripts', () => {
    const text = 'db:\n  host: db\n  password: correct-horse-battery\n';
    // A copy of the text, as another environment's object would hold it.
    const again = parseEmbedded([...text].join(''));
    assert.equal(parseEmbedded(text), again);
    assert.deepEqual(again, { db: { host: 'db', password: 'correct-horse-battery' } });
  });

  it('reads a document the library wrote and recorded as the values it was written from, not parsing it', () => {
    const values = { db: { host: 'db', password: 'correct-horse-battery' }, replicas: 2 };
    const text = toRecordedYaml(values);
    assert.equal(text, toYaml(values));
    assert.equal(parseEmbedded(text), values);
    assert.deepEqual(parse(text), values, 'the document reads back as the values');
    // The scan finds what is in them, at the same path as in the parsed document.
    assert.deepEqual(scanForSecrets({ values: [text] }, parseEmbedded).map((f) => [f.path, f.finding.kind]), [['values[0].db.password', 'a password in "password"']]);
    // Text nobody recorded is parsed.
    const other = 'db:\n  password: another-horse-battery\n';
    assert.equal(recordedDocuments(other), undefined);
    assert.deepEqual(parseEmbedded(other), { db: { password: 'another-horse-battery' } });
  });

  it('parses text that only looks like YAML quietly, leaving the stack trace limit as it was', () => {
    const limit = Error.stackTraceLimit;
    assert.deepEqual(scanForSecrets({ script: 'def main():\n  print("a: b")\n  x = {a: [}\n' }, parseEmbedded), []);
    assert.equal(Error.stackTraceLimit, limit);
  });

  it('reads the last key of a path as the pattern-based reading does, for any mix of keys, indexes, quotes and dots', () => {
    // The reading it replaced: the list indexes at the end dropped, then the last run of characters outside `.[]"`.
    const byPatterns = (field: string): string => field.replace(/(\[\d+\])+$/, '').split(/[.\[\]"]+/).filter(Boolean).pop() ?? field;
    for (const [field, key] of [
      ['alerting.warning[0].authPassword', 'authPassword'],
      ['services[12].env[3]', 'env'],
      ['annotations["a/b"]', 'a/b'],
      ['x["0"]', '0'],
      ['list[0][1]', 'list'],
      ['[0]', '[0]'],
      ['a.[]', 'a'],
      ['"."', '"."'],
      ['password', 'password'],
    ]) {
      assert.equal(lastKey(field), key, field);
      assert.equal(byPatterns(field), key, field);
    }
    const piece = fc.oneof(fc.constantFrom('.', '[', ']', '"', '[0]', '[12]', '["a/b"]', 'password', 'key', '0', '1', '-', '/', ' '), fc.string({ maxLength: 3 }));
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), (field) => lastKey(field) === byPatterns(field)), { numRuns: 5_000 });
  });

  it('keeps secrets out of every ConfigError message', () => {
    const token = j('gh', 'p_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
    const error = new ConfigError('Environment "dev"', 'argocd.ingress.annotations["x"]', token, 'Fix it.');
    assert.equal(error.message, 'Environment "dev": argocd.ingress.annotations["x"] is a redacted value (it looks like a GitHub token). Fix it.');
    assert.equal(new ConfigError('X', 'a.authPassword', 'hunter2', 'Fix.').message, 'X: a.authPassword is a redacted value (it looks like a password in "authPassword"). Fix.');
    assert.equal(new ConfigError('X', 'a.list', ['ok', { url: j('https://hooks.slack.com/services/', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX') }], 'Fix.').message, 'X: a.list is a redacted value (it looks like a Slack webhook URL). Fix.');
  });
});
