/**
 * A throwaway Kubernetes API server on loopback for tests: kine (the etcd API
 * over memory) and kube-apiserver, both built by scripts/tools.sh. Certificates
 * and the service-account key are generated with openssl into a temporary
 * folder at start and removed at stop; nothing secret is kept in the project.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** A running server: its kubeconfig for kubectl, and how long it took to be ready. */
export interface ApiServer {
  readonly kubeconfig: string;
  readonly startupSeconds: number;
  /** The last lines the two processes wrote, for failure messages. */
  logs(): string;
  /** Stops both processes and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel's choice). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function openssl(dir: string, args: readonly string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`openssl is needed to make the test API server's certificates: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
}

/** CA, serving certificate for 127.0.0.1, an admin client certificate and the service-account key pair. */
function makeCertificates(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca']);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n');
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver']);
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext']);
  openssl(dir, ['req', ...ec, '-keyout', 'admin.key', '-out', 'admin.csr', '-subj', '/O=system:masters/CN=test-admin']);
  openssl(dir, ['x509', '-req', '-in', 'admin.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'admin.crt', '-days', '1']);
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'sa.key']);
  openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

function kubeconfig(dir: string, port: number): string {
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: test\n  cluster:\n    server: https://127.0.0.1:${port}\n    certificate-authority: ${path.join(dir, 'ca.crt')}`,
      'users:',
      `- name: admin\n  user:\n    client-certificate: ${path.join(dir, 'admin.crt')}\n    client-key: ${path.join(dir, 'admin.key')}`,
      'contexts:',
      '- name: test\n  context:\n    cluster: test\n    user: admin',
      'current-context: test',
      '',
    ].join('\n'),
  );
  return file;
}

function ready(dir: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(
      {
        host: '127.0.0.1',
        port,
        path: '/readyz',
        ca: fs.readFileSync(path.join(dir, 'ca.crt')),
        cert: fs.readFileSync(path.join(dir, 'admin.crt')),
        key: fs.readFileSync(path.join(dir, 'admin.key')),
        timeout: 2000,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

class Tail {
  private text = '';
  constructor(readonly name: string) {}
  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-8000);
  }
  toString(): string {
    return `--- ${this.name} (last lines)\n${this.text.split('\n').slice(-25).join('\n')}`;
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts kine and kube-apiserver on free loopback ports and waits until
 * /readyz answers (or `timeoutSeconds` pass: then both are stopped and it throws).
 */
export async function startApiServer(binaries: { kine: string; kubeApiserver: string }, timeoutSeconds = 90): Promise<ApiServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-apiserver-'));
  const children: ChildProcess[] = [];
  const tails: Tail[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killAll);
    await Promise.all(children.map(stopProcess));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const killAll = (): void => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  const launch = (name: string, binary: string, args: readonly string[]): ChildProcess => {
    const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = new Tail(name);
    child.stdout?.on('data', (c: Buffer) => tail.add(c));
    child.stderr?.on('data', (c: Buffer) => tail.add(c));
    children.push(child);
    tails.push(tail);
    return child;
  };
  const logs = (): string => tails.map(String).join('\n');
  try {
    const started = Date.now();
    makeCertificates(dir);
    const [etcdPort, metricsPort, port] = [await freePort(), await freePort(), await freePort()];
    launch('kine', binaries.kine, [
      `--listen-address=127.0.0.1:${etcdPort}`,
      '--endpoint=memory://',
      `--metrics-bind-address=127.0.0.1:${metricsPort}`,
    ]);
    launch('kube-apiserver', binaries.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${dir}`,
      `--tls-cert-file=${path.join(dir, 'server.crt')}`,
      `--tls-private-key-file=${path.join(dir, 'server.key')}`,
      `--client-ca-file=${path.join(dir, 'ca.crt')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--authorization-mode=RBAC',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      '--logging-format=text',
    ]);
    for (;;) {
      if (await ready(dir, port)) break;
      const exited = children.find((c) => c.exitCode !== null || c.signalCode !== null);
      if (exited) throw new Error(`the test API server exited during startup\n${logs()}`);
      if (Date.now() - started > timeoutSeconds * 1000) throw new Error(`the test API server was not ready after ${timeoutSeconds}s\n${logs()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { kubeconfig: kubeconfig(dir, port), startupSeconds: (Date.now() - started) / 1000, logs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
