import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments, parse } from 'yaml';
import { ManifestObject } from '../../../lib/platform/gitops-tree';
import { assertValidManifests } from '../../support/validate';

/** A bare cdk8s chart (no common labels), for constructs built in isolation. */
export function newChart(id = 'test'): Chart {
  return new Chart(new App({ outdir: '.', recordConstructMetadata: false }), id, { disableResourceNameHashes: true });
}

/** The objects of a chart, as plain JSON, each validated strictly (CRD schema with CEL rules, or the core schema). */
export function objects(chart: Chart): ManifestObject[] {
  const out = chart.toJson() as ManifestObject[];
  assertValidManifests(out, chart.node.id);
  return out;
}

/** The one object of a kind (and name) in a chart. */
export function objectOf(chart: Chart, kind: string, name?: string): ManifestObject {
  const found = objects(chart).filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

const FIXTURES = path.join(__dirname, 'fixtures');

/** The documents of a fixture copied from the seeds (comments dropped, as YAML parsing does). */
export function fixture(name: string): Array<Record<string, any>> {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, any> | null)
    .filter((d): d is Record<string, any> => d !== null);
}

/** The one document of a fixture. */
export function fixtureDoc(name: string, kind?: string): Record<string, any> {
  const docs = fixture(name).filter((d) => kind === undefined || d.kind === kind);
  if (docs.length !== 1) throw new Error(`expected one ${kind ?? 'document'} in ${name}, found ${docs.length}`);
  return docs[0];
}

/** The raw text of a fixture, without its provenance header line. */
export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8').split('\n').slice(1).join('\n');
}

/** Parses a YAML string value (a ConfigMap entry that holds YAML). */
export function yamlValue(text: string): unknown {
  return parse(text);
}
