import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { dev, ENVIRONMENTS } from '../../../environments';
import { STATUS_OUTPUTS } from '../../../lib/platform/status';
import { checkStatusContract, checkStatusOutputs, readStatusOutputs, STATUS_OUTPUT_SHAPES, statusOutputSchemas } from '../../../lib/platform';
import { arrayShape, integerShape, nullableShape, objectShape, stringShape } from '../../../lib/platform/shape';
import { deployedOutputs } from '../../support/outputs';
import { synthEnvironment } from '../../support/synth';

const fixtures = path.resolve(__dirname, '../../scripts/fixtures/outputs');
const synthesized = new Map(ENVIRONMENTS.map((env) => [env.name, synthEnvironment(env)]));

function ajvValidators() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const schemas = statusOutputSchemas();
  return Object.fromEntries(STATUS_OUTPUTS.map((name) => [name, ajv.compile(schemas[name])]));
}

describe('the outputs contract', () => {
  it('publishes a draft 2020-12 JSON Schema per status output that ajv compiles in strict mode', () => {
    const schemas = statusOutputSchemas();
    assert.deepEqual(Object.keys(schemas), [...STATUS_OUTPUTS]);
    for (const name of STATUS_OUTPUTS) {
      assert.equal(schemas[name].$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.equal(schemas[name].title, name);
      assert.equal(schemas[name].additionalProperties, true, `${name} accepts the keys of a user's own constructs`);
    }
    ajvValidators(); // compiles under ajv's strict mode
  });

  for (const [name, result] of synthesized) {
    it(`matches what the ${name} stack declares: its outputs, deployed, meet the contract (checker and JSON Schema agree)`, () => {
      const outputs = deployedOutputs(result.tf);
      assert.deepEqual(checkStatusContract(outputs), []);
      const validators = ajvValidators();
      for (const output of STATUS_OUTPUTS) assert.ok(validators[output](outputs[output]), `${output}: ${JSON.stringify(validators[output].errors)}`);
      assert.deepEqual(checkStatusOutputs(ENVIRONMENTS.find((e) => e.name === name)!, outputs), []);
    });

    it(`declares every key the ${name} stack sets and nothing it does not (module sections included)`, () => {
      for (const output of STATUS_OUTPUTS) {
        const env = ENVIRONMENTS.find((e) => e.name === name)!;
        // Cost allocation and security scanning are off in dev: their keys are absent there.
        // The recovery section exists where the recovery module is on (prod and its standby).
        const offHere = name === 'dev' ? ['cost', 'scanning'] : [];
        const declared = Object.keys((STATUS_OUTPUT_SHAPES[output].schema.properties as object) ?? {})
          .filter((k) => !offHere.includes(k))
          .filter((key) => key !== 'recovery' || env.modules.includes('recovery'))
          .sort();
        const set = Object.keys(result.tf.output[output].value as object).sort();
        // The shipped environments turn every other module on, so every other declared key is set.
        assert.deepEqual(set, declared, output);
      }
    });
  }

  it('leaves every controller release name and status to Terraform (resolved by apply)', () => {
    const tf = synthesized.get('prod')!.tf;
    const controllers = (tf.output.enterprise_gitops_status.value as { controllers: Array<Record<string, unknown>> }).controllers;
    assert.ok(controllers.length >= 9);
    for (const c of controllers) {
      assert.match(String(c.status), /^\$\{helm_release\.[A-Za-z0-9_]+\.status\}$/);
      assert.match(String(c.release), /^\$\{helm_release\.[A-Za-z0-9_]+\.name\}$/);
    }
  });

  it('the JSON Schema rejects what the checker rejects (a broken recorded file)', () => {
    const broken = readStatusOutputs(JSON.parse(fs.readFileSync(path.join(fixtures, 'staging.broken.outputs-file.json'), 'utf8')), 'staging');
    const validators = ajvValidators();
    assert.equal(validators.gitops_patterns_status(broken.gitops_patterns_status), false);
    assert.equal(validators.enterprise_gitops_status(broken.enterprise_gitops_status), false);
    assert.equal(validators.multi_environment_status(broken.multi_environment_status), false);
    assert.equal(checkStatusContract(broken).length, 4);
  });

  it('reads both file shapes to the same values', () => {
    const outputs = deployedOutputs(synthesized.get('dev')!.tf);
    const wrapped = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { sensitive: false, type: 'dynamic', value: v }]));
    assert.deepEqual(readStatusOutputs(wrapped, 'dev'), outputs);
    assert.deepEqual(readStatusOutputs({ dev: outputs }, 'dev'), outputs);
    assert.throws(() => readStatusOutputs({ dev: outputs }, 'prod'), /holds the outputs of "dev", not of "prod"/);
    assert.throws(() => readStatusOutputs({ something: 1 }, 'dev'), /holds none of the status outputs/);
    assert.throws(() => readStatusOutputs([], 'dev'), /not a JSON object/);
  });

  it("accepts the keys of a user's own constructs next to the declared ones", () => {
    const outputs = deployedOutputs(synthesized.get('dev')!.tf) as Record<string, Record<string, unknown>>;
    outputs.enterprise_gitops_status.quota_team_a = { cpu: '4', memory: '8Gi' };
    assert.deepEqual(checkStatusContract(outputs), []);
    assert.ok(ajvValidators().enterprise_gitops_status(outputs.enterprise_gitops_status));
  });

  it('fails a controller that is not deployed and a missing controller list', () => {
    const outputs = deployedOutputs(synthesized.get('dev')!.tf) as Record<string, Record<string, unknown>>;
    (outputs.enterprise_gitops_status.controllers as Array<Record<string, unknown>>)[0].status = 'pending-install';
    assert.deepEqual(checkStatusOutputs(dev, outputs), [
      'dev: controllers deployed: enterprise_gitops_status.controllers[0] (gatekeeper) status is "pending-install"; every controller release must be "deployed"',
    ]);
    outputs.enterprise_gitops_status.controllers = [];
    assert.deepEqual(checkStatusOutputs(dev, outputs), [
      'dev: controllers deployed: enterprise_gitops_status.controllers is []; expected a release per enabled module',
    ]);
  });
});

describe('shapes', () => {
  it('describe a value three ways: type, JSON Schema and check', () => {
    const shape = objectShape({ name: stringShape({ pattern: /^[a-z]+$/ }), count: integerShape(1) }, { tags: arrayShape(stringShape()), parent: nullableShape(stringShape()) });
    assert.deepEqual(shape.schema, {
      type: 'object',
      properties: {
        count: { type: 'integer', minimum: 1 },
        name: { type: 'string', pattern: '^[a-z]+$' },
        parent: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['count', 'name'],
      additionalProperties: false,
    });
    const problems: string[] = [];
    shape.check({ name: 'Bad', count: 0, tags: [1], parent: null, extra: true }, 'x', problems);
    assert.deepEqual(problems, [
      'x.name: "Bad" does not match ^[a-z]+$',
      'x.count: expected a whole number of at least 1, found 0',
      'x.tags[0]: expected a string, found 1',
      'x.extra: not part of the contract',
    ]);
    const ok: string[] = [];
    shape.check({ name: 'good', count: 2 }, 'x', ok);
    assert.deepEqual(ok, []);
  });
});
