import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ChartInstall } from '../platform/chart-install';
import { Platform } from '../platform/platform';

/** Options for {@link ArgoCdInstall}. */
export interface ArgoCdInstallProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
  /** Helm release name. @default 'argocd' */
  readonly releaseName?: string;
}

/**
 * Installs Argo CD with the `argo-cd` chart: replicas and `redis-ha` from the
 * environment's sizing, the server behind an ingress with TLS.
 */
export class ArgoCdInstall extends Construct {
  /** The Helm release. */
  public readonly install: ChartInstall;
  /** The namespace Argo CD runs in. */
  public readonly namespace: string;
  /** The server's host name. */
  public readonly host: string;

  constructor(scope: Construct, id: string, props: ArgoCdInstallProps = {}) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const env = platform.environment;
    this.namespace = props.namespace ?? 'argocd';
    this.host = env.argocd?.ingressHost ?? `argocd.${platform.domain}`;
    const ns = platform.namespace(this.namespace);
    const replicas = env.sizing.controllerReplicas;
    const ha = env.sizing.highAvailability;

    this.install = new ChartInstall(this, 'Resource', {
      chart: CHARTS.argoCd,
      releaseName: props.releaseName ?? 'argocd',
      namespace: this.namespace,
      dependsOn: [ns],
      values: {
        global: { domain: this.host },
        controller: { replicas },
        server: {
          replicas,
          ingress: { enabled: true, hostname: this.host, tls: true },
        },
        repoServer: { replicas },
        applicationSet: { replicas: ha ? 2 : 1 },
        'redis-ha': { enabled: ha },
        configs: {
          cm: { 'admin.enabled': false },
        },
      },
    });
    platform.addController(this.install);
  }
}
