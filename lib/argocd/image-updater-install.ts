import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ChartInstall } from '../platform/chart-install';
import { Platform } from '../platform/platform';
import { renderResources, ResourceRequirements } from './resources';

/** Options for {@link ImageUpdaterInstall}. */
export interface ImageUpdaterInstallProps {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** Namespace (Argo CD's). @default 'argocd' */
  readonly namespace?: string;
  /** Requests and limits of the controller. @default - 50m/128Mi requested, 250m/256Mi limit */
  readonly resources?: ResourceRequirements;
  /** Log level. @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Resources the release waits for (the Argo CD release, the namespace). @default [] */
  readonly dependsOn?: ChartInstall[];
  /**
   * Chart values merged over the ones this install computes, last: the
   * escape hatch for a chart setting without a prop. Every path must exist in
   * the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Installs Argo CD Image Updater (with its CRD) into Argo CD's namespace. */
export class ImageUpdaterInstall extends Construct {
  /** The Helm release. */
  public readonly install: ChartInstall;

  constructor(scope: Construct, id: string, props: ImageUpdaterInstallProps = {}) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const resources = props.resources ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } };
    this.install = new ChartInstall(this, 'Resource', {
      chart: CHARTS.argocdImageUpdater,
      releaseName: 'argocd-image-updater',
      namespace: props.namespace ?? 'argocd',
      dependsOn: (props.dependsOn ?? []).map((d) => d.release),
      values: {
        crds: { install: true, keep: true },
        image: { pullPolicy: 'IfNotPresent' },
        resources: renderResources(`${this.node.path}`, 'resources', resources),
        podSecurityContext: { runAsNonRoot: true },
        config: { 'log.level': props.logLevel ?? 'info' },
        metrics: { enabled: true },
      },
      valueOverrides: props.values,
    });
    platform.addController(this.install, {
      serviceAccounts: ['argocd-image-updater'],
      crdKinds: ['argocd-image-updater.argoproj.io/ImageUpdater'],
    });
  }
}
