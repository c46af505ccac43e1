import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../../environments';
import { ManifestObject } from '../../lib/platform/gitops-tree';
import { defaultPodSecurityLevel } from '../../lib/security/isolation/pod-security';
import { Security } from '../../lib/security/security';
import { Level, podSecurityViolations, podTemplates } from '../support/pod-security';
import { synthEnvironment, SynthResult } from '../support/synth';

/**
 * Every pod template the platform renders (workloads, CronJobs, the Jobs of
 * analysis templates) is admitted by Pod Security at the level its namespace
 * enforces, in every shipped environment.
 */
const made: SynthResult[] = [];
after(() => {
  for (const r of made) fs.rmSync(r.directory, { recursive: true, force: true });
});

describe('Pod Security admission of rendered pod templates', () => {
  for (const env of ENVIRONMENTS) {
    it(`${env.name}: every pod template passes its namespace's enforced level`, () => {
      const result = synthEnvironment(env);
      made.push(result);
      const security = result.stack.modules.security as Security;
      const levels = security.podSecurityLevels;
      const fallback = defaultPodSecurityLevel(env.tier);
      const problems: string[] = [];
      let checked = 0;
      // The chart objects, and the platform workloads Flux applies as plain YAML (workloads/<name>/).
      const plain = [...result.files.entries()]
        .filter(([file]) => file.startsWith('workloads/') && file.endsWith('.yaml') && !file.endsWith('kustomization.yaml'))
        .flatMap(([file, content]) => parseAllDocuments(content).map((d) => ({ file, object: d.toJS() as ManifestObject })));
      for (const { file, object } of [...result.objects, ...plain]) {
        const ns = object.metadata?.namespace;
        if (!ns) continue;
        const level: Level = levels[ns] ?? fallback;
        for (const { where, spec } of podTemplates(object)) {
          checked++;
          for (const v of podSecurityViolations(spec, level)) problems.push(`${object.kind}/${ns}/${object.metadata.name} (${file}) ${where} at ${level}: ${v}`);
        }
      }
      assert.ok(checked > 0, 'no pod template was checked');
      assert.deepEqual(problems, []);
    });
  }
});
