import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksFor, evaluatePodSecurity, POD_SECURITY_CHECKS, PodTemplate, podTemplateOf } from '../../../../lib/platform/deploy-model/pod-security';

/**
 * Cases transcribed from the upstream admission library's own tests
 * (k8s.io/pod-security-admission, policy/check_*_test.go): the pod, and the
 * reason and detail upstream expects (undefined when the pod is allowed).
 */
interface Case {
  readonly check: string;
  readonly name: string;
  readonly pod: PodTemplate;
  readonly reason?: string;
  readonly detail?: string;
}

const sc = (securityContext: Record<string, unknown> | undefined) => (securityContext === undefined ? {} : { securityContext });
const c = (name: string, securityContext?: Record<string, unknown>) => ({ name, ...sc(securityContext) });
const pod = (spec: Record<string, unknown>, annotations?: Record<string, string>): PodTemplate => ({ ...(annotations ? { metadata: { annotations } } : {}), spec });

const CASES: Case[] = [
  {
    check: 'allowPrivilegeEscalation', name: 'multiple containers',
    pod: pod({ containers: [c('a'), c('b', {}), c('c', { allowPrivilegeEscalation: true }), c('d', { allowPrivilegeEscalation: false })] }),
    reason: 'allowPrivilegeEscalation != false', detail: 'containers "a", "b", "c" must set securityContext.allowPrivilegeEscalation=false',
  },
  { check: 'allowPrivilegeEscalation', name: 'windows pod, admit without checking privilegeEscalation', pod: pod({ os: { name: 'windows' }, containers: [c('a')] }) },
  {
    check: 'allowPrivilegeEscalation', name: 'linux pod, reject if security context is not set',
    pod: pod({ os: { name: 'linux' }, containers: [c('a')] }),
    reason: 'allowPrivilegeEscalation != false', detail: 'container "a" must set securityContext.allowPrivilegeEscalation=false',
  },
  { check: 'appArmorProfile', name: 'unconfined pod', pod: pod({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), reason: 'forbidden AppArmor profile', detail: 'pod must not set AppArmor profile type to "Unconfined"' },
  {
    check: 'appArmorProfile', name: 'unconfined container',
    pod: pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [c('foo', { appArmorProfile: { type: 'Unconfined' } })] }),
    reason: 'forbidden AppArmor profile', detail: 'container "foo" must not set AppArmor profile type to "Unconfined"',
  },
  {
    check: 'appArmorProfile', name: 'unconfined init container',
    pod: pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [c('foo')], initContainers: [c('bar', { appArmorProfile: { type: 'Unconfined' } })] }),
    reason: 'forbidden AppArmor profile', detail: 'container "bar" must not set AppArmor profile type to "Unconfined"',
  },
  {
    check: 'capabilities_baseline', name: 'multiple containers',
    pod: pod({ containers: [c('a', { capabilities: { add: ['FOO', 'BAR'] } }), c('b', { capabilities: { add: ['BAR', 'BAZ'] } })] }),
    reason: 'non-default capabilities', detail: 'containers "a", "b" must not include "BAR", "BAZ", "FOO" in securityContext.capabilities.add',
  },
  {
    check: 'capabilities_restricted', name: 'multiple containers',
    pod: pod({
      containers: [
        c('a', { capabilities: { add: ['FOO', 'BAR'] } }),
        c('b', { capabilities: { add: ['BAR', 'BAZ'] } }),
        c('c', { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } }),
      ],
    }),
    reason: 'unrestricted capabilities',
    detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
  },
  { check: 'capabilities_restricted', name: 'windows pod, admit without checking capabilities', pod: pod({ os: { name: 'windows' }, containers: [c('a')] }) },
  {
    check: 'capabilities_restricted', name: 'linux pod, reject if security context is not set',
    pod: pod({ os: { name: 'linux' }, containers: [c('a')] }),
    reason: 'unrestricted capabilities', detail: 'container "a" must set securityContext.capabilities.drop=["ALL"]',
  },
  { check: 'hostNamespaces', name: 'multiple host namespaces', pod: pod({ hostNetwork: true, hostIPC: true, hostPID: true }), reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true' },
  {
    check: 'hostPathVolumes', name: 'host path volumes',
    pod: pod({ volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: {} }, { name: 'c', emptyDir: {} }] }),
    reason: 'hostPath volumes', detail: 'volumes "a", "b"',
  },
  {
    check: 'hostPorts', name: 'one container, one host port',
    pod: pod({ containers: [{ name: 'a', ports: [{ hostPort: 0 }] }, { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 20 }] }] }),
    reason: 'hostPort', detail: 'container "b" uses hostPort 20',
  },
  {
    check: 'hostPorts', name: 'multiple containers, multiple host port',
    pod: pod({
      containers: [
        { name: 'a', ports: [{ hostPort: 0 }] },
        { name: 'b', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 20 }] },
        { name: 'c', ports: [{ hostPort: 0 }, { hostPort: 10 }, { hostPort: 30 }] },
      ],
    }),
    reason: 'hostPort', detail: 'containers "b", "c" use hostPorts 10, 20, 30',
  },
  {
    check: 'privileged', name: 'privileged',
    pod: pod({ containers: [c('a'), c('b', {}), c('c', { privileged: false }), c('d', { privileged: true }), c('e', { privileged: true })] }),
    reason: 'privileged', detail: 'containers "d", "e" must not set securityContext.privileged=true',
  },
  {
    check: 'procMount', name: 'procMount',
    pod: pod({ hostUsers: true, containers: [c('a'), c('b', {}), c('c', { procMount: 'Default' }), c('d', { procMount: 'Unmasked' }), c('e', { procMount: 'other' })] }),
    reason: 'procMount', detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
  },
  {
    check: 'procMount', name: 'procMount with userns',
    pod: pod({ hostUsers: false, containers: [c('a'), c('b', {}), c('c', { procMount: 'Default' }), c('d', { procMount: 'Unmasked' }), c('e', { procMount: 'other' })] }),
  },
  {
    check: 'procMount_restricted', name: 'procMount',
    pod: pod({ containers: [c('a'), c('b', {}), c('c', { procMount: 'Default' }), c('d', { procMount: 'Unmasked' }), c('e', { procMount: 'other' })] }),
    reason: 'procMount', detail: 'containers "d", "e" must not set securityContext.procMount to "Unmasked", "other"',
  },
  {
    check: 'restrictedVolumes', name: 'host path volumes',
    pod: pod({
      volumes: [
        ...['emptyDir', 'secret', 'persistentVolumeClaim', 'downwardAPI', 'configMap', 'projected', 'csi', 'ephemeral', 'image'].map((k, i) => ({ name: `a${i + 1}`, [k]: {} })),
        ...['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos']
          .map((k, i) => ({ name: `b${i + 1}`, [k]: {} })),
        { name: 'c1' },
      ],
    }),
    reason: 'restricted volume types',
    detail: 'volumes "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9", "b10", "b11", "b12", "b13", "b14", "b15", "b16", "b17", "b18", "b19", "b20", "b21", "c1"' +
      ' use restricted volume types "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", ' +
      '"hostPath", "iscsi", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos", "unknown", "vsphereVolume"',
  },
  { check: 'runAsNonRoot', name: 'no explicit runAsNonRoot', pod: pod({ containers: [c('a')] }), reason: 'runAsNonRoot != true', detail: 'pod or container "a" must set securityContext.runAsNonRoot=true' },
  { check: 'runAsNonRoot', name: 'pod runAsNonRoot=false', pod: pod({ securityContext: { runAsNonRoot: false }, containers: [c('a')] }), reason: 'runAsNonRoot != true', detail: 'pod must not set securityContext.runAsNonRoot=false' },
  {
    check: 'runAsNonRoot', name: 'containers runAsNonRoot=false',
    pod: pod({ securityContext: { runAsNonRoot: true }, containers: [c('a'), c('b', {}), c('c', { runAsNonRoot: false }), c('d', { runAsNonRoot: false }), c('e', { runAsNonRoot: true }), c('f', { runAsNonRoot: true })] }),
    reason: 'runAsNonRoot != true', detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false',
  },
  {
    check: 'runAsNonRoot', name: 'pod nil, container fallthrough',
    pod: pod({ containers: [c('a'), c('b', {}), c('d', { runAsNonRoot: true }), c('e', { runAsNonRoot: true })] }),
    reason: 'runAsNonRoot != true', detail: 'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
  },
  { check: 'runAsNonRoot', name: 'host users false allowed', pod: pod({ hostUsers: false }) },
  { check: 'runAsUser', name: 'pod runAsUser=0', pod: pod({ securityContext: { runAsUser: 0 }, containers: [c('a')] }), reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0' },
  { check: 'runAsUser', name: 'pod runAsUser=non-zero', pod: pod({ securityContext: { runAsUser: 1000 }, containers: [c('a')] }) },
  { check: 'runAsUser', name: 'pod runAsUser=nil', pod: pod({ securityContext: {}, containers: [c('a')] }) },
  {
    check: 'runAsUser', name: 'containers runAsUser=0',
    pod: pod({ securityContext: { runAsUser: 1000 }, containers: [c('a'), c('b', {}), c('c', { runAsUser: 0 }), c('d', { runAsUser: 0 }), c('e', { runAsUser: 1 }), c('f', { runAsUser: 1 })] }),
    reason: 'runAsUser=0', detail: 'containers "c", "d" must not set runAsUser=0',
  },
  { check: 'runAsUser', name: 'containers runAsUser=non-zero', pod: pod({ containers: [1, 2, 3, 4].map((u, i) => c('cdef'[i]!, { runAsUser: u })) }) },
  { check: 'runAsUser', name: 'host users false allowed', pod: pod({ hostUsers: false }) },
  {
    check: 'seLinuxOptions', name: 'invalid pod and containers',
    pod: pod({
      securityContext: { seLinuxOptions: { type: 'foo', user: 'bar', role: 'baz' } },
      containers: [
        c('a', { seLinuxOptions: { type: 'container_t' } }),
        c('b', { seLinuxOptions: { type: 'container_init_t' } }),
        c('c', { seLinuxOptions: { type: 'container_kvm_t' } }),
        c('d', { seLinuxOptions: { type: 'container_engine_t' } }),
        c('e', { seLinuxOptions: { type: 'bar' } }),
        c('f', { seLinuxOptions: { user: 'bar' } }),
        c('g', { seLinuxOptions: { role: 'baz' } }),
      ],
    }),
    reason: 'seLinuxOptions', detail: 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
  },
  { check: 'seLinuxOptions', name: 'bad type', pod: pod({ securityContext: { seLinuxOptions: { type: 'bad' } } }), reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: type "bad"' },
  { check: 'seLinuxOptions', name: 'bad user', pod: pod({ securityContext: { seLinuxOptions: { user: 'bad' } } }), reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: user may not be set' },
  { check: 'seLinuxOptions', name: 'bad role', pod: pod({ securityContext: { seLinuxOptions: { role: 'bad' } } }), reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: role may not be set' },
  {
    check: 'seccompProfile_baseline', name: 'pod and containers seccomp invalid',
    pod: pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [c('a'), c('b', {}), c('c', { seccompProfile: { type: 'Unconfined' } }), c('d', { seccompProfile: { type: 'Unconfined' } }), c('e', { seccompProfile: { type: 'RuntimeDefault' } }), c('f', { seccompProfile: { type: 'RuntimeDefault' } })],
    }),
    reason: 'seccompProfile', detail: 'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "Unconfined"',
  },
  { check: 'seccompProfile_restricted', name: 'no explicit seccomp', pod: pod({ containers: [c('a')] }), reason: 'seccompProfile', detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' },
  { check: 'seccompProfile_restricted', name: 'no explicit seccomp, windows Pod', pod: pod({ os: { name: 'windows' }, containers: [c('a')] }) },
  { check: 'sysctls', name: 'forbidden sysctls', pod: pod({ securityContext: { sysctls: [{ name: 'a' }, { name: 'b' }] } }), reason: 'forbidden sysctls', detail: 'a, b' },
  { check: 'sysctls', name: 'new supported sysctls: net.ipv4.tcp_keepalive_time', pod: pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '7200' }] } }) },
  {
    check: 'windowsHostProcess', name: 'host process pod and container',
    pod: pod({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [c('a', { windowsOptions: { hostProcess: true } })] }),
    reason: 'hostProcess', detail: 'pod and container "a" must not set securityContext.windowsOptions.hostProcess=true',
  },
  {
    check: 'hostProbesAndHostLifecycle', name: 'probe and lifecycle hosts',
    pod: pod({ containers: [{ name: 'a', livenessProbe: { httpGet: { host: 'evil.example', port: 80 } }, lifecycle: { preStop: { tcpSocket: { host: '10.0.0.1', port: 22 } } } }] }),
    reason: 'probe or lifecycle host', detail: 'container "a" uses probe or lifecycle hosts "10.0.0.1", "evil.example"',
  },
];

describe('Pod Security checks (upstream test cases)', () => {
  for (const tc of CASES) {
    it(`${tc.check}: ${tc.name}`, () => {
      const check = POD_SECURITY_CHECKS.find((x) => x.id === tc.check);
      assert.ok(check, `check ${tc.check} exists`);
      const result = check.check(tc.pod);
      if (tc.reason === undefined) assert.equal(result, undefined);
      else assert.deepEqual(result, { reason: tc.reason, detail: tc.detail });
    });
  }

  it('implements every upstream check id, each at its level', () => {
    assert.deepEqual(POD_SECURITY_CHECKS.map((x) => `${x.level}:${x.id}`).sort(), [
      'baseline:appArmorProfile', 'baseline:capabilities_baseline', 'baseline:hostNamespaces', 'baseline:hostPathVolumes',
      'baseline:hostPorts', 'baseline:hostProbesAndHostLifecycle', 'baseline:privileged', 'baseline:procMount',
      'baseline:seLinuxOptions', 'baseline:seccompProfile_baseline', 'baseline:sysctls', 'baseline:windowsHostProcess',
      'restricted:allowPrivilegeEscalation', 'restricted:capabilities_restricted', 'restricted:procMount_restricted',
      'restricted:restrictedVolumes', 'restricted:runAsNonRoot', 'restricted:runAsUser', 'restricted:seccompProfile_restricted',
    ]);
  });

  it('restricted replaces the baseline checks it overrides, and privileged checks nothing', () => {
    const restricted = checksFor('restricted').map((x) => x.id);
    for (const replaced of ['capabilities_baseline', 'hostPathVolumes', 'seccompProfile_baseline', 'procMount']) assert.ok(!restricted.includes(replaced), replaced);
    assert.ok(restricted.includes('privileged') && restricted.includes('capabilities_restricted'));
    assert.equal(checksFor('privileged').length, 0);
  });

  it('evaluates a workload pod template at its level', () => {
    const deployment = {
      kind: 'Deployment',
      spec: { template: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('app', { allowPrivilegeEscalation: false })] } } },
    };
    const template = podTemplateOf(deployment)!;
    assert.deepEqual(evaluatePodSecurity(template, 'baseline'), []);
    assert.deepEqual(evaluatePodSecurity(template, 'restricted'), [
      { id: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "app" must set securityContext.capabilities.drop=["ALL"]' },
    ]);
    const cron = { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { hostPID: true, containers: [c('x')] } } } } } };
    assert.deepEqual(evaluatePodSecurity(podTemplateOf(cron)!, 'baseline').map((r) => r.id), ['hostNamespaces']);
  });
});
