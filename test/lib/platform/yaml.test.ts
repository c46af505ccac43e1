import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { toYaml, toYamlDocuments } from '../../../lib/platform/yaml';

/** Reads YAML the way Kubernetes tools do (YAML 1.1 booleans and numbers) and as YAML 1.2. */
function readBack(text: string, version: '1.1' | '1.2'): unknown[] {
  return parseAllDocuments(text, { version }).map((d) => d.toJS());
}

const TRICKY: Record<string, unknown> = {
  yes: 'yes',
  on: 'on',
  sexagesimal: '1:20',
  hex: '0x1F',
  duration: '5s',
  exponent: '1e3',
  quantity: '10Gi',
  empty: '',
  colon: 'a: b',
  comment: 'x #y',
  block: 'multi\nline\n',
  blockNoNewline: 'multi\nline',
  leadingSpace: '  lead\nx',
  emptyList: [],
  emptyMap: {},
  nested: [[1, 2], [{ q: 1 }]],
  listOfMaps: [{ s: 't', u: [1] }],
  nothing: null,
  flag: true,
  number: 3.5,
  template: '{{ .Values.x }}',
  trailing: 'trail ',
  endsWithColon: 'ends:',
  apostrophe: "it's",
  date: '2001-12-14',
  manyNewlines: 'a\n\n\nb\n',
  blankLine: 'x\n  \ny',
  tilde: '~',
  negative: '-1',
  fraction: '.5',
  trailingBlank: 'line1\n\nline3\n\n',
  unicode: 'héllo → wörld',
  control: 'bell\u0007',
  '80': 'numeric key',
  'a b': 'spaced key',
  'k:': 'colon key',
  'app.kubernetes.io/name': 'label key',
};

describe('toYaml', () => {
  for (const version of ['1.1', '1.2'] as const) {
    it(`writes values that YAML ${version} reads back unchanged`, () => {
      for (const [key, value] of Object.entries(TRICKY)) {
        const doc = { [key]: value, list: [value] };
        assert.deepEqual(readBack(toYaml(doc), version)[0], doc, `${key}: ${toYaml(doc)}`);
      }
    });
  }

  it('writes a string the same way every time, short or long, as a key or a value', () => {
    const long = `yes ${'x'.repeat(200)}: no`;
    for (let round = 0; round < 3; round++) {
      assert.equal(toYaml({ yes: 'yes', plain: 'web', [long]: long }), `'yes': 'yes'\nplain: web\n'${long}': '${long}'\n`);
    }
    // Every tricky string, read back after it was written once already.
    for (const [key, value] of Object.entries(TRICKY)) {
      const doc = { [key]: value };
      assert.equal(toYaml(doc), toYaml(JSON.parse(JSON.stringify(doc)) as unknown), key);
      assert.deepEqual(readBack(toYaml(doc), '1.2')[0], doc, key);
    }
  });

  it('quotes every reserved word, as a key or a value, and writes other words plain', () => {
    const reserved = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL'];
    for (const word of reserved) {
      assert.equal(toYaml({ [word]: word }), `'${word}': '${word}'\n`, word);
      assert.deepEqual(readBack(toYaml({ [word]: [word] }), '1.1')[0], { [word]: [word] }, word);
    }
    for (const word of ['yesterday', 'Nope', 'null_value', 'on-call', 'offline', '/healthz', '_private', 'app.kubernetes.io/part-of', 'x.y', 'truex']) {
      assert.equal(toYaml({ [word]: word }), `${word}: ${word}\n`, word);
      assert.deepEqual(readBack(toYaml({ [word]: word }), '1.1')[0], { [word]: word }, word);
    }
  });

  it('writes readable block YAML', () => {
    assert.equal(
      toYaml({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 3, ports: [{ port: 80 }], args: ['--a', '5s'] } }),
      "metadata:\n  name: web\n  labels:\n    app: web\nspec:\n  replicas: 3\n  ports:\n    - port: 80\n  args:\n    - '--a'\n    - 5s\n",
    );
    assert.equal(toYaml({ script: 'echo one\necho two\n' }), 'script: |\n  echo one\n  echo two\n');
  });

  it('writes lists of lists and of maps with each nested block after its dash', () => {
    const value = { lists: [[1, [2, { a: 1, b: [3, [], {}] }]], { x: { y: 1 }, z: [] }, [], 'text'], empty: {}, after: 'yes' };
    const text = toYaml(value);
    assert.equal(
      text,
      "lists:\n  - - 1\n    - - 2\n      - a: 1\n        b:\n          - 3\n          - []\n          - {}\n  - x:\n      'y': 1\n    z: []\n  - []\n  - text\nempty: {}\nafter: 'yes'\n",
    );
    assert.deepEqual(readBack(text, '1.2')[0], value);
  });

  it('separates documents with ---', () => {
    assert.equal(toYamlDocuments([{ a: 1 }, { b: 2 }]), 'a: 1\n---\nb: 2\n');
  });

  it('fails on a value JSON cannot hold', () => {
    assert.throws(() => toYaml({ n: Number.NaN }), /cannot write the number NaN/);
  });
});
