/**
 * `npm run check-outputs -- <env> <outputs.json>`: checks the status outputs
 * of a deployed environment against the outputs contract and the
 * environment's rules. The file is what `cdktf output <env> --outputs-file`
 * or `terraform output -json` writes. Prints one line per failed rule and
 * exits 1; exits 2 on bad usage.
 */
import * as fs from 'fs';
import { ENVIRONMENTS } from '../environments';
import { checkStatusOutputs, readStatusOutputs } from '../lib/platform/status-check';

function main(args: readonly string[]): number {
  const [name, file] = args;
  const environment = ENVIRONMENTS.find((e) => e.name === name);
  if (!environment || !file) {
    console.error(`usage: npm run check-outputs -- <${ENVIRONMENTS.map((e) => e.name).join('|')}> <outputs.json>`);
    return 2;
  }
  let outputs: Record<string, unknown>;
  try {
    outputs = readStatusOutputs(JSON.parse(fs.readFileSync(file, 'utf8')), environment.name);
  } catch (error) {
    console.error(`${environment.name}: ${file}: ${(error as Error).message}`);
    return 2;
  }
  const failures = checkStatusOutputs(environment, outputs);
  for (const line of failures) console.log(line);
  if (failures.length > 0) return 1;
  console.log(`${environment.name}: the status outputs meet the contract and the ${environment.tier} rules`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
