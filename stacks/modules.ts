import { Construct } from 'constructs';
import { ArgoCd } from '../lib/argocd/argocd';
import { Flux } from '../lib/flux/flux';
import { JenkinsX } from '../lib/jenkins-x/jenkins-x';
import { Monitoring } from '../lib/monitoring/monitoring';
import { Delivery } from '../lib/delivery/delivery';
import { ModuleName } from '../lib/platform/environment';
import { Platform } from '../lib/platform/platform';
import { Security } from '../lib/security/security';

/** Creates one module's constructs in a stack. */
export type ModuleFactory = (scope: Construct, platform: Platform) => Construct;

/**
 * The platform modules in the order they are created. Security comes first
 * (namespaces, policies, secret stores the others use), monitoring after the
 * controllers it scrapes.
 */
export const PLATFORM_MODULES: ReadonlyArray<readonly [ModuleName, ModuleFactory]> = [
  ['security', (scope, platform) => new Security(scope, 'Security', { platform })],
  ['argocd', (scope, platform) => new ArgoCd(scope, 'ArgoCd', { platform })],
  ['flux', (scope, platform) => new Flux(scope, 'Flux', { platform })],
  ['jenkins-x', (scope, platform) => new JenkinsX(scope, 'JenkinsX', { platform })],
  ['monitoring', (scope, platform) => new Monitoring(scope, 'Monitoring', { platform })],
  ['delivery', (scope, platform) => new Delivery(scope, 'Delivery', { platform })],
];
