import { ConfigError } from '../platform/errors';
import { toYaml } from '../platform/yaml';
import type { ApplicationSpecSource } from '../imports/argoproj.io-argocd';

/** A Helm parameter (`--set name=value`). */
export interface HelmParameter {
  /** The dotted value path (`service.type`). */
  readonly name: string;
  /** The value, always a string in the manifest (`"3"`). */
  readonly value: string;
  /** Pass the value as a string even if it looks like a number or boolean. @default false */
  readonly forceString?: boolean;
}

/** How Argo CD renders a Helm chart. */
export interface HelmOptions {
  /** Helm release name. @default - the Application name */
  readonly releaseName?: string;
  /** Value files, relative to the chart (or `$ref/...` with multiple sources). @default [] */
  readonly valueFiles?: readonly string[];
  /** Parameters, in order. @default [] */
  readonly parameters?: readonly HelmParameter[];
  /** Inline values, written as a YAML string (`helm.values`). @default - none */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Do not fail when a value file is missing. @default false */
  readonly ignoreMissingValueFiles?: boolean;
}

/** How Argo CD renders a Kustomize directory. */
export interface KustomizeOptions {
  /** Image overrides (`myapp:v1.2.3`, `myapp=registry/myapp:v1.2.3`). @default [] */
  readonly images?: readonly string[];
  /** Prefix for every resource name. @default - none */
  readonly namePrefix?: string;
  /** Suffix for every resource name. @default - none */
  readonly nameSuffix?: string;
  /** Labels added to every resource (and selector). @default {} */
  readonly commonLabels?: Readonly<Record<string, string>>;
  /** Annotations added to every resource. @default {} */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  /** Namespace set on every resource. @default - none */
  readonly namespace?: string;
}

/** A directory of plain manifests (or a kustomization) in Git. */
export interface GitSourceProps {
  /** Repository URL (https, ssh, or an ApplicationSet parameter such as `{{url}}`). */
  readonly repoUrl: string;
  /** Path inside the repository. */
  readonly path: string;
  /** Branch, tag or commit. @default - not written (Argo CD: HEAD) */
  readonly targetRevision?: string;
  /** Recurse into sub-directories of a plain directory source. @default false */
  readonly recurse?: boolean;
  /** Glob of files to include. @default - all */
  readonly include?: string;
  /** Glob of files to exclude. @default - none */
  readonly exclude?: string;
  /** Name this source so other sources can reference its files (`$<ref>/...`). @default - none */
  readonly ref?: string;
}

/** A Helm chart stored in a Git directory, rendered with Helm options. */
export interface GitHelmSourceProps {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Path of the chart inside the repository. */
  readonly path: string;
  /** Branch, tag or commit. @default - not written (Argo CD: HEAD) */
  readonly targetRevision?: string;
  /** Helm options. @default {} */
  readonly helm?: HelmOptions;
}

/** A chart from a Helm repository (https or OCI). */
export interface HelmChartSourceProps {
  /** Helm repository URL (`https://charts.bitnami.com/bitnami`). */
  readonly repoUrl: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** Helm options. @default {} */
  readonly helm?: HelmOptions;
}

/** A Kustomize directory in Git, with Argo CD's Kustomize overrides. */
export interface KustomizeSourceProps {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Path of the kustomization inside the repository. */
  readonly path: string;
  /** Branch, tag or commit. @default - not written (Argo CD: HEAD) */
  readonly targetRevision?: string;
  /** Kustomize overrides. @default {} */
  readonly kustomize?: KustomizeOptions;
}

/** A repository that only provides files to other sources (`$values/...`). */
export interface RefSourceProps {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Branch, tag or commit. @default - not written (Argo CD: HEAD) */
  readonly targetRevision?: string;
  /** The reference name used as `$<ref>/path` in value files. */
  readonly ref: string;
}

const REPO_URL = /^(https:\/\/[^\s/]+\/?\S*|ssh:\/\/\S+|git@[^\s:]+:\S+|oci:\/\/\S+)$/;
const REF = /^[a-zA-Z][a-zA-Z0-9_-]*$/;

/**
 * Where an Application's manifests come from: a Git directory, a Helm chart
 * (from Git or a Helm repository), a Kustomize directory, or a reference
 * repository whose files other sources use. Build one with a static factory.
 */
export class ApplicationSource {
  /** A directory of plain manifests (or a kustomization) in Git. */
  public static git(props: GitSourceProps): ApplicationSource {
    checkRepoUrl(props.repoUrl);
    checkPath(props.path);
    if (props.ref !== undefined) checkRef(props.ref);
    const directory =
      props.recurse || props.include !== undefined || props.exclude !== undefined
        ? {
            ...(props.recurse ? { recurse: true } : {}),
            ...(props.include !== undefined ? { include: props.include } : {}),
            ...(props.exclude !== undefined ? { exclude: props.exclude } : {}),
          }
        : undefined;
    return new ApplicationSource('git', props.repoUrl, {
      repoUrl: props.repoUrl,
      path: props.path,
      targetRevision: props.targetRevision,
      directory,
      ref: props.ref,
    });
  }

  /** A Helm chart kept in a Git directory. */
  public static gitHelm(props: GitHelmSourceProps): ApplicationSource {
    checkRepoUrl(props.repoUrl);
    checkPath(props.path);
    return new ApplicationSource('helm', props.repoUrl, {
      repoUrl: props.repoUrl,
      path: props.path,
      targetRevision: props.targetRevision,
      helm: renderHelm(props.helm),
    });
  }

  /** A chart from a Helm repository, pinned to a version. */
  public static helmChart(props: HelmChartSourceProps): ApplicationSource {
    checkRepoUrl(props.repoUrl);
    if (!/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(props.chart)) {
      throw new ConfigError('ApplicationSource', 'chart', props.chart, 'Use the chart name as published in the repository, such as "nginx".');
    }
    if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(props.version)) {
      throw new ConfigError('ApplicationSource', 'version', props.version, 'Pin an exact chart version such as "15.0.0" (no ranges).');
    }
    return new ApplicationSource('helm', props.repoUrl, {
      repoUrl: props.repoUrl,
      chart: props.chart,
      targetRevision: props.version,
      helm: renderHelm(props.helm),
    });
  }

  /** A Kustomize directory in Git with image, name prefix and label overrides. */
  public static kustomize(props: KustomizeSourceProps): ApplicationSource {
    checkRepoUrl(props.repoUrl);
    checkPath(props.path);
    const k = props.kustomize ?? {};
    for (const image of k.images ?? []) {
      if (!/^\S+(:[^:/@\s]+|@sha256:[0-9a-f]{64})$/.test(image) || /:latest$/.test(image)) {
        throw new ConfigError('ApplicationSource', 'kustomize.images', image, 'Use "name:tag" or "name=newName:tag" with an explicit tag (not latest).');
      }
    }
    const kustomize = {
      ...(k.images && k.images.length > 0 ? { images: [...k.images] } : {}),
      ...(k.namePrefix !== undefined ? { namePrefix: k.namePrefix } : {}),
      ...(k.nameSuffix !== undefined ? { nameSuffix: k.nameSuffix } : {}),
      ...(k.commonLabels && Object.keys(k.commonLabels).length > 0 ? { commonLabels: { ...k.commonLabels } } : {}),
      ...(k.commonAnnotations && Object.keys(k.commonAnnotations).length > 0 ? { commonAnnotations: { ...k.commonAnnotations } } : {}),
      ...(k.namespace !== undefined ? { namespace: k.namespace } : {}),
    };
    return new ApplicationSource('kustomize', props.repoUrl, {
      repoUrl: props.repoUrl,
      path: props.path,
      targetRevision: props.targetRevision,
      kustomize: Object.keys(kustomize).length > 0 ? kustomize : undefined,
    });
  }

  /** A repository that provides value files to the other sources of a multi-source Application. */
  public static ref(props: RefSourceProps): ApplicationSource {
    checkRepoUrl(props.repoUrl);
    checkRef(props.ref);
    return new ApplicationSource('ref', props.repoUrl, {
      repoUrl: props.repoUrl,
      targetRevision: props.targetRevision,
      ref: props.ref,
    });
  }

  private constructor(
    /** The kind of source: `git`, `helm`, `kustomize` or `ref`. */
    public readonly kind: 'git' | 'helm' | 'kustomize' | 'ref',
    /** The repository URL. */
    public readonly repoUrl: string,
    private readonly spec: ApplicationSpecSource,
  ) {}

  /** The `ref` name of this source, if any. */
  public get refName(): string | undefined {
    return this.spec.ref;
  }

  /** Value files that point into another source (`$values/...`), by ref name. */
  public get referencedRefs(): string[] {
    return (this.spec.helm?.valueFiles ?? [])
      .filter((f) => f.startsWith('$'))
      .map((f) => f.slice(1).split('/')[0]);
  }

  /** The source as the generated Application type expects it (undefined fields dropped). */
  public toSpec(): ApplicationSpecSource {
    return dropUndefined(this.spec);
  }
}

function renderHelm(helm: HelmOptions | undefined): ApplicationSpecSource['helm'] {
  if (!helm) return undefined;
  for (const [i, p] of (helm.parameters ?? []).entries()) {
    if (!/^[^\s,=]+$/.test(p.name)) {
      throw new ConfigError('ApplicationSource', `helm.parameters[${i}].name`, p.name, 'Use a dotted value path such as "service.type".');
    }
  }
  for (const file of helm.valueFiles ?? []) {
    if (file.trim() === '') throw new ConfigError('ApplicationSource', 'helm.valueFiles', file, 'Give each value file as a path.');
  }
  const out = {
    ...(helm.releaseName !== undefined ? { releaseName: helm.releaseName } : {}),
    ...(helm.valueFiles && helm.valueFiles.length > 0 ? { valueFiles: [...helm.valueFiles] } : {}),
    ...(helm.parameters && helm.parameters.length > 0
      ? { parameters: helm.parameters.map((p) => ({ name: p.name, value: p.value, ...(p.forceString ? { forceString: true } : {}) })) }
      : {}),
    ...(helm.values && Object.keys(helm.values).length > 0 ? { values: toYaml(helm.values) } : {}),
    ...(helm.ignoreMissingValueFiles ? { ignoreMissingValueFiles: true } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

function checkRepoUrl(url: string): void {
  if (isTemplated(url)) return;
  if (typeof url !== 'string' || !REPO_URL.test(url)) {
    throw new ConfigError('ApplicationSource', 'repoUrl', url, 'Use an https://, ssh://, git@host:path or oci:// repository URL.');
  }
  if (/^https:\/\/[^/]*@/.test(url)) {
    throw new ConfigError('ApplicationSource', 'repoUrl', url.replace(/\/\/[^/]*@/, '//***@'), 'Remove the credentials from the URL; Argo CD reads them from a repository Secret.');
  }
}

function checkPath(path: string): void {
  if (typeof path !== 'string' || path === '' || path.startsWith('/')) {
    throw new ConfigError('ApplicationSource', 'path', path, 'Use a path relative to the repository root, such as "apps/web".');
  }
}

function checkRef(ref: string): void {
  if (!REF.test(ref)) {
    throw new ConfigError('ApplicationSource', 'ref', ref, 'Use a short name such as "values" (letters, digits, - and _).');
  }
}

/** Whether a string holds an ApplicationSet parameter (`{{...}}`). */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && /\{\{.*\}\}/.test(value);
}

/** Removes keys whose value is undefined, recursively through plain objects. */
export function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => dropUndefined(v)) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = dropUndefined(v);
    }
    return out as T;
  }
  return value;
}
