/**
 * The Pod Security Standards checks (baseline and restricted) with the
 * semantics, ids, reasons and details of the upstream admission library
 * (k8s.io/pod-security-admission, `policy/check_*.go`) at its latest policy
 * version, written here over plain JSON pod specs.
 */

/** A Pod Security level, as in `pod-security.kubernetes.io/enforce`. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** The pod metadata and spec of a pod or pod template, as JSON. */
export interface PodTemplate {
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>>; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: Readonly<Record<string, unknown>>;
}

/** What one check found. */
export interface PodSecurityResult {
  /** The upstream check id (`runAsNonRoot`). */
  readonly id: string;
  /** Upstream's `ForbiddenReason`. */
  readonly reason: string;
  /** Upstream's `ForbiddenDetail`. */
  readonly detail: string;
}

/** One check: its upstream id, level, the check ids it replaces at a stricter level, and the evaluation. */
export interface PodSecurityCheck {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  /** Baseline checks this restricted check replaces (upstream `OverrideCheckIDs`). */
  readonly overrides?: readonly string[];
  /** Returns `undefined` when allowed. */
  readonly check: (pod: PodTemplate) => { reason: string; detail: string } | undefined;
}

type Json = Record<string, unknown>;
interface Container extends Json {
  readonly name?: string;
  readonly securityContext?: Json;
  readonly ports?: Json[];
}

const joinQuote = (items: readonly string[]): string => (items.length === 0 ? '' : `"${items.join('", "')}"`);
const pluralize = (singular: string, plural: string, count: number): string => (count === 1 ? singular : plural);
const sorted = (items: Iterable<string>): string[] => [...new Set(items)].sort();
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);

/**
 * The pod spec {@link evaluatePodSecurity} is checking and its containers,
 * read once for all its checks (a dozen read them); cleared when it returns.
 */
let evaluating: { readonly spec: Json; containers?: readonly Container[] } | undefined;

/** Init containers, containers and ephemeral containers, in upstream's order. */
function containers(spec: Json): readonly Container[] {
  if (evaluating?.spec === spec && evaluating.containers) return evaluating.containers;
  const list = (k: string): Container[] => (Array.isArray(spec[k]) ? (spec[k] as unknown[]).map((c) => obj(c) ?? {}) : []);
  const all = [...list('initContainers'), ...list('containers'), ...list('ephemeralContainers')] as Container[];
  if (evaluating?.spec === spec) evaluating.containers = all;
  return all;
}
const nameOf = (c: Container): string => String(c.name ?? '');
const podSc = (spec: Json): Json | undefined => obj(spec.securityContext);
const sc = (c: Container): Json | undefined => obj(c.securityContext);
const isWindows = (spec: Json): boolean => obj(spec.os)?.name === 'windows';
const userNamespaced = (spec: Json): boolean => spec.hostUsers === false;

const CAPABILITIES_BASELINE = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const RESTRICTED_VOLUME_TYPES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const validSeccomp = (t: unknown): boolean => t === 'Localhost' || t === 'RuntimeDefault';

/** "pod and containers "a", "b"" style setter lists. */
function setters(pod: boolean, bad: readonly string[]): string[] {
  const out = pod ? ['pod'] : [];
  if (bad.length > 0) out.push(`${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)}`);
  return out;
}

function procMount(spec: Json): { reason: string; detail: string } | undefined {
  const bad: string[] = [];
  const types: string[] = [];
  for (const c of containers(spec)) {
    const pm = sc(c)?.procMount;
    if (pm === undefined || pm === null) continue;
    if (pm !== 'Default') {
      bad.push(nameOf(c));
      types.push(String(pm));
    }
  }
  if (bad.length === 0) return undefined;
  return {
    reason: 'procMount',
    detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sorted(types))}`,
  };
}

function probeHosts(probe: unknown): string[] {
  const p = obj(probe);
  if (!p) return [];
  const out: string[] = [];
  const http = obj(p.httpGet);
  const tcp = obj(p.tcpSocket);
  if (http && typeof http.host === 'string' && http.host !== '') out.push(http.host);
  if (tcp && typeof tcp.host === 'string' && tcp.host !== '') out.push(tcp.host);
  return out;
}

/** Every check, in upstream's registry order (baseline, then restricted). */
export const POD_SECURITY_CHECKS: readonly PodSecurityCheck[] = [
  {
    id: 'appArmorProfile',
    level: 'baseline',
    check: ({ metadata, spec }) => {
      const allowedType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
      const badValues = new Set<string>();
      let pod = false;
      const podProfile = obj(podSc(spec)?.appArmorProfile);
      if (podProfile && !allowedType(podProfile.type)) {
        pod = true;
        badValues.add(String(podProfile.type ?? ''));
      }
      const bad: string[] = [];
      for (const c of containers(spec)) {
        const p = obj(sc(c)?.appArmorProfile);
        if (p && !allowedType(p.type)) {
          bad.push(nameOf(c));
          badValues.add(String(p.type ?? ''));
        }
      }
      const badSetters = setters(pod, bad);
      const forbidden = Object.entries(metadata?.annotations ?? {})
        .filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION_PREFIX) && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .sort();
      const values = [...sorted(badValues), ...forbidden];
      if (forbidden.length > 0) badSetters.push(pluralize('annotation', 'annotations', forbidden.length));
      if (badSetters.length === 0) return undefined;
      return {
        reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length),
        detail: `${badSetters.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`,
      };
    },
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    check: ({ spec }) => {
      const bad: string[] = [];
      const caps = new Set<string>();
      for (const c of containers(spec)) {
        const add = (obj(sc(c)?.capabilities)?.add as unknown[] | undefined) ?? [];
        const forbidden = add.map(String).filter((cap) => !CAPABILITIES_BASELINE.has(cap));
        if (forbidden.length > 0) {
          bad.push(nameOf(c));
          forbidden.forEach((cap) => caps.add(cap));
        }
      }
      if (bad.length === 0) return undefined;
      return {
        reason: 'non-default capabilities',
        detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add`,
      };
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    check: ({ spec }) => {
      const found = [
        spec.hostNetwork === true ? 'hostNetwork=true' : '',
        spec.hostPID === true ? 'hostPID=true' : '',
        spec.hostIPC === true ? 'hostIPC=true' : '',
      ].filter(Boolean);
      return found.length > 0 ? { reason: 'host namespaces', detail: found.join(', ') } : undefined;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    check: ({ spec }) => {
      const names = ((spec.volumes as unknown[]) ?? []).map(obj).filter((v): v is Json => !!v && v.hostPath !== undefined).map((v) => String(v.name ?? ''));
      return names.length > 0 ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}` } : undefined;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    check: ({ spec }) => {
      const bad: string[] = [];
      const ports = new Set<string>();
      for (const c of containers(spec)) {
        const hp = (c.ports ?? []).map((p) => Number(obj(p)?.hostPort ?? 0)).filter((p) => p !== 0);
        if (hp.length > 0) {
          bad.push(nameOf(c));
          hp.forEach((p) => ports.add(String(p)));
        }
      }
      if (bad.length === 0) return undefined;
      const list = sorted(ports);
      return {
        reason: 'hostPort',
        detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`,
      };
    },
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    check: ({ spec }) => {
      const bad = new Set<string>();
      const hosts = new Set<string>();
      for (const c of containers(spec)) {
        const lifecycle = obj(c.lifecycle);
        const found = [
          ...probeHosts(c.livenessProbe),
          ...probeHosts(c.readinessProbe),
          ...probeHosts(c.startupProbe),
          ...probeHosts(lifecycle?.postStart),
          ...probeHosts(lifecycle?.preStop),
        ];
        if (found.length > 0) {
          bad.add(nameOf(c));
          found.forEach((h) => hosts.add(h));
        }
      }
      if (bad.size === 0) return undefined;
      return {
        reason: 'probe or lifecycle host',
        detail: `${pluralize('container', 'containers', bad.size)} ${joinQuote(sorted(bad))} ${pluralize('uses', 'use', bad.size)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', hosts.size)} ${joinQuote(sorted(hosts))}`,
      };
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    check: ({ spec }) => {
      const bad = containers(spec).filter((c) => sc(c)?.privileged === true).map(nameOf);
      if (bad.length === 0) return undefined;
      return { reason: 'privileged', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true` };
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    check: ({ spec }) => (userNamespaced(spec) ? undefined : procMount(spec)),
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    check: ({ spec }) => {
      const badValues = new Set<string>();
      const podProfile = obj(podSc(spec)?.seccompProfile);
      const pod = !!podProfile && !validSeccomp(podProfile.type);
      if (pod) badValues.add(String(podProfile!.type ?? ''));
      const bad: string[] = [];
      for (const c of containers(spec)) {
        const p = obj(sc(c)?.seccompProfile);
        if (p && !validSeccomp(p.type)) {
          bad.push(nameOf(c));
          badValues.add(String(p.type ?? ''));
        }
      }
      const s = setters(pod, bad);
      if (s.length === 0) return undefined;
      return { reason: 'seccompProfile', detail: `${s.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(badValues))}` };
    },
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    check: ({ spec }) => {
      const badTypes = new Set<string>();
      let user = false;
      let role = false;
      const valid = (o: Json): boolean => {
        let ok = true;
        const type = String(o.type ?? '');
        if (!SELINUX_TYPES.has(type)) {
          ok = false;
          badTypes.add(type);
        }
        if (typeof o.user === 'string' && o.user !== '') {
          ok = false;
          user = true;
        }
        if (typeof o.role === 'string' && o.role !== '') {
          ok = false;
          role = true;
        }
        return ok;
      };
      const podOpts = obj(podSc(spec)?.seLinuxOptions);
      const pod = !!podOpts && !valid(podOpts);
      const bad = containers(spec).filter((c) => {
        const o = obj(sc(c)?.seLinuxOptions);
        return !!o && !valid(o);
      }).map(nameOf);
      const s = setters(pod, bad);
      if (s.length === 0) return undefined;
      const data: string[] = [];
      if (badTypes.size > 0) data.push(`${pluralize('type', 'types', badTypes.size)} ${joinQuote(sorted(badTypes))}`);
      if (user) data.push('user may not be set');
      if (role) data.push('role may not be set');
      return { reason: 'seLinuxOptions', detail: `${s.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}` };
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    check: ({ spec }) => {
      const forbidden = ((podSc(spec)?.sysctls as unknown[]) ?? []).map((s) => String(obj(s)?.name ?? '')).filter((n) => !SAFE_SYSCTLS.has(n));
      return forbidden.length > 0 ? { reason: 'forbidden sysctls', detail: forbidden.join(', ') } : undefined;
    },
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    check: ({ spec }) => {
      const hostProcess = (o: Json | undefined): boolean => obj(o?.windowsOptions)?.hostProcess === true;
      const bad = containers(spec).filter((c) => hostProcess(sc(c))).map(nameOf);
      const pod = hostProcess(podSc(spec));
      const s = setters(pod, bad);
      if (s.length === 0) return undefined;
      return { reason: 'hostProcess', detail: `${s.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true` };
    },
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    check: ({ spec }) => {
      if (isWindows(spec)) return undefined;
      const bad = containers(spec).filter((c) => sc(c)?.allowPrivilegeEscalation !== false).map(nameOf);
      if (bad.length === 0) return undefined;
      return {
        reason: 'allowPrivilegeEscalation != false',
        detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`,
      };
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    overrides: ['capabilities_baseline'],
    check: ({ spec }) => {
      if (isWindows(spec)) return undefined;
      const missingDrop: string[] = [];
      const adding: string[] = [];
      const caps = new Set<string>();
      for (const c of containers(spec)) {
        const capabilities = obj(sc(c)?.capabilities);
        if (!capabilities) {
          missingDrop.push(nameOf(c));
          continue;
        }
        if (!((capabilities.drop as unknown[]) ?? []).includes('ALL')) missingDrop.push(nameOf(c));
        const forbidden = ((capabilities.add as unknown[]) ?? []).map(String).filter((cap) => cap !== 'NET_BIND_SERVICE');
        if (forbidden.length > 0) {
          adding.push(nameOf(c));
          forbidden.forEach((cap) => caps.add(cap));
        }
      }
      const details: string[] = [];
      if (missingDrop.length > 0) {
        details.push(`${pluralize('container', 'containers', missingDrop.length)} ${joinQuote(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      }
      if (adding.length > 0) {
        details.push(`${pluralize('container', 'containers', adding.length)} ${joinQuote(adding)} must not include ${joinQuote(sorted(caps))} in securityContext.capabilities.add`);
      }
      return details.length > 0 ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    overrides: ['procMount'],
    check: ({ spec }) => procMount(spec),
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    overrides: ['hostPathVolumes'],
    check: ({ spec }) => {
      const bad: string[] = [];
      const types = new Set<string>();
      for (const v of ((spec.volumes as unknown[]) ?? []).map((x) => obj(x) ?? {})) {
        if (ALLOWED_VOLUMES.some((k) => v[k] !== undefined && v[k] !== null)) continue;
        bad.push(String(v.name ?? ''));
        types.add(RESTRICTED_VOLUME_TYPES.find((k) => v[k] !== undefined && v[k] !== null) ?? 'unknown');
      }
      if (bad.length === 0) return undefined;
      const list = sorted(types);
      return {
        reason: 'restricted volume types',
        detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
      };
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    check: ({ spec }) => {
      if (userNamespaced(spec)) return undefined;
      const podValue = podSc(spec)?.runAsNonRoot;
      const pod = podValue === false;
      const podTrue = podValue === true;
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containers(spec)) {
        const v = sc(c)?.runAsNonRoot;
        if (v === true || v === false) {
          if (v === false) explicit.push(nameOf(c));
        } else if (!podTrue) implicit.push(nameOf(c));
      }
      const s = setters(pod, explicit);
      if (s.length > 0) return { reason: 'runAsNonRoot != true', detail: `${s.join(' and ')} must not set securityContext.runAsNonRoot=false` };
      if (implicit.length > 0) {
        return {
          reason: 'runAsNonRoot != true',
          detail: `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.runAsNonRoot=true`,
        };
      }
      return undefined;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    check: ({ spec }) => {
      if (userNamespaced(spec)) return undefined;
      const pod = podSc(spec)?.runAsUser === 0;
      const bad = containers(spec).filter((c) => sc(c)?.runAsUser === 0).map(nameOf);
      const s = setters(pod, bad);
      return s.length > 0 ? { reason: 'runAsUser=0', detail: `${s.join(' and ')} must not set runAsUser=0` } : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    overrides: ['seccompProfile_baseline'],
    check: ({ spec }) => {
      if (isWindows(spec)) return undefined;
      const badValues = new Set<string>();
      const podProfile = obj(podSc(spec)?.seccompProfile);
      let pod = false;
      let podSet = false;
      if (podProfile) {
        if (!validSeccomp(podProfile.type)) {
          pod = true;
          badValues.add(String(podProfile.type ?? ''));
        } else podSet = true;
      }
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containers(spec)) {
        const p = obj(sc(c)?.seccompProfile);
        if (p) {
          if (!validSeccomp(p.type)) {
            explicit.push(nameOf(c));
            badValues.add(String(p.type ?? ''));
          }
        } else if (!podSet) implicit.push(nameOf(c));
      }
      const s = setters(pod, explicit);
      if (s.length > 0) {
        return { reason: 'seccompProfile', detail: `${s.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sorted(badValues))}` };
      }
      if (implicit.length > 0) {
        return {
          reason: 'seccompProfile',
          detail: `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        };
      }
      return undefined;
    },
  },
];

/** The checks that apply at a level, with restricted checks replacing the baseline checks they override. */
export function checksFor(level: PodSecurityLevel): readonly PodSecurityCheck[] {
  if (level === 'privileged') return [];
  if (level === 'baseline') return POD_SECURITY_CHECKS.filter((c) => c.level === 'baseline');
  const overridden = new Set(POD_SECURITY_CHECKS.flatMap((c) => c.overrides ?? []));
  return POD_SECURITY_CHECKS.filter((c) => !overridden.has(c.id));
}

/** Evaluates a pod against a level; returns every check that forbids it. */
export function evaluatePodSecurity(pod: PodTemplate, level: PodSecurityLevel): PodSecurityResult[] {
  const out: PodSecurityResult[] = [];
  const outer = evaluating;
  evaluating = { spec: pod.spec };
  try {
    for (const check of checksFor(level)) {
      const result = check.check(pod);
      if (result) out.push({ id: check.id, ...result });
    }
  } finally {
    evaluating = outer;
  }
  return out;
}

/** The pod template of a workload object, when it has one (Pod, Deployment, ..., CronJob, Argo Rollout). */
export function podTemplateOf(object: { kind: string; spec?: unknown; metadata?: unknown }): PodTemplate | undefined {
  const spec = obj(object.spec);
  if (!spec) return undefined;
  switch (object.kind) {
    case 'Pod':
      return { metadata: obj(object.metadata) as PodTemplate['metadata'], spec };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
    case 'Rollout': {
      const t = obj(spec.template);
      return t && obj(t.spec) ? { metadata: obj(t.metadata) as PodTemplate['metadata'], spec: obj(t.spec)! } : undefined;
    }
    case 'CronJob': {
      const t = obj(obj(obj(spec.jobTemplate)?.spec)?.template);
      return t && obj(t.spec) ? { metadata: obj(t.metadata) as PodTemplate['metadata'], spec: obj(t.spec)! } : undefined;
    }
    default:
      return undefined;
  }
}
