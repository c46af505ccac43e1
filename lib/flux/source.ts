import { ConfigError } from '../platform/errors';
import { checkGitRefName, checkName, checkNamespace } from './validation';
import { semverRangeProblem } from './semver';

/** The source kinds Flux consumers reference. */
export type FluxSourceKind = 'GitRepository' | 'OCIRepository' | 'Bucket' | 'HelmRepository';


/**
 * A Flux source: a GitRepository, OCIRepository, Bucket or HelmRepository
 * construct, or a reference to one created elsewhere ({@link FluxSourceReference}).
 */
export interface IFluxSource {
  /** The source kind. */
  readonly sourceKind: FluxSourceKind;
  /** The source object's name. */
  readonly name: string;
  /** The source object's namespace. */
  readonly namespace: string;
}

/** A reference to a source object that is not built by these constructs. */
export class FluxSourceReference implements IFluxSource {
  /** A GitRepository created elsewhere. */
  public static gitRepository(name: string, namespace: string): FluxSourceReference {
    return new FluxSourceReference('GitRepository', name, namespace);
  }

  /** An OCIRepository created elsewhere. */
  public static ociRepository(name: string, namespace: string): FluxSourceReference {
    return new FluxSourceReference('OCIRepository', name, namespace);
  }

  /** A Bucket created elsewhere. */
  public static bucket(name: string, namespace: string): FluxSourceReference {
    return new FluxSourceReference('Bucket', name, namespace);
  }

  /** A HelmRepository created elsewhere. */
  public static helmRepository(name: string, namespace: string): FluxSourceReference {
    return new FluxSourceReference('HelmRepository', name, namespace);
  }

  private constructor(
    public readonly sourceKind: FluxSourceKind,
    public readonly name: string,
    public readonly namespace: string,
  ) {
    checkName(`FluxSourceReference ${sourceKind}`, 'name', name);
    checkNamespace(`FluxSourceReference ${sourceKind}`, 'namespace', namespace);
  }
}

/** The JSON of a GitRepository / ImageUpdateAutomation checkout `ref`. */
export interface GitRefJson {
  readonly branch?: string;
  readonly tag?: string;
  readonly semver?: string;
  readonly commit?: string;
  readonly name?: string;
}

/**
 * Which revision of a Git repository Flux checks out: a branch, a tag, the
 * newest tag in a SemVer range, an exact commit, or a full reference name.
 */
export class GitRef {
  /** Follow the head of a branch. */
  public static branch(branch: string): GitRef {
    return new GitRef({ branch: checkGitRefName('GitRef', 'branch', branch) }, `branch ${branch}`);
  }

  /** Check out a fixed tag. */
  public static tag(tag: string): GitRef {
    return new GitRef({ tag: checkGitRefName('GitRef', 'tag', tag) }, `tag ${tag}`);
  }

  /** Check out the newest tag that satisfies a SemVer range (`>=1.0.0 <2.0.0`). */
  public static semver(range: string): GitRef {
    const problem = semverRangeProblem(range);
    if (problem !== undefined) {
      throw new ConfigError('GitRef', 'semver', range, `It does not parse (${problem}); use a range such as ">=1.0.0 <2.0.0" or "~1.4".`);
    }
    return new GitRef({ semver: range }, `semver ${range}`);
  }

  /**
   * Check out one commit (a full 40 or 64 character hash). With `branch`, the
   * commit must be on that branch.
   */
  public static commit(sha: string, branch?: string): GitRef {
    if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) {
      throw new ConfigError('GitRef', 'commit', sha, 'Use a full lowercase commit hash (40 hex characters for SHA-1, 64 for SHA-256).');
    }
    return new GitRef(
      { ...(branch !== undefined ? { branch: checkGitRefName('GitRef', 'branch', branch) } : {}), commit: sha },
      `commit ${sha}`,
    );
  }

  /** Check out a full reference name (`refs/heads/main`, `refs/pull/42/head`). */
  public static refName(name: string): GitRef {
    if (!/^refs\/[A-Za-z0-9._/-]+$/.test(name) || name.includes('..') || name.endsWith('/')) {
      throw new ConfigError('GitRef', 'name', name, 'Use a full reference such as "refs/heads/main" or "refs/tags/v1.0.0".');
    }
    return new GitRef({ name }, `ref ${name}`);
  }

  /**
   * The ref an environment's `gitops.revision` describes: a full commit hash
   * is a commit, `refs/...` a reference name, `v1.2.3` / `1.2.3` a tag, and
   * anything else a branch (`develop`, `staging`, `main`).
   */
  public static fromRevision(revision: string): GitRef {
    if (/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(revision)) return GitRef.commit(revision);
    if (revision.startsWith('refs/')) return GitRef.refName(revision);
    if (/^v?[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$/.test(revision)) return GitRef.tag(revision);
    return GitRef.branch(revision);
  }

  private constructor(
    private readonly json: GitRefJson,
    /** A short description (`branch main`), for outputs and messages. */
    public readonly description: string,
  ) {}

  /** The branch this ref follows, if it is a branch (or a commit on a branch). */
  public get branchName(): string | undefined {
    return this.json.branch;
  }

  /** The revision this ref tracks, as one string (branch, tag, range, commit or name). */
  public get revision(): string {
    return this.json.commit ?? this.json.tag ?? this.json.semver ?? this.json.name ?? this.json.branch ?? '';
  }

  /** The `ref` object. */
  public toJson(): GitRefJson {
    return { ...this.json };
  }
}
