import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import Module from 'node:module';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const root = path.resolve(__dirname, '../..');
const entry = path.join('test', 'scripts', 'fixtures', 'run-app', 'probe.ts');
const bundle = path.join(root, '.gen', 'app', 'probe.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'run-app-'));

const caches = (): string[] => fs.readdirSync(path.dirname(bundle)).filter((f) => f.startsWith('probe.js.') && f.endsWith('.v8cache'));

interface Probe {
  readonly creationStackFrames: number;
  readonly asset: string;
  readonly renderings: { readonly builtIn: unknown[]; readonly own: unknown[]; readonly keys: string[]; readonly errors: string[] };
  readonly terraform: { readonly locals: { readonly values: Record<string, unknown> } };
  readonly promql: { readonly resultsFile: string | null; readonly metricNames: string[] };
}

/** Runs the probe through the runner as cdktf runs the app (`node scripts/run-app.cjs`), or through tsx. */
function run(how: 'runner' | 'tsx', name: string, nodeFlags: readonly string[] = []): Probe {
  const out = path.join(work, name);
  const args = how === 'runner' ? [...nodeFlags, 'scripts/run-app.cjs', entry] : [...nodeFlags, '--import', 'tsx', entry];
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', PROBE_OUT: out };
  delete env.PROBE_STARTED;
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env, timeout: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  const probe = JSON.parse(fs.readFileSync(path.join(out, 'probe.json'), 'utf8')) as Probe;
  // The asset is a zip written by cdktf's zip writer, which the bundle loads on first use.
  const zip = fs.readFileSync(path.join(out, 'cdktf.out', 'stacks', 'probe', probe.asset));
  assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
  return probe;
}

describe('the app runner (scripts/run-app.cjs)', () => {
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('is the cdktf app command and `npm run app`, with a 4 MB young generation and the runner\'s optimization budget', () => {
    const cdktf = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { app: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { tieringFlag } = require('../../scripts/run-app.cjs') as { tieringFlag: (execArgv?: string[], nodeOptions?: string) => string | undefined };
    assert.equal(cdktf.app, `node --max-semi-space-size=4 ${tieringFlag([], '')} scripts/run-app.cjs`);
    // Given on the command line, the budget is not set again (which would load the v8 module).
    assert.equal(tieringFlag(cdktf.app.split(' ').slice(1, -1), ''), undefined);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.app, cdktf.app);
  });

  it('bundles the entry with its dependencies, writes a code cache and reuses it until the bundle is rebuilt', () => {
    fs.rmSync(bundle, { force: true });
    run('runner', 'first');
    const text = fs.readFileSync(bundle, 'utf8');
    assert.match(text, /node_modules\/cdktf\/lib\/app\.js/, 'cdktf is inside the bundle');
    const [cache] = caches();
    assert.ok(cache, 'the first run writes a code cache next to the bundle');
    const written = fs.statSync(path.join(path.dirname(bundle), cache)).mtimeMs;

    run('runner', 'second');
    assert.deepEqual(caches(), [cache]);
    assert.equal(fs.statSync(path.join(path.dirname(bundle), cache)).mtimeMs, written, 'an accepted cache is not rewritten');

    // A newer source rebuilds the bundle; the old cache goes with it.
    const source = path.join(root, entry);
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(source, later, later);
    try {
      run('runner', 'third');
    } finally {
      const now = new Date();
      fs.utimesSync(source, now, now);
    }
    const [rebuilt, ...more] = caches();
    assert.equal(more.length, 0);
    assert.notEqual(rebuilt, cache);

    // So does a newer runner: the build options are in it.
    run('runner', 'settled'); // (the source's restored time is newer than the bundle: this run rebuilds)
    const [settled] = caches();
    const runner = path.join(root, 'scripts', 'run-app.cjs');
    const runnerTime = fs.statSync(runner).mtime;
    const later2 = new Date(Date.now() + 10_000);
    fs.utimesSync(runner, later2, later2);
    try {
      run('runner', 'fourth');
    } finally {
      fs.utimesSync(runner, runnerTime, runnerTime);
    }
    const [again, ...others] = caches();
    assert.equal(others.length, 0);
    assert.notEqual(again, settled);
  });

  it('keeps the library\'s PromQL results next to the bundle, named by the bundle, until it is rebuilt', () => {
    fs.rmSync(bundle, { force: true });
    const results = (): string[] => fs.readdirSync(path.dirname(bundle)).filter((f) => f.startsWith('probe.js.') && f.endsWith('.promql.json'));
    const first = run('runner', 'promql-first');
    const { size, mtimeMs, ino } = fs.statSync(bundle);
    assert.equal(first.promql.resultsFile, `${bundle}.${size}-${Math.trunc(mtimeMs)}-${ino}.promql.json`);
    assert.deepEqual(first.promql.metricNames, ['probe_requests_total']);
    assert.deepEqual(results(), [path.basename(first.promql.resultsFile!)]);
    const kept = JSON.parse(fs.readFileSync(first.promql.resultsFile!, 'utf8')) as { results: [string, unknown][] };
    assert.deepEqual(kept.results, [['sum(rate(probe_requests_total[5m]))', { metricNames: ['probe_requests_total'] }]]);
    assert.deepEqual(run('runner', 'promql-second').promql, first.promql);

    // A rebuild deletes them with the code caches; the next run starts a file of its own.
    fs.rmSync(bundle, { force: true });
    const rebuilt = run('runner', 'promql-rebuilt');
    assert.notEqual(rebuilt.promql.resultsFile, first.promql.resultsFile);
    assert.deepEqual(results(), [path.basename(rebuilt.promql.resultsFile!)]);
    // Through tsx there is no bundle and no file.
    assert.equal(run('tsx', 'promql-tsx').promql.resultsFile, null);
  });

  it('ends the process once nothing is left to run, after the entry\'s own late work, with its exit code', () => {
    // The runner calls process.exit() when the event loop is empty, instead of letting Node.js free the heap first;
    // work an entry schedules from its own beforeExit listener still runs, and process.exitCode still counts.
    const out = path.join(work, 'late-work.txt');
    const result = spawnSync(process.execPath, ['scripts/run-app.cjs', path.join('test', 'scripts', 'fixtures', 'run-app', 'late-work.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, EXIT_PROBE_OUT: out },
      timeout: 300_000,
    });
    assert.equal(result.status, 3, result.stderr);
    assert.equal(fs.readFileSync(out, 'utf8'), 'written after the first beforeExit');
  });

  it('keeps a code cache for each set of V8 flags, so runs with other flags do not rewrite each other\'s', () => {
    fs.rmSync(bundle, { force: true }); // a rebuild removes the caches of earlier runs
    run('runner', 'default-flags');
    const [plain, ...more] = caches();
    assert.equal(more.length, 0);
    const written = fs.statSync(path.join(path.dirname(bundle), plain!)).mtimeMs;
    run('runner', 'other-flags', ['--max-semi-space-size=8']);
    const both = caches();
    assert.equal(both.length, 2, both.join(', '));
    run('runner', 'default-flags-again');
    assert.equal(fs.statSync(path.join(path.dirname(bundle), plain!)).mtimeMs, written, 'the first cache is still accepted');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { flagsKey } = require('../../scripts/run-app.cjs') as { flagsKey: (execArgv?: string[], nodeOptions?: string) => string };
    assert.match(flagsKey([], ''), /^[0-9a-f]{8}$/);
    assert.equal(flagsKey(['--max-semi-space-size=4'], ''), flagsKey(['--max-semi-space-size=4'], ''));
    assert.notEqual(flagsKey(['--max-semi-space-size=4'], ''), flagsKey(['--max-semi-space-size=8'], ''));
    assert.notEqual(flagsKey([], ''), flagsKey([], '--inspect'));
  });

  it('lets V8 optimize only what stays hot, unless the command line says otherwise', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { tieringFlag } = require('../../scripts/run-app.cjs') as { tieringFlag: (execArgv?: string[], nodeOptions?: string) => string | undefined };
    assert.equal(tieringFlag([], ''), '--interrupt-budget=1048576');
    assert.equal(tieringFlag(['--interrupt-budget=1000'], ''), undefined);
    assert.equal(tieringFlag([], '--max-old-space-size=512 --interrupt_budget=1000'), undefined);
  });

  it('synthesizes every environment byte for byte as the library does through tsx, its converters made linear', () => {
    // The bundle changes code as it builds (no token creation stacks, cdk8s's generated converters in one pass):
    // the app command must still write exactly what main.ts writes when run from source.
    const cdktf = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { app: string };
    const [node, ...args] = cdktf.app.split(' ');
    assert.equal(node, 'node');
    const synth = (name: string, command: readonly string[], extra: NodeJS.ProcessEnv = {}): string => {
      const out = path.join(work, name);
      fs.mkdirSync(out);
      const env = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: path.join(out, 'cdktf.out'), GITOPS_OUTDIR: path.join(out, 'dist'), ...extra };
      const result = spawnSync(process.execPath, command, { cwd: root, encoding: 'utf8', env, timeout: 300_000 });
      assert.equal(result.status, 0, result.stderr);
      return out;
    };
    const bundled = synth('synth-runner', args);
    const fromSource = synth('synth-tsx', ['--import', 'tsx', 'main.ts']);
    const files = (dir: string): string[] =>
      (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
        .sort();
    for (const [tree, atLeast] of [['dist', 300], [path.join('cdktf.out', 'stacks'), 4]] as const) {
      const names = files(path.join(fromSource, tree));
      assert.ok(names.length >= atLeast, `${tree}: ${names.length} files`);
      assert.deepEqual(files(path.join(bundled, tree)), names, tree);
      for (const name of names) {
        assert.ok(fs.readFileSync(path.join(bundled, tree, name)).equals(fs.readFileSync(path.join(fromSource, tree, name))), `${tree}/${name}`);
      }
    }
    // With the bundle built, a synthesis loads neither `assert` nor `child_process` (cdktf and cdk8s get them on
    // use), nor `v8` (the app command gives the optimization budget itself).
    const loadedFile = path.join(work, 'loaded-builtins.json');
    synth('synth-runner-builtins', ['--require', path.join(root, 'test', 'scripts', 'fixtures', 'run-app', 'loaded-builtins.cjs'), ...args], {
      LOADED_BUILTINS: loadedFile,
    });
    const loaded = JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as string[];
    assert.ok(loaded.includes('crypto') && loaded.includes('vm'), loaded.join(', '));
    for (const unused of ['assert', 'child_process', 'v8']) assert.ok(!loaded.includes(unused), `${unused} loaded: ${loaded.join(', ')}`);

    const text = fs.readFileSync(path.join(root, '.gen', 'app', 'main.js'), 'utf8');
    assert.doesNotMatch(text, /Object\.entries\(result\)\.reduce\(/, 'no converter copies its result once per field');
    assert.match(text, /__definedOnly\(result\)/);
    // esbuild escapes other characters in strings, but not in a regular expression literal: one micro sign there made
    // the whole 4.3 MB text slow to read and held at two bytes per character. Write such a character as an escape.
    const other = text.search(/[^\x00-\x7f]/);
    assert.equal(other, -1, `main.js is ASCII; found ${JSON.stringify(text.slice(other - 80, other + 20))}`);
  });

  it('gives cdktf and cdk8s `assert` and `child_process` on use, and fails the build if a module uses them otherwise', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { builtinsOnUse } = require('../../scripts/run-app.cjs') as { builtinsOnUse: (file: string, text: string, name: string) => string };
    const load = (text: string): Record<string, unknown> => {
      const exports: Record<string, unknown> = {};
      new Function('exports', 'require', text)(exports, require);
      return exports;
    };
    const resource = load(builtinsOnUse('/n/cdktf/lib/terraform-resource.js', 'const assert = require("assert");\nexports.check = (ok) => assert(ok, "forEach and count");', 'test'));
    const check = resource.check as (ok: boolean) => void;
    check(true);
    assert.throws(() => check(false), (error: Error) => error.name === 'AssertionError' && error.message === 'forEach and count');
    const element = load(builtinsOnUse('/n/cdktf/lib/terraform-element.js', 'const assert_1 = require("assert");\nexports.check = (ok) => (0, assert_1.ok)(ok, "id");', 'test'));
    assert.throws(() => (element.check as (ok: boolean) => void)(false), /^AssertionError.*: id$/);
    const zip = load(builtinsOnUse('/n/cdktf/lib/private/fs.js', 'const child_process_1 = require("child_process");\nexports.run = (c) => (0, child_process_1.execSync)(c, { encoding: "utf-8" });', 'test'));
    assert.equal((zip.run as (c: string) => string)('echo on use'), 'on use\n');
    // A use the stand-in does not serve, or a changed declaration, fails the build.
    assert.throws(() => builtinsOnUse('/n/cdktf/lib/terraform-resource.js', 'const assert = require("assert");\nassert.equal(1, 1);', 'test'), /no longer has the shape/);
    assert.throws(() => builtinsOnUse('/n/cdktf/lib/terraform-element.js', 'const assert_1 = require("node:assert");\n(0, assert_1.ok)(1);', 'test'), /no longer has the shape/);
  });

  it('reads an ASCII bundle as Latin-1 and any other as UTF-8, to the same text', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { decodeSource } = require('../../scripts/run-app.cjs') as { decodeSource: (bytes: Buffer) => string };
    for (const text of ['var a = /^(ns|us|\\u00b5s)$/;', 'var a = /^(ns|us|\u00b5s)$/; // \u{1f600}', '']) {
      const bytes = Buffer.from(text, 'utf8');
      assert.equal(decodeSource(bytes), text);
    }
  });

  it('writes the bundle as the function the CommonJS loader would make of it, and compiles it as read', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WRAPPER } = require('../../scripts/run-app.cjs') as { WRAPPER: [string, string] };
    assert.deepEqual(WRAPPER, Module.wrap('\0').split('\0'));
    const text = fs.readFileSync(path.join(root, '.gen', 'app', 'main.js'), 'latin1');
    assert.ok(text.startsWith(WRAPPER[0]), text.slice(0, 100));
    assert.ok(text.trimEnd().endsWith(WRAPPER[1].trim()), text.slice(-100));
  });

  it('gives the project modules a package compiled from ES modules as its own namespace, not a copy per importer', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { packagesAsTheirOwnNamespaces } = require('../../scripts/run-app.cjs') as { packagesAsTheirOwnNamespaces: (text: string) => string };
    const text = fs.readFileSync(path.join(root, '.gen', 'app', 'main.js'), 'latin1');
    const helper = /var __toESM=\(mod,isNodeMode,target\)=>[^;]*;/.exec(text);
    assert.ok(helper, 'the bundle has esbuild\'s __toESM helper');
    // The helper as built, taken out of the bundle and run: a marked package is returned as it is; any other gets the copy
    // with its exports as getters and itself as `default`, as esbuild's own helper makes it.
    const prelude = 'var __create=Object.create,__getProtoOf=Object.getPrototypeOf,__defProp=Object.defineProperty,__getOwnPropNames=Object.getOwnPropertyNames,__getOwnPropDesc=Object.getOwnPropertyDescriptor,__hasOwnProp=Object.prototype.hasOwnProperty;' +
      /var __copyProps=\(to,from,except,desc\)=>\{.*?return to\};/.exec(text)![0];
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const toESM = new Function(`${prelude}${helper[0]}return __toESM;`)() as (mod: unknown, isNodeMode?: number) => Record<string, unknown>;
    const marked = Object.defineProperty({ App: class App {} }, '__esModule', { value: true });
    assert.equal(toESM(marked), marked);
    const plain = { parse: () => 1 };
    const converted = toESM(plain);
    assert.notEqual(converted, plain);
    assert.equal(converted.parse, plain.parse);
    assert.equal(converted.default, plain);
    assert.notEqual(toESM(marked, 1), marked, 'Node\'s own ES module semantics still get the copy');
    // The build refuses an esbuild whose helper it does not recognise.
    assert.throws(() => packagesAsTheirOwnNamespaces('var __toESM=(mod)=>mod;'), /review the packages-as-their-own-namespaces plugin/);
  });

  it('reads the text and the code cache through one buffer, whichever of the two is larger', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WRAPPER } = require('../../scripts/run-app.cjs') as { WRAPPER: [string, string] };
    const dir = fs.mkdtempSync(path.join(work, 'compile-'));
    const bodies = {
      // A long comment: the text is larger than its cache.
      'text-larger': `module.exports = 41 + 1; /* ${'x'.repeat(1 << 20)} */`,
      // Many small functions, all run before the cache is made: the cache is larger than the text.
      'cache-larger': `${Array.from({ length: 300 }, (_, i) => `function f${i}(a) { return a + ${i}; }`).join('\n')}\nmodule.exports = [${Array.from({ length: 300 }, (_, i) => `f${i}(0)`).join(', ')}].length - 258;`,
    };
    // Each compilation in a process of its own: V8 keeps what a process compiled and would not read the cache again.
    const compileInChild = (file: string): { writeCache: boolean; rejected: boolean; result: unknown; cacheFile: string; cacheBytes: number } => {
      const script = `
        const fs = require('fs');
        const { compileBundle } = require(${JSON.stringify(path.join(root, 'scripts', 'run-app.cjs'))});
        const { script, cacheFile, writeCache } = compileBundle(process.argv[1]);
        const module = { exports: {} };
        script.runInThisContext()(module.exports, require, module, process.argv[1], '.');
        let cacheBytes = 0;
        if (writeCache) { const cache = script.createCachedData(); fs.writeFileSync(cacheFile, cache); cacheBytes = cache.length; }
        console.log(JSON.stringify({ writeCache, rejected: script.cachedDataRejected === true, result: module.exports, cacheFile, cacheBytes }));`;
      const child = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as ReturnType<typeof compileInChild>;
    };
    for (const [name, body] of Object.entries(bodies)) {
      const file = path.join(dir, `${name}.js`);
      fs.writeFileSync(file, `${WRAPPER[0]}${body}${WRAPPER[1]}`);
      const first = compileInChild(file);
      assert.equal(first.writeCache, true, `${name}: no cache yet`);
      assert.equal(first.result, 42);
      const textSize = fs.statSync(file).size;
      assert.equal(first.cacheBytes > textSize, name === 'cache-larger', `${name}: text ${textSize} bytes, cache ${first.cacheBytes}`);
      const second = compileInChild(file);
      assert.equal(second.cacheFile, first.cacheFile);
      assert.deepEqual([second.writeCache, second.rejected], [false, false], `${name}: the cache is read and accepted`);
      assert.equal(second.result, 42);
    }
  });

  it('records no token creation stacks in the bundle, and renders cdk8s objects and resolves Terraform values as the library does through tsx', () => {
    const bundled = run('runner', 'runner');
    const fromSource = run('tsx', 'tsx');
    assert.equal(bundled.creationStackFrames, 0);
    assert.ok(fromSource.creationStackFrames > 0);
    // The bundle resolves with an App's built-in resolvers in one pass, and gives an App with resolvers of its own to
    // cdk8s's function: the same objects either way, and the same key paths asked of a resolver of one's own.
    assert.deepEqual(bundled.renderings, fromSource.renderings);
    const [values] = bundled.renderings.builtIn as Array<{ spec: Record<string, unknown> }>;
    assert.deepEqual(values.spec.lazy, { nested: [1, 'two', { three: 3 }] });
    assert.deepEqual(values.spec.implicit, { from: 'an implicit token', port: { value: 8080 } });
    assert.deepEqual(values.spec.unions, [{ value: 'http' }, { value: '1Gi' }, { value: 2 }]);
    assert.equal('gone' in values.spec, false);
    assert.ok(bundled.renderings.keys.includes('spec.lazy.nested.2.three'), bundled.renderings.keys.join(', '));
    // Rendered in one walk (resolve and sanitize together): more keys than are sorted in place, integer-like keys,
    // empty metadata members dropped; and each unrenderable object fails with the two steps' error.
    const many = (bundled.renderings.builtIn as Array<{ metadata: Record<string, unknown>; spec?: Record<string, unknown> }>).find((o) => o.metadata.name === 'many')!;
    assert.deepEqual(Object.keys(many.spec!.many as object), Object.keys(many.spec!.many as object).sort());
    assert.equal(Object.keys(many.spec!.many as object).length, 13);
    assert.deepEqual(many.metadata, { labels: { lazy: 'label' }, name: 'many' });
    assert.deepEqual(bundled.renderings.errors, fromSource.renderings.errors);
    assert.match(bundled.renderings.errors[0]!, /non-simple object of type 'Moment'/);
    assert.match(bundled.renderings.errors[1]!, /the producer failed/);
    const [own] = bundled.renderings.own as Array<{ spec: Record<string, unknown> }>;
    assert.equal(own.spec.text, 'replaced');
    const text = fs.readFileSync(bundle, 'utf8');
    assert.match(text, /__resolveBuiltIn/, 'the probe is bundled with the one-pass resolution');
    assert.ok(text.includes('resolveSanitized)([],data,this,{sortKeys})'), 'the probe is bundled with objects resolved and sanitized in one walk');

    // cdktf's resolution returns plain members as they are without a context for each: the same Terraform JSON.
    assert.deepEqual(bundled.terraform, fromSource.terraform);
    const locals = bundled.terraform.locals.values;
    assert.deepEqual(locals.plain, ['plain', 'kube-e2e', '1e5', 'a.b+c', '-1.5e+10', 'with ${var.escaped} text', '%{ if true }x%{ endif }', '', 'TfToken']);
    assert.deepEqual(locals.numbers, [0, 1.5, -3, 42, '${var.count}']);
    assert.deepEqual(locals.tokens, { text: 'prefix-${var.name}-from a lazy', numberInText: 'replicas ${var.count} of 42', joined: '${join(",", var.list)}', list: '${var.list}', lazy: { nested: [true, 'x'] } });
    assert.equal(locals['key-${var.name}'], 'a token in a key');
    assert.deepEqual(locals.gaps, ['kept', [[]], { here: 'yes' }]);
    assert.ok(text.includes('__plainValue(x)?x:makeContext'), 'the probe is bundled with plain values returned as they are');
    // cdk8s sorts keys with the project's sortCodeUnits, and cdktf writes its JSON with stableJson (same text: the
    // environments' test above compares every cdk.tf.json with the library's through tsx).
    assert.ok(text.includes('__sortCodeUnits(Object.keys(obj'), 'the probe is bundled with keys sorted in place');
    assert.ok(text.includes('__stableJson(value,options,__jsonStableStringify)'), 'the probe is bundled with stableJson');
    assert.ok(text.includes('let known=__SNAKE_CASES.get('), 'the probe is bundled with snakeCase\'s answers kept');
  });
});
