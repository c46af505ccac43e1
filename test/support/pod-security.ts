import { ManifestObject } from '../../lib/platform/gitops-tree';

/** A Pod Security Standards level. */
export type Level = 'privileged' | 'baseline' | 'restricted';

type Json = Record<string, unknown>;

/** Capabilities `baseline` lets a container add (the upstream admission library's list). */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
/** Volume types `restricted` allows. */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

/**
 * The pod spec of a workload object, including the Jobs an Argo Rollouts
 * AnalysisTemplate runs (`spec.metrics[].provider.job`); one entry per pod template.
 */
export function podTemplates(object: ManifestObject): Array<{ where: string; spec: Json }> {
  const o = object as unknown as Json;
  const spec = obj(o.spec);
  switch (object.kind) {
    case 'Pod':
      return [{ where: 'spec', spec }];
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'Rollout':
      return spec.template ? [{ where: 'spec.template.spec', spec: obj(obj(spec.template).spec) }] : [];
    case 'CronJob':
      return [{ where: 'spec.jobTemplate.spec.template.spec', spec: obj(obj(obj(obj(spec.jobTemplate).spec).template).spec) }];
    case 'AnalysisTemplate':
    case 'ClusterAnalysisTemplate':
      return list(spec.metrics).flatMap((m, i) => {
        const job = obj(obj(m.provider).job);
        return job.spec ? [{ where: `spec.metrics[${i}].provider.job.spec.template.spec`, spec: obj(obj(obj(job.spec).template).spec) }] : [];
      });
    default:
      return [];
  }
}

/**
 * The checks of Kubernetes' Pod Security admission (k8s.io/pod-security-admission,
 * policy version `latest`) for one pod spec at `level`: every violation, as
 * `check: detail`. `baseline` checks: host namespaces, privileged, added
 * capabilities, hostPath volumes, host ports, seccomp Unconfined, /proc mount,
 * SELinux types, unsafe sysctls. `restricted` adds: volume types, privilege
 * escalation, non-root, no UID 0, seccomp RuntimeDefault/Localhost, drop ALL
 * capabilities and add at most NET_BIND_SERVICE.
 */
export function podSecurityViolations(spec: Json, level: Level): string[] {
  if (level === 'privileged') return [];
  const out: string[] = [];
  const pod = obj(spec.securityContext);
  const containers = [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)];
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[key] === true) out.push(`host namespaces: ${key}`);
  for (const v of list(spec.volumes)) if (v.hostPath) out.push(`hostPath volumes: ${String(v.name)}`);
  for (const s of list(pod.sysctls)) out.push(`sysctls: ${String(s.name)}`);
  if (obj(pod.seccompProfile).type === 'Unconfined') out.push('seccompProfile: pod Unconfined');
  for (const c of containers) {
    const sc = obj(c.securityContext);
    const name = String(c.name);
    if (sc.privileged === true) out.push(`privileged: ${name}`);
    for (const cap of (obj(sc.capabilities).add as string[] | undefined) ?? []) {
      if (!BASELINE_CAPABILITIES.has(cap)) out.push(`capabilities: ${name} adds ${cap}`);
    }
    for (const p of list(c.ports)) if (p.hostPort !== undefined && p.hostPort !== 0) out.push(`hostPorts: ${name}`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') out.push(`procMount: ${name}`);
    if (obj(sc.seccompProfile).type === 'Unconfined') out.push(`seccompProfile: ${name} Unconfined`);
  }
  if (level === 'baseline') return out;

  for (const v of list(spec.volumes)) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.includes(type)) out.push(`volume types: ${String(v.name)} is ${type}`);
  }
  const podSeccomp = obj(pod.seccompProfile).type;
  for (const c of containers) {
    const sc = obj(c.securityContext);
    const name = String(c.name);
    if (sc.allowPrivilegeEscalation !== false) out.push(`allowPrivilegeEscalation != false: ${name}`);
    const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (nonRoot !== true) out.push(`runAsNonRoot != true: ${name}`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) out.push(`runAsUser=0: ${name}`);
    const seccomp = obj(sc.seccompProfile).type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`seccompProfile: ${name} is ${String(seccomp)}`);
    const caps = obj(sc.capabilities);
    if (!((caps.drop as string[] | undefined) ?? []).includes('ALL')) out.push(`unrestricted capabilities: ${name} does not drop ALL`);
    for (const cap of (caps.add as string[] | undefined) ?? []) {
      if (cap !== 'NET_BIND_SERVICE') out.push(`unrestricted capabilities: ${name} adds ${cap}`);
    }
  }
  return out;
}
