import * as fs from 'fs';
import * as path from 'path';
import type { GitOpsStack } from './gitops-stack';

/** Prints one line per stack: Terraform resources and outputs, manifests, and where they went. */
export function printSummary(outdir: string, stacks: readonly GitOpsStack[]): void {
  for (const stack of stacks) {
    const name = stack.node.id;
    const tfFile = path.join(outdir, 'stacks', name, 'cdk.tf.json');
    const tf = JSON.parse(fs.readFileSync(tfFile, 'utf8')) as {
      resource?: Record<string, Record<string, unknown>>;
      output?: Record<string, unknown>;
    };
    const resources = Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const outputs = Object.keys(tf.output ?? {}).length;
    const m = stack.writeManifests();
    console.log(
      `${name}: ${resources} Terraform resources, ${outputs} outputs -> ${path.relative(process.cwd(), tfFile)}; ` +
        `${m.manifests} manifests + ${m.bootstrapObjects} bootstrap objects in ${m.files} files -> ${m.directory}/`,
    );
    if (m.secretPrerequisites.length > 0) {
      console.log(
        `${name}: ${m.secretPrerequisites.length} Secret(s) have no producer and must exist before deploying ` +
          `(${m.secretPrerequisites.join(', ')}); see ${m.directory}/SECRETS.md`,
      );
    }
  }
}
