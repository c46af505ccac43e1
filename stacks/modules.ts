import { Construct } from 'constructs';
import { ArgoCd } from '../lib/argocd/argocd';
import { ARGOCD_NAMESPACE } from '../lib/argocd/install';
import { DeliveryReferences } from '../lib/delivery/context';
import { Delivery } from '../lib/delivery/delivery';
import { ROLLOUT_IGNORE_DIFFERENCES } from '../lib/delivery/istio';
import { Flux } from '../lib/flux/flux';
import { fluxServiceAccountName } from '../lib/flux/install';
import { JenkinsX } from '../lib/jenkins-x/jenkins-x';
import { kubePrometheusEndpoint, monitoringEndpoints } from '../lib/monitoring/install';
import { Monitoring } from '../lib/monitoring/monitoring';
import { Recovery } from '../lib/recovery/recovery';
import { RecoverySettings } from '../lib/recovery/settings';
import { ConfigError } from '../lib/platform/errors';
import { ModuleName } from '../lib/platform/environment';
import { Platform } from '../lib/platform/platform';
import { podSecurityLevelFor } from '../lib/security/isolation/pod-security';
import { Security } from '../lib/security/security';
import { EnvironmentConfig } from './environment';

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

/**
 * The order modules are created in. Security comes first (namespaces,
 * policies, the secret store the others read from), monitoring after the
 * controllers it scrapes, delivery after the Prometheus and Flux it uses,
 * recovery last (it backs up every other module's namespaces).
 */
export const MODULE_ORDER: readonly ModuleName[] = ['security', 'argocd', 'flux', 'jenkins-x', 'monitoring', 'delivery', 'recovery'];

/**
 * Creates the modules `environment` turns on, each with its settings as props,
 * and wires what one module gives another (see CONTRIBUTING.md, "How the
 * modules wire"):
 *
 * - the security module's secret store (`defaultStore`) → Argo CD, Flux,
 *   monitoring and recovery (their ExternalSecrets);
 * - the Prometheus the monitoring module installs → the security module
 *   (compliance report, scrape admission) and delivery (analysis, scraping);
 * - Argo CD's and Flux's releases → monitoring (alerts, monitors, dashboards);
 * - the fields Argo Rollouts manages → Argo CD's root app;
 * - Flux's reconciler account → delivery's Kustomizations;
 * - the security module's Pod Security levels → delivery; its isolation → Flux;
 * - the GitOps controllers' accounts → the security module's drift rule.
 */
export function createModules(scope: Construct, platform: Platform, environment: EnvironmentConfig): PlatformModules {
  const on = (name: ModuleName): boolean => environment.modules.includes(name);
  // Known before the install exists, so the security module (created first) can take it.
  const prometheus = on('monitoring') ? kubePrometheusEndpoint() : undefined;

  const security = on('security')
    ? new Security(scope, 'Security', {
        ...environment.security,
        platform,
        prometheus,
        alertmanager: on('monitoring') ? monitoringEndpoints().alertmanager : undefined,
        argoCdNamespace: on('argocd') ? ARGOCD_NAMESPACE : undefined,
        fluxTenants: on('flux') ? (environment.flux?.tenants ?? []).map((t) => t.name) : [],
        sopsDecryption: on('flux'),
      })
    : undefined;
  const argocd = on('argocd')
    ? new ArgoCd(scope, 'ArgoCd', {
        ...environment.argocd,
        platform,
        metrics: on('monitoring'),
        appsOnly: on('flux'),
        certManager: on('flux'),
        ignoreDifferences: on('delivery') ? ROLLOUT_IGNORE_DIFFERENCES : undefined,
        secretStore: environment.argocd?.secretStore ?? security?.defaultStore,
      })
    : undefined;
  if (argocd) security?.addGitOpsControllers(...argocd.controllerAccounts);
  const flux = on('flux') ? new Flux(scope, 'Flux', { ...environment.flux, platform, isolated: security !== undefined, secretStore: security?.defaultStore }) : undefined;
  if (flux) security?.addGitOpsControllers(...flux.controllerAccounts);
  const jenkinsX = on('jenkins-x') ? new JenkinsX(scope, 'JenkinsX', { ...environment.jenkinsX, platform }) : undefined;
  const monitoring = on('monitoring')
    ? new Monitoring(scope, 'Monitoring', {
        ...environment.monitoring,
        platform,
        argoCd: argocd?.install.install,
        flux: flux?.install.install,
        moduleDashboards: environment.modules,
        securityScanner: security?.scanning?.metrics,
        secretStore: security?.defaultStore,
      })
    : undefined;
  const delivery = on('delivery')
    ? new Delivery(scope, 'Delivery', {
        ...environment.delivery,
        platform,
        prometheus: monitoring?.prometheus,
        argoCd: argocd !== undefined,
        flux: flux ? { serviceAccountName: flux.install.reconcilerFor('Kustomization') } : undefined,
        podSecurityLevelOf: security?.podSecurityLevelOf,
        ingressControllerNamespace: environment.security?.ingressNamespace,
      })
    : undefined;

  // Last: it backs up the namespaces every other module created.
  const recovery = on('recovery') ? new Recovery(scope, 'Recovery', { ...recoverySettingsOf(environment), platform, secretStore: security?.defaultStore }) : undefined;

  const modules: { -readonly [K in ModuleName]?: PlatformModuleConstructs[K] } = {};
  if (security) modules.security = security;
  if (argocd) modules.argocd = argocd;
  if (flux) modules.flux = flux;
  if (jenkinsX) modules['jenkins-x'] = jenkinsX;
  if (monitoring) modules.monitoring = monitoring;
  if (delivery) modules.delivery = delivery;
  if (recovery) modules.recovery = recovery;
  return modules;
}

/**
 * What the delivery module of `environment` is told by the others, from the
 * config alone (the promotion script reads the environments, not a stack):
 * the same values {@link createModules} wires.
 */
export function deliveryReferencesOf(environment: EnvironmentConfig): DeliveryReferences {
  const on = (name: ModuleName): boolean => environment.modules.includes(name);
  return {
    prometheus: on('monitoring') ? kubePrometheusEndpoint() : undefined,
    argoCd: on('argocd'),
    flux: on('flux') ? { serviceAccountName: fluxServiceAccountName(environment, 'Kustomization') } : undefined,
    podSecurityLevelOf: on('security')
      ? (ns) => podSecurityLevelFor(ns, environment.tier, environment.security?.podSecurityExceptions)
      : undefined,
    ingressControllerNamespace: environment.security?.ingressNamespace,
  };
}

/** The recovery settings of an environment with the module on: they have no defaults for where backups go. */
function recoverySettingsOf(environment: EnvironmentConfig): RecoverySettings {
  if (!environment.recovery) {
    throw new ConfigError(
      `Environment "${environment.name}"`,
      'recovery',
      undefined,
      'The recovery module needs recovery.storage (bucket, region) and recovery.credentials; set them or turn the module off.',
    );
  }
  return environment.recovery;
}
