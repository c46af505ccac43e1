/**
 * `npm run docs`: regenerates the documentation that is derived from the
 * stacks (docs/environments/<env>.md, the generated tables of docs/deploy.md,
 * .env.example, schemas/outputs/*.schema.json). See scripts/docs-render.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderDocs } from './docs-render';

const root = path.resolve(__dirname, '..');
let changed = 0;
for (const [file, content] of renderDocs(root)) {
  const full = path.join(root, file);
  if (fs.existsSync(full) && fs.readFileSync(full, 'utf8') === content) continue;
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  console.log(`wrote ${file}`);
  changed++;
}
console.log(changed === 0 ? 'docs are current' : `${changed} file(s) updated`);
