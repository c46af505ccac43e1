import { Construct } from 'constructs';
import { CHARTS } from '../platform/catalogue';
import { ChartInstall } from '../platform/chart-install';
import { ControllerInstall, ControllerInstallProps } from '../platform/controller-install';
import { renderResources, ResourceRequirements } from './resources';

/** Options for {@link ImageUpdaterInstall}. */
export interface ImageUpdaterInstallProps extends ControllerInstallProps {
  /** Namespace (Argo CD's). @default 'argocd' */
  readonly namespace?: string;
  /** Requests and limits of the controller. @default - 50m/128Mi requested, 250m/256Mi limit */
  readonly resources?: ResourceRequirements;
  /** Log level. @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Resources the release waits for (the Argo CD release, the namespace). @default [] */
  readonly dependsOn?: ChartInstall[];
}

/** Installs Argo CD Image Updater (with its CRD) into Argo CD's namespace. */
export class ImageUpdaterInstall extends ControllerInstall {
  constructor(scope: Construct, id: string, props: ImageUpdaterInstallProps = {}) {
    // Argo CD's namespace, created by its install; one controller.
    super(scope, id, props, { chart: CHARTS.argocdImageUpdater, defaultNamespace: 'argocd', releaseName: 'argocd-image-updater', role: 'singleton', createNamespace: false });
    const resources = props.resources ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } };
    this.installChart({
      dependsOn: (props.dependsOn ?? []).map((d) => d.release),
      values: {
        crds: { install: true, keep: true },
        image: { pullPolicy: 'IfNotPresent' },
        resources: renderResources(`${this.node.path}`, 'resources', resources),
        podSecurityContext: { runAsNonRoot: true },
        config: { 'log.level': props.logLevel ?? 'info' },
        metrics: { enabled: true },
      },
      facts: {
        serviceAccounts: ['argocd-image-updater'],
        crdKinds: ['argocd-image-updater.argoproj.io/ImageUpdater'],
      },
    });
  }
}
