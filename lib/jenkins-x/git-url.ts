import { ConfigError } from '../platform/errors';

/** The kinds of Git server Jenkins X knows (`gitKind` in jx-requirements.yml, `providerKind` in SourceRepository). */
export type GitKind = 'github' | 'gitlab' | 'bitbucketserver' | 'bitbucketcloud' | 'gitea';

const HTTPS = /^https:\/\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?)\/(.+)$/i;
const SCP = /^git@([a-z0-9]([-a-z0-9.]*[a-z0-9])?):(.+)$/i;
const SSH = /^ssh:\/\/git@([a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]+)?)\/(.+)$/i;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * A Git repository URL, parsed once: the server, the owner (an organisation,
 * user or GitLab group path) and the repository. Accepts
 * `https://host/owner/repo(.git)`, `ssh://git@host/owner/repo.git` and
 * `git@host:owner/repo.git`; rejects plain http, URLs with credentials and
 * anything without an owner and a repository.
 */
export class GitUrl {
  /**
   * Parses `url`; a bad value throws a {@link ConfigError} at `where`/`field`.
   * @param httpsOnly also reject ssh forms (the git operator and Lighthouse clone over https with the bot token)
   */
  public static parse(url: unknown, where: string, field: string, httpsOnly = false): GitUrl {
    const example = '"https://github.com/<owner>/<repository>.git"';
    if (typeof url !== 'string' || url.trim() === '') {
      throw new ConfigError(where, field, url, `Give a Git repository URL such as ${example}.`);
    }
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(url) && !url.startsWith('ssh://git@')) {
      throw new ConfigError(
        where,
        field,
        redact(url),
        `Remove the credentials from the URL; the bot user and token come from sensitive Terraform variables. Use a URL such as ${example}.`,
      );
    }
    const match = HTTPS.exec(url) ?? (httpsOnly ? null : SSH.exec(url) ?? SCP.exec(url));
    const path = match ? (HTTPS.test(url) || SSH.test(url) ? match[4] : match[3]) : undefined;
    const segments = path?.replace(/\/+$/, '').replace(/\.git$/, '').split('/') ?? [];
    if (!match || segments.length < 2 || !segments.every((s) => SEGMENT.test(s))) {
      const forms = httpsOnly ? 'an https Git repository URL' : 'a Git repository URL (https://, ssh://git@ or git@host:)';
      throw new ConfigError(where, field, url, `Use ${forms} with an owner and a repository, such as ${example}.`);
    }
    const host = match[1].toLowerCase();
    return new GitUrl(url, host, segments.slice(0, -1).join('/'), segments[segments.length - 1]);
  }

  /** The URL as given. */
  public readonly url: string;
  /** Host (and port) of the Git server, lowercase. */
  public readonly host: string;
  /** The owner: organisation, user, or GitLab group path. */
  public readonly owner: string;
  /** The repository name, without `.git`. */
  public readonly repository: string;

  private constructor(url: string, host: string, owner: string, repository: string) {
    this.url = url;
    this.host = host;
    this.owner = owner;
    this.repository = repository;
  }

  /** The server URL (`https://github.com`). */
  public get server(): string {
    return `https://${this.host}`;
  }

  /** The https clone URL (`https://github.com/<owner>/<repository>.git`). */
  public get httpsCloneUrl(): string {
    return `${this.server}/${this.owner}/${this.repository}.git`;
  }

  /** The project's web page (`https://github.com/<owner>/<repository>`). */
  public get webUrl(): string {
    return `${this.server}/${this.owner}/${this.repository}`;
  }

  /** The kind of Git server, from the host name (GitHub Enterprise hosts count as `github`). */
  public get kind(): GitKind {
    if (this.host === 'bitbucket.org') return 'bitbucketcloud';
    if (this.host.includes('bitbucket')) return 'bitbucketserver';
    if (this.host.includes('gitlab')) return 'gitlab';
    if (this.host.includes('gitea')) return 'gitea';
    return 'github';
  }

  /** A logical name of the server without scheme, used in label selectors (`github`, `gitlab`). */
  public get providerName(): string {
    return this.kind === 'github' && this.host !== 'github.com' ? 'ghe' : this.kind;
  }

  /** Another repository of the same owner on the same server. */
  public sibling(repository: string): GitUrl {
    return new GitUrl(`${this.server}/${this.owner}/${repository}.git`, this.host, this.owner, repository);
  }

  /** Whether two URLs name the same repository (scheme and `.git` ignored). */
  public sameRepository(other: GitUrl): boolean {
    return this.host === other.host && this.owner === other.owner && this.repository === other.repository;
  }
}

function redact(url: string): string {
  return url.replace(/:\/\/[^/@]*@/, '://***@');
}
