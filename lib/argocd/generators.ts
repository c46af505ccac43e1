import { ConfigError } from '../platform/errors';
import type { ApplicationSetSpecGenerators } from '../imports/argoproj.io-argocd';

/** A label selector: labels that must match, and set-based expressions. */
export interface LabelSelector {
  /** Labels that must all match. @default {} */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** Set-based requirements. @default [] */
  readonly matchExpressions?: ReadonlyArray<{
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }>;
}

/** Options for {@link ApplicationSetGenerator.list}. */
export interface ListGeneratorOptions {
  /** Extra parameters added to every element, as `values.<key>`. @default {} */
  readonly values?: Readonly<Record<string, string>>;
}

/** A Git directory the directory generator matches (a glob), or excludes. */
export interface GitDirectory {
  /** Path glob (`addons/*`). */
  readonly path: string;
  /** Exclude the matched directories instead. @default false */
  readonly exclude?: boolean;
}

/** Options for {@link ApplicationSetGenerator.gitDirectories}. */
export interface GitDirectoriesGeneratorOptions {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** The directories (globs). */
  readonly directories: ReadonlyArray<string | GitDirectory>;
  /** Prefix the path parameters (`<prefix>.path`). @default - no prefix */
  readonly pathParamPrefix?: string;
  /** Extra parameters, as `values.<key>`. @default {} */
  readonly values?: Readonly<Record<string, string>>;
}

/** Options for {@link ApplicationSetGenerator.gitFiles}. */
export interface GitFilesGeneratorOptions {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** File globs (`clusters/*\/config.json`). */
  readonly files: readonly string[];
  /**
   * The parameters every matched file provides, flattened with dots
   * (`cluster.name` for `{"cluster": {"name": ...}}`). The files live in Git,
   * so they are declared here; templates are checked against them.
   */
  readonly fileParameters: readonly string[];
  /** Prefix the path parameters (`<prefix>.path`). @default - no prefix */
  readonly pathParamPrefix?: string;
  /** Extra parameters, as `values.<key>`. @default {} */
  readonly values?: Readonly<Record<string, string>>;
}

/** Options for {@link ApplicationSetGenerator.clusters}. */
export interface ClustersGeneratorOptions {
  /** Only clusters whose registration Secrets match. @default - every registered cluster (and in-cluster) */
  readonly selector?: LabelSelector;
  /** Extra parameters, as `values.<key>`. @default {} */
  readonly values?: Readonly<Record<string, string>>;
}

const PARAM_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * A generator of an ApplicationSet: it produces parameter sets, and the
 * template is rendered once per set. Each generator knows the parameters it
 * provides, so a template that uses any other parameter is rejected.
 */
export class ApplicationSetGenerator {
  /** One parameter set per element. */
  public static list(elements: ReadonlyArray<Readonly<Record<string, string>>>, options: ListGeneratorOptions = {}): ApplicationSetGenerator {
    if (elements.length === 0) {
      throw new ConfigError('ApplicationSetGenerator', 'list.elements', [], 'Give at least one element.');
    }
    for (const element of elements) {
      for (const key of Object.keys(element)) {
        if (!PARAM_KEY.test(key)) {
          throw new ConfigError('ApplicationSetGenerator', 'list.elements', key, 'Use parameter names of letters, digits, "_", "-" and ".".');
        }
      }
    }
    // Only keys present in every element are safe to use in the template.
    const keys = Object.keys(elements[0]).filter((k) => elements.every((e) => k in e));
    const provided = [...keys, ...valueParams(options.values)];
    return new ApplicationSetGenerator('list', provided, [], {
      list: { elements: elements.map((e) => ({ ...e })), ...valuesField(options.values) },
    });
  }

  /** One parameter set per matching Git directory (`path`, `path.basename`, `path[n]` ...). */
  public static gitDirectories(options: GitDirectoriesGeneratorOptions): ApplicationSetGenerator {
    if (options.directories.length === 0) {
      throw new ConfigError('ApplicationSetGenerator', 'gitDirectories.directories', [], 'Give at least one directory glob, such as "apps/*".');
    }
    const directories = options.directories.map((d) => (typeof d === 'string' ? { path: d } : { ...d }));
    if (directories.every((d) => d.exclude)) {
      throw new ConfigError('ApplicationSetGenerator', 'gitDirectories.directories', directories, 'Include at least one directory; excludes only narrow the includes.');
    }
    const prefix = pathPrefix(options.pathParamPrefix);
    return new ApplicationSetGenerator(
      'git directories',
      [`${prefix}path`, `${prefix}path.basename`, `${prefix}path.basenameNormalized`, ...valueParams(options.values)],
      [new RegExp(`^${escape(prefix)}path\\[\\d+\\]$`)],
      {
        git: {
          repoUrl: options.repoUrl,
          revision: options.revision,
          directories,
          ...(options.pathParamPrefix !== undefined ? { pathParamPrefix: options.pathParamPrefix } : {}),
          ...valuesField(options.values),
        },
      },
    );
  }

  /** One parameter set per matching JSON/YAML file in Git: its (flattened) keys and `path`. */
  public static gitFiles(options: GitFilesGeneratorOptions): ApplicationSetGenerator {
    if (options.files.length === 0) {
      throw new ConfigError('ApplicationSetGenerator', 'gitFiles.files', [], 'Give at least one file glob, such as "clusters/*/config.json".');
    }
    for (const p of options.fileParameters) {
      if (!PARAM_KEY.test(p)) {
        throw new ConfigError('ApplicationSetGenerator', 'gitFiles.fileParameters', p, 'Use dotted key paths such as "cluster.name".');
      }
    }
    const prefix = pathPrefix(options.pathParamPrefix);
    return new ApplicationSetGenerator(
      'git files',
      [
        ...options.fileParameters,
        `${prefix}path`,
        `${prefix}path.basename`,
        `${prefix}path.basenameNormalized`,
        `${prefix}path.filename`,
        `${prefix}path.filenameNormalized`,
        ...valueParams(options.values),
      ],
      [new RegExp(`^${escape(prefix)}path\\[\\d+\\]$`)],
      {
        git: {
          repoUrl: options.repoUrl,
          revision: options.revision,
          files: options.files.map((path) => ({ path })),
          ...(options.pathParamPrefix !== undefined ? { pathParamPrefix: options.pathParamPrefix } : {}),
          ...valuesField(options.values),
        },
      },
    );
  }

  /** One parameter set per registered cluster whose Secret matches the selector (`name`, `server` ...). */
  public static clusters(options: ClustersGeneratorOptions = {}): ApplicationSetGenerator {
    const selector = options.selector;
    return new ApplicationSetGenerator(
      'clusters',
      ['name', 'nameNormalized', 'server', 'project', ...valueParams(options.values)],
      [/^metadata\.labels\.[A-Za-z0-9./_-]+$/, /^metadata\.annotations\.[A-Za-z0-9./_-]+$/],
      {
        clusters: {
          ...(selector
            ? {
                selector: {
                  ...(selector.matchLabels ? { matchLabels: { ...selector.matchLabels } } : {}),
                  ...(selector.matchExpressions
                    ? {
                        matchExpressions: selector.matchExpressions.map((e) => ({
                          key: e.key,
                          operator: e.operator,
                          ...(e.values ? { values: [...e.values] } : {}),
                        })),
                      }
                    : {}),
                },
              }
            : {}),
          ...valuesField(options.values),
        },
      },
    );
  }

  private constructor(
    /** What kind of generator this is, for messages (`list`, `git directories` ...). */
    public readonly kind: string,
    /** Parameter names the generator provides. */
    public readonly parameters: readonly string[],
    private readonly patterns: readonly RegExp[],
    private readonly spec: ApplicationSetSpecGenerators,
  ) {}

  /** Whether the generator provides a parameter. */
  public provides(parameter: string): boolean {
    return this.parameters.includes(parameter) || this.patterns.some((p) => p.test(parameter));
  }

  /** The generator as the generated ApplicationSet type expects it. */
  public toSpec(): ApplicationSetSpecGenerators {
    return this.spec;
  }
}

function valueParams(values: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(values ?? {}).map((k) => `values.${k}`);
}

function valuesField(values: Readonly<Record<string, string>> | undefined): { values?: Record<string, string> } {
  return values && Object.keys(values).length > 0 ? { values: { ...values } } : {};
}

function pathPrefix(prefix: string | undefined): string {
  if (prefix === undefined) return '';
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix)) {
    throw new ConfigError('ApplicationSetGenerator', 'pathParamPrefix', prefix, 'Use a short identifier such as "app".');
  }
  return `${prefix}.`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
