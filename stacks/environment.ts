/**
 * The environment config: the typed counterpart of a `terraform.tfvars`
 * file. It composes what every module shares ({@link PlatformEnvironment})
 * with the modules that are on and each module's settings, which are that
 * module construct's props less the references `GitOpsStack` wires.
 */

import type { ArgoCdSettings } from '../lib/argocd/settings';
import type { DeliverySettings } from '../lib/delivery/settings';
import type { FluxSettings } from '../lib/flux/settings';
import type { JenkinsXSettings } from '../lib/jenkins-x/settings';
import type { MonitoringSettings } from '../lib/monitoring/settings';
import type { ModuleName, PlatformEnvironment } from '../lib/platform/environment';
import type { RecoverySettings } from '../lib/recovery/settings';
import type { SecuritySettings } from '../lib/security/settings';

/** Everything that describes one environment. */
export interface EnvironmentConfig extends PlatformEnvironment {
  /** The modules that are on. */
  readonly modules: readonly ModuleName[];
  /** Argo CD settings, the props of `ArgoCd` (see `lib/argocd/README.md`). @default - module defaults */
  readonly argocd?: ArgoCdSettings;
  /** Flux settings, the props of `Flux` (see `lib/flux/README.md`). @default - module defaults */
  readonly flux?: FluxSettings;
  /** Jenkins X settings, the props of `JenkinsX` (see `lib/jenkins-x/README.md`). @default - module defaults */
  readonly jenkinsX?: JenkinsXSettings;
  /** Monitoring settings, the props of `Monitoring` (see `lib/monitoring/README.md`). @default - module defaults */
  readonly monitoring?: MonitoringSettings;
  /** Security settings, the props of `Security` (see `lib/security/README.md`). @default - module defaults */
  readonly security?: SecuritySettings;
  /** Delivery settings, the props of `Delivery` (see `lib/delivery/README.md`). @default - module defaults */
  readonly delivery?: DeliverySettings;
  /** Disaster recovery settings, the props of `Recovery`: Velero's storage location, credentials, schedules, standby role (see `lib/recovery/README.md`). @default - module defaults */
  readonly recovery?: RecoverySettings;
}
