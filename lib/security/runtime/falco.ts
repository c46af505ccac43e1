import { Construct } from 'constructs';
import { CHARTS } from '../../platform/catalogue';
import { ControllerInstall, ControllerInstallProps } from '../../platform/controller-install';
import { ConfigError } from '../../platform/errors';
import { ServiceEndpoint, serviceUrl } from '../../platform/service-endpoint';
import { FalcoPriority, FalcoRule, falcoRulesFile } from '../audit/falco-rules';

/**
 * The rules and plugins falcoctl installs (the chart's own syscall + k8saudit
 * example at 9.1.0, `values-syscall-k8saudit.yaml`): the default Falco rules
 * (which define `spawned_process`), the k8saudit rules (which define `kevt`)
 * and the k8saudit plugin with the json plugin it needs.
 */
export const FALCO_ARTIFACTS = { rules: 'falco-rules:5', k8sauditRules: 'k8saudit-rules:0.16', k8sauditPlugin: 'k8saudit:0.16' } as const;

/** The port the k8saudit plugin receives the API server's audit events on. */
export const K8SAUDIT_WEBHOOK_PORT = 9765;

/** The file the platform's rules are loaded from (`/etc/falco/rules.d/<file>`). */
export const GITOPS_RULES_FILE = 'gitops_rules.yaml';

const PRIORITIES: readonly FalcoPriority[] = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'];

/** Settings of the Falco install (`EnvironmentConfig.security.falco`). */
export interface FalcoOptions {
  /** Helm release name. @default 'falco' */
  readonly releaseName?: string;
  /**
   * Receive Kubernetes audit events through the k8saudit plugin (the drift
   * rule reads them). The API server must send its audit log to the
   * `<release>-k8saudit-webhook` Service (a cluster prerequisite: see the
   * security README); without it the drift rule loads but never fires.
   * @default true
   */
  readonly kubernetesAudit?: boolean;
  /**
   * The Alertmanager falcosidekick forwards alerts to.
   * @default - the monitoring module's Alertmanager at its default namespace and release
   */
  readonly alertmanager?: ServiceEndpoint;
  /**
   * The lowest priority forwarded to Alertmanager.
   * @default 'WARNING'
   */
  readonly minimumPriority?: FalcoPriority;
  /**
   * Values of the `falco` chart merged over the ones this install computes,
   * last: the escape hatch for a chart setting without a setting here. Every
   * path must exist in the chart's defaults; never a secret.
   * @default - none
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Options for {@link Falco}. */
export interface FalcoProps extends FalcoOptions, ControllerInstallProps {
  /** Namespace of Falco and falcosidekick. @default 'falco-system' */
  readonly namespace?: string;
  /** The platform's rules, or a function producing them once every module is constructed. */
  readonly rules: readonly FalcoRule[] | (() => readonly FalcoRule[]);
}

/**
 * Runtime threat detection with Falco (pinned chart `falco`), as a DaemonSet
 * on every node:
 *
 * - driver `modern_ebpf`: the CO-RE eBPF probe built into Falco (kernel 5.8+
 *   with BTF, which current EKS, GKE and AKS node images have): no kernel
 *   module to build or download, no driver-loader init container, and it
 *   runs with `leastPrivileged` capabilities (BPF, PERFMON, SYS_RESOURCE,
 *   SYS_PTRACE) instead of a privileged container;
 * - the platform's rules (seed 001) loaded through the chart's
 *   `customRules` as `rules.d/gitops_rules.yaml`, after the default rules and
 *   the k8saudit rules falcoctl installs;
 * - the k8saudit plugin, fed by the API server's audit webhook, for the
 *   drift rule (`kubernetesAudit`);
 * - falcosidekick (the chart's dependency; the chart points Falco's JSON
 *   http output at it) forwarding every event of at least `minimumPriority`
 *   to Alertmanager's v2 API (Alertmanager 0.28+ no longer serves v1,
 *   falcosidekick's default).
 *
 * Its namespace enforces Pod Security `privileged`: even least-privileged,
 * Falco adds capabilities beyond `baseline` and mounts the host's `/proc`,
 * `/etc`, `/sys/kernel` and container runtime sockets (hostPath), which
 * `baseline` refuses.
 *
 * The release is created just before the tree is rendered, once every
 * module has registered its controllers: the drift rule names their
 * namespaces and service accounts.
 */
export class Falco extends ControllerInstall {
  /** The Alertmanager alerts are forwarded to. */
  public readonly alertmanager: ServiceEndpoint;
  /** The lowest priority forwarded. */
  public readonly minimumPriority: FalcoPriority;
  /** Whether Kubernetes audit events are received. */
  public readonly kubernetesAudit: boolean;
  private readonly rules: () => readonly FalcoRule[];

  constructor(scope: Construct, id: string, props: FalcoProps) {
    // A DaemonSet: a pod per node, outside the HA table.
    super(scope, id, props, { chart: CHARTS.falco, defaultNamespace: 'falco-system', releaseName: props.releaseName ?? 'falco' });
    const platform = this.platform;
    const where = this.node.path;
    this.kubernetesAudit = props.kubernetesAudit ?? true;
    this.minimumPriority = props.minimumPriority ?? 'WARNING';
    if (!PRIORITIES.includes(this.minimumPriority)) {
      throw new ConfigError(where, 'minimumPriority', this.minimumPriority, `Use one of ${PRIORITIES.join(', ')}.`);
    }
    if (!props.alertmanager) {
      throw new ConfigError(where, 'alertmanager', props.alertmanager, 'Give the Alertmanager Service falcosidekick forwards to (the monitoring module\'s `install.alertmanager`).');
    }
    this.alertmanager = props.alertmanager;
    const list = props.rules;
    this.rules = typeof list === 'function' ? list : (): readonly FalcoRule[] => list;

    const sidekick = { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'falcosidekick', 'app.kubernetes.io/instance': this.releaseName } };
    platform.requireFlow({ from: sidekick, to: { namespace: this.alertmanager.namespace, podLabels: this.alertmanager.podLabels }, port: this.alertmanager.targetPort, why: 'falcosidekick forwards Falco alerts to Alertmanager' });
    platform.requireFlow({ from: { namespace: this.namespace }, to: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } }, port: 53, protocol: 'UDP', why: 'Falco and falcosidekick resolve names' });
    platform.requireFlow({ from: { namespace: this.namespace }, to: { external: 'falcoctl artifact index and registry (falcosecurity.github.io, ghcr.io)' }, port: 443, why: 'falcoctl installs and follows the rules and plugins' });
    if (this.kubernetesAudit) {
      platform.requireFlow({ from: { external: 'Kubernetes API server (audit webhook)' }, to: { namespace: this.namespace, podLabels: { 'app.kubernetes.io/name': 'falco' } }, port: K8SAUDIT_WEBHOOK_PORT, why: 'the API server sends audit events to the k8saudit plugin' });
    }

    platform.beforeRender(() => {
      const rules = this.rules();
      const auditRules = rules.filter((r) => r.source === 'k8s_audit').map((r) => r.rule);
      if (auditRules.length > 0 && !this.kubernetesAudit) {
        throw new ConfigError(where, 'kubernetesAudit', false, `Rules ${auditRules.join(', ')} read Kubernetes audit events; turn kubernetesAudit on or leave those rules out.`);
      }
      this.installChart({
        values: this.values(falcoRulesFile(where, rules)),
        facts: {
          serviceAccounts: [this.releaseName, `${this.releaseName}-falcosidekick`],
          services: [
            { name: `${this.releaseName}-falcosidekick`, podLabels: sidekick.podLabels, ports: [{ name: 'http', port: 2801 }] },
            ...(this.kubernetesAudit
              ? [{ name: `${this.releaseName}-k8saudit-webhook`, podLabels: { 'app.kubernetes.io/name': 'falco', 'app.kubernetes.io/instance': this.releaseName }, ports: [{ name: 'k8saudit', port: K8SAUDIT_WEBHOOK_PORT }] }]
              : []),
          ],
        },
      });
    });
  }

  /** The names of the rules loaded (rules given as a function are produced now). */
  public ruleNames(): string[] {
    return this.rules().map((r) => r.rule);
  }

  private values(rulesFile: string): Record<string, unknown> {
    const artifacts = this.kubernetesAudit ? [FALCO_ARTIFACTS.rules, FALCO_ARTIFACTS.k8sauditRules, FALCO_ARTIFACTS.k8sauditPlugin] : [FALCO_ARTIFACTS.rules];
    return {
      driver: { kind: 'modern_ebpf', modernEbpf: { leastPrivileged: true } },
      resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      customRules: { [GITOPS_RULES_FILE]: rulesFile },
      falcoctl: { config: { artifact: { install: { refs: artifacts }, follow: { refs: artifacts } } } },
      ...(this.kubernetesAudit
        ? {
            services: [{ name: 'k8saudit-webhook', type: 'ClusterIP', ports: [{ name: 'k8saudit', port: K8SAUDIT_WEBHOOK_PORT, protocol: 'TCP' }] }],
          }
        : {}),
      falco: {
        rules_files: [
          '/etc/falco/falco_rules.yaml',
          ...(this.kubernetesAudit ? ['/etc/falco/k8s_audit_rules.yaml'] : []),
          '/etc/falco/rules.d',
        ],
        ...(this.kubernetesAudit
          ? {
              plugins: [
                { name: 'k8saudit', library_path: 'libk8saudit.so', init_config: '', open_params: `http://:${K8SAUDIT_WEBHOOK_PORT}/k8s-audit` },
                { name: 'json', library_path: 'libjson.so', init_config: '' },
              ],
              load_plugins: ['k8saudit', 'json'],
            }
          : {}),
      },
      falcosidekick: {
        enabled: true,
        config: {
          alertmanager: {
            hostport: serviceUrl(this.alertmanager),
            endpoint: '/api/v2/alerts',
            minimumpriority: this.minimumPriority.toLowerCase(),
          },
        },
      },
    };
  }
}
