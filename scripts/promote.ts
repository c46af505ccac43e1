/**
 * Promotes a service from one environment to the next and prints what
 * changes: `npm run promote -- <service> <from> <to> [--json]`, for example
 * `npm run promote -- frontend staging prod`. Reads the shipped environments;
 * writes nothing. Exit code 1 (with the reason) when the promotion is not
 * allowed, such as one that skips an environment.
 */
import { ENVIRONMENTS } from '../environments';
import { formatPromotion, promote } from '../lib/delivery/promotion';
import { ConfigError } from '../lib/platform/errors';
import { deliveryReferencesOf } from '../stacks/modules';

const args = process.argv.slice(2);
const json = args.includes('--json');
const [service, from, to, ...rest] = args.filter((a) => a !== '--json');
if (!service || !from || !to || rest.length > 0) {
  process.stderr.write('usage: npm run promote -- <service> <from> <to> [--json]\n  e.g. npm run promote -- frontend staging prod\n');
  process.exit(2);
}
try {
  const promotion = promote(ENVIRONMENTS, service, from, to, deliveryReferencesOf);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...promotion, release: { ...promotion.release, strategy: promotion.release.strategy?.describe() } }, null, 2)}\n`);
  } else {
    process.stdout.write(formatPromotion(promotion));
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`promotion rejected: ${error.message}\n`);
  process.exit(1);
}
