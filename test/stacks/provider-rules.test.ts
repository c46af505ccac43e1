import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { ENVIRONMENTS } from '../../environments';
import { synthEnvironment, SynthResult } from '../support/synth';

/**
 * What the pinned providers and Terraform itself would reject at plan time, read
 * from their source at the pinned versions (terraform-provider-kubernetes 2.38.0
 * `resource_kubernetes_secret_v1.go`, terraform-provider-helm 3.1.1
 * `resource_helm_release.go`): checked on every shipped environment, since no
 * provider can be downloaded where the tests run.
 */
const results: SynthResult[] = [];
after(() => results.forEach((r) => fs.rmSync(r.directory, { recursive: true, force: true })));

type Json = Record<string, any>;

/** Every `${var.NAME}` reference below `value`, with the path it appears at. */
function variableReferences(value: unknown, path: string, out: Array<{ name: string; path: string }>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\$\{var\.([a-z0-9_]+)\}/g)) out.push({ name: match[1], path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => variableReferences(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) variableReferences(v, `${path}.${k}`, out);
  }
}

describe('provider rules at the pinned versions', () => {
  for (const env of ENVIRONMENTS) {
    describe(env.name, () => {
      const synth = (() => {
        let r: SynthResult | undefined;
        return () => {
          if (!r) {
            r = synthEnvironment(env);
            results.push(r);
          }
          return r;
        };
      })();

      it('kubernetes_secret_v1: data_wo never beside data (ConflictsWith), always with data_wo_revision, holding every key', () => {
        const { tf } = synth();
        for (const [id, secret] of Object.entries(tf.resource.kubernetes_secret_v1 ?? {}) as Array<[string, Json]>) {
          if (secret.data_wo === undefined) continue;
          assert.equal(secret.data, undefined, `${id}: data_wo ConflictsWith data`);
          assert.equal(secret.binary_data, undefined, `${id}: with data_wo_revision set, create writes only the write-only maps`);
          assert.ok(Number.isInteger(secret.data_wo_revision) && secret.data_wo_revision >= 1, `${id}: data_wo is written only when data_wo_revision >= 1`);
        }
      });

      it('helm_release: no set_wo (an upgrade without a set_wo_revision bump drops those values)', () => {
        const { tf } = synth();
        for (const [id, release] of Object.entries(tf.resource.helm_release) as Array<[string, Json]>) {
          assert.equal(release.set_wo, undefined, id);
        }
      });

      it('ephemeral variables are read only by write-only attributes, and need Terraform 1.11', () => {
        const { tf } = synth();
        const ephemeral = new Set(Object.entries(tf.variable ?? {}).filter(([, v]) => v.ephemeral === true).map(([name]) => name));
        assert.ok(ephemeral.size > 0);
        const refs: Array<{ name: string; path: string }> = [];
        variableReferences(tf.resource, 'resource', refs);
        variableReferences(tf.output, 'output', refs);
        variableReferences(tf.provider, 'provider', refs);
        for (const ref of refs.filter((r) => ephemeral.has(r.name))) {
          assert.match(ref.path, /^resource\.kubernetes_secret_v1\.[^.]+\.data_wo\./, `${ref.name} used outside a write-only attribute at ${ref.path}`);
        }
        assert.equal((tf.terraform as Json).required_version, '>= 1.11');
      });
    });
  }
});
