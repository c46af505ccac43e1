import { ConfigError } from '../../platform/errors';
import { ManifestObject } from '../../platform/gitops-tree';
import { arrayAt, KindMatch, valueAt } from './match';
import { Policy, PolicyFinding } from './policy';

/** The objects whose source repositories are checked. */
export const REPOSITORY_SOURCE_KINDS: readonly KindMatch[] = [
  { apiGroups: ['argoproj.io'], kinds: ['Application', 'ApplicationSet'] },
  { apiGroups: ['source.toolkit.fluxcd.io'], kinds: ['GitRepository', 'HelmRepository', 'OCIRepository'] },
];

/** A repository URL an object pulls from, with the field it is in. */
export interface RepositorySource {
  /** The field path (`spec.source.repoURL`). */
  readonly field: string;
  /** The URL. */
  readonly url: string;
}

const RULE = 'is not under an allowed prefix';

/**
 * Checks a list of allowed repository prefixes: each is an `https://` (or
 * `oci://`) URL with a host, no credentials, query or fragment, ending in `/`
 * so that `https://github.com/<owner>/` does not also allow
 * `https://github.com/<owner>-fork/`.
 */
export function validateRepositoryPrefixes(where: string, field: string, prefixes: readonly string[]): readonly string[] {
  if (!Array.isArray(prefixes) || prefixes.length === 0) {
    throw new ConfigError(where, field, prefixes, 'List at least one repository prefix, such as "https://github.com/<owner>/".');
  }
  prefixes.forEach((prefix, i) => {
    const at = `${field}[${i}]`;
    let url: URL;
    try {
      url = new URL(prefix);
    } catch {
      throw new ConfigError(where, at, prefix, 'Use an https:// URL prefix such as "https://github.com/<owner>/".');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'oci:') {
      throw new ConfigError(where, at, prefix, 'Use an https:// (or oci://) URL prefix; plain http and ssh are not allowed.');
    }
    if (url.hostname === '') {
      throw new ConfigError(where, at, prefix, 'Include the host, such as "https://<git host>/".');
    }
    if (url.username !== '' || url.password !== '') {
      throw new ConfigError(where, at, prefix.replace(/\/\/[^/]*@/, '//***@'), 'Remove the credentials from the URL.');
    }
    if (url.search !== '' || url.hash !== '') {
      throw new ConfigError(where, at, prefix, 'Remove the query and fragment.');
    }
    if (!prefix.endsWith('/')) {
      throw new ConfigError(where, at, prefix, `End the prefix with "/" ("${prefix}/"), so that it cannot match a sibling organisation or repository.`);
    }
  });
  return prefixes;
}

/** Every repository URL of an Application, ApplicationSet or Flux source, with its field. */
export function repositorySourcesOf(object: ManifestObject): RepositorySource[] {
  const out: RepositorySource[] = [];
  const add = (field: string, value: unknown): void => {
    if (value !== undefined) out.push({ field, url: String(value) });
  };
  if (object.kind === 'Application') {
    add('spec.source.repoURL', valueAt(object, ['spec', 'source', 'repoURL']));
    arrayAt(object, ['spec', 'sources']).forEach((s, i) => add(`spec.sources[${i}].repoURL`, valueAt(s, ['repoURL'])));
    add('spec.sourceHydrator.drySource.repoURL', valueAt(object, ['spec', 'sourceHydrator', 'drySource', 'repoURL']));
  } else if (object.kind === 'ApplicationSet') {
    add('spec.template.spec.source.repoURL', valueAt(object, ['spec', 'template', 'spec', 'source', 'repoURL']));
    arrayAt(object, ['spec', 'template', 'spec', 'sources']).forEach((s, i) =>
      add(`spec.template.spec.sources[${i}].repoURL`, valueAt(s, ['repoURL'])),
    );
    arrayAt(object, ['spec', 'generators']).forEach((g, i) => {
      add(`spec.generators[${i}].git.repoURL`, valueAt(g, ['git', 'repoURL']));
      for (const [name, nested] of Object.entries((g ?? {}) as Record<string, unknown>)) {
        arrayAt(nested, ['generators']).forEach((child, j) =>
          add(`spec.generators[${i}].${name}.generators[${j}].git.repoURL`, valueAt(child, ['git', 'repoURL'])),
        );
      }
    });
  } else {
    add('spec.url', valueAt(object, ['spec', 'url']));
  }
  return out;
}

/**
 * Allowed repositories (seed `GitOpsResourcePolicy.allowedRepositories`): Argo CD
 * Applications and ApplicationSets (sources, multi-sources, hydrator dry source,
 * git generators) and Flux GitRepository, HelmRepository and OCIRepository URLs
 * start with one of the allowed prefixes.
 */
export function allowedRepositoriesPolicy(prefixes: readonly string[]): Policy {
  const list = prefixes.join(', ');
  return new Policy({
    id: 'allowed-repositories',
    constraintKind: 'GitOpsAllowedRepositories',
    title: 'GitOps sources only from allowed repositories',
    description:
      'Argo CD Applications and ApplicationSets and Flux GitRepositories, HelmRepositories and OCIRepositories only pull from repositories under the allowed prefixes.',
    kinds: REPOSITORY_SOURCE_KINDS,
    parameterSchema: {
      allowedPrefixes: {
        type: 'array',
        description: 'URL prefixes (ending in "/") every source repository must start with.',
        items: { type: 'string', pattern: '^(https|oci)://[^/@?#]+/([^?#]*/)?$' },
        minItems: 1,
      },
    },
    parameters: { allowedPrefixes: [...prefixes] },
    rules: [RULE],
    evaluate: (object: ManifestObject): PolicyFinding[] =>
      repositorySourcesOf(object)
        .filter((s) => !prefixes.some((p) => s.url.startsWith(p)))
        .map((s) => ({
          rule: RULE,
          detail: `repository "${s.url}" (${s.field}) ${RULE}`,
          fix: `use a repository under one of ${list} (EnvironmentConfig.security.allowedRepositories); template expressions are not allowed in repository URLs`,
        })),
    rego: `
violation[{"msg": msg}] {
  not exempt
  source := repository_sources[_]
  not allowed(source.url)
  msg := sprintf("%v: repository %v (%v) ${RULE}. Fix: use a repository under one of %v.", [object_ref, source.url, source.field, concat(", ", input.parameters.allowedPrefixes)])
}

allowed(url) {
  prefix := input.parameters.allowedPrefixes[_]
  startswith(url, prefix)
}

repository_sources[{"field": "spec.source.repoURL", "url": url}] {
  input.review.object.kind == "Application"
  url := input.review.object.spec.source.repoURL
}

repository_sources[{"field": "spec.sources[].repoURL", "url": url}] {
  input.review.object.kind == "Application"
  url := input.review.object.spec.sources[_].repoURL
}

repository_sources[{"field": "spec.sourceHydrator.drySource.repoURL", "url": url}] {
  input.review.object.kind == "Application"
  url := input.review.object.spec.sourceHydrator.drySource.repoURL
}

repository_sources[{"field": "spec.template.spec.source.repoURL", "url": url}] {
  input.review.object.kind == "ApplicationSet"
  url := input.review.object.spec.template.spec.source.repoURL
}

repository_sources[{"field": "spec.template.spec.sources[].repoURL", "url": url}] {
  input.review.object.kind == "ApplicationSet"
  url := input.review.object.spec.template.spec.sources[_].repoURL
}

repository_sources[{"field": "spec.generators[].git.repoURL", "url": url}] {
  input.review.object.kind == "ApplicationSet"
  url := input.review.object.spec.generators[_].git.repoURL
}

repository_sources[{"field": "spec.generators[].*.generators[].git.repoURL", "url": url}] {
  input.review.object.kind == "ApplicationSet"
  url := input.review.object.spec.generators[_][_].generators[_].git.repoURL
}

repository_sources[{"field": "spec.url", "url": url}] {
  flux_source_kinds[input.review.object.kind]
  url := input.review.object.spec.url
}

flux_source_kinds := {"GitRepository", "HelmRepository", "OCIRepository"}
`,
  });
}
