import { Construct } from 'constructs';
import { ArgoCd } from '../lib/argocd/argocd';
import { Flux } from '../lib/flux/flux';
import { JenkinsX } from '../lib/jenkins-x/jenkins-x';
import { Monitoring } from '../lib/monitoring/monitoring';
import { Delivery } from '../lib/delivery/delivery';
import { Recovery } from '../lib/recovery/recovery';
import { ModuleName } from '../lib/platform/environment';
import { Platform } from '../lib/platform/platform';
import { Security } from '../lib/security/security';

/** The construct each platform module is, by module name. */
export interface PlatformModuleConstructs {
  readonly security: Security;
  readonly argocd: ArgoCd;
  readonly flux: Flux;
  readonly 'jenkins-x': JenkinsX;
  readonly monitoring: Monitoring;
  readonly delivery: Delivery;
  readonly recovery: Recovery;
}

/** The modules a stack created: a module that is off is absent. */
export type PlatformModules = { readonly [K in ModuleName]?: PlatformModuleConstructs[K] };

/** Creates one module's constructs in a stack. */
export type ModuleFactory<K extends ModuleName> = (scope: Construct, platform: Platform) => PlatformModuleConstructs[K];

/**
 * The order modules are created in. Security comes first (namespaces,
 * policies, secret stores the others use), monitoring after the controllers
 * it scrapes, recovery last (it backs up every other module's namespaces).
 */
export const MODULE_ORDER: readonly ModuleName[] = ['security', 'argocd', 'flux', 'jenkins-x', 'monitoring', 'delivery', 'recovery'];

/** How each module is created in a {@link GitOpsStack}. */
export const PLATFORM_MODULES: { readonly [K in ModuleName]: ModuleFactory<K> } = {
  security: (scope, platform) => new Security(scope, 'Security', { platform }),
  argocd: (scope, platform) => new ArgoCd(scope, 'ArgoCd', { platform }),
  flux: (scope, platform) => new Flux(scope, 'Flux', { platform }),
  'jenkins-x': (scope, platform) => new JenkinsX(scope, 'JenkinsX', { platform }),
  monitoring: (scope, platform) => new Monitoring(scope, 'Monitoring', { platform }),
  delivery: (scope, platform) => new Delivery(scope, 'Delivery', { platform }),
  recovery: (scope, platform) => new Recovery(scope, 'Recovery', { platform }),
};

/** Creates the modules `platform`'s environment turns on, in {@link MODULE_ORDER}. */
export function createModules(scope: Construct, platform: Platform): PlatformModules {
  const modules: { -readonly [K in ModuleName]?: PlatformModuleConstructs[K] } = {};
  const create = <K extends ModuleName>(name: K): void => {
    modules[name] = PLATFORM_MODULES[name](scope, platform);
  };
  for (const name of MODULE_ORDER) if (platform.isEnabled(name)) create(name);
  return modules;
}
