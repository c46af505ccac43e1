/**
 * Loaded into every test process by `npm test` (`--import`, after tsx): the
 * process's temporary files go into one folder of its own under the system's
 * temporary folder, removed when the process exits. cdktf's `Testing` makes a
 * `cdktf.outdir.*` folder for every synth and never removes it, cdk8s does
 * the same, and so would any test that forgets its cleanup: without this, a
 * full run left about 460 folders (58 MB) behind, every run.
 *
 * `os.tmpdir()` reads `TMPDIR` on every call, so everything made after this
 * module loads lands in the folder, and the processes the tests start
 * (kustomize, helm, the API server) inherit it. tsx has already chosen its
 * own cache folder by then and keeps it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const own = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-test-'));
for (const variable of ['TMPDIR', 'TMP', 'TEMP']) process.env[variable] = own;
process.on('exit', () => fs.rmSync(own, { recursive: true, force: true }));
