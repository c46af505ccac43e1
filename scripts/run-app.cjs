// The cdktf app command (cdktf.json "app"): runs main.ts as plain JavaScript.
//
// main.ts and everything it imports are bundled by esbuild into one CommonJS
// file under .gen/app/ (dependencies stay in node_modules), rebuilt only when a
// source file is newer than the bundle. Loading one prepared file is about
// twice as fast as transpiling on every run. esbuild does not type-check:
// `npm test` does.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, '.gen', 'app', 'main.js');
const SOURCES = ['main.ts', 'lib', 'stacks', 'environments', 'package.json', 'tsconfig.json'];

function newestSource() {
  let newest = 0;
  const visit = (p) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else if (p.endsWith('.ts') || p.endsWith('.json')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

function bundleIsFresh() {
  try {
    return fs.statSync(outfile).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

if (!bundleIsFresh()) {
  const esbuild = require('esbuild');
  // Build to a private file and rename, so concurrent runs never read half a bundle.
  const tmp = `${outfile}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  esbuild.buildSync({
    entryPoints: [path.join(root, 'main.ts')],
    outfile: tmp,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Configuration classes (Storage, NotificationService ...) are checked by name at the config boundary.
    keepNames: true,
    logLevel: 'error',
  });
  fs.renameSync(tmp, outfile);
}

require(outfile);
