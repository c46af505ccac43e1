import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GitUrl } from './git-url';
import { SourceRepository as SourceRepositoryResource } from '../imports/jenkins.io';

/** Options for {@link JenkinsXSourceRepository}. */
export interface JenkinsXSourceRepositoryProps {
  /** The repository. */
  readonly repository: GitUrl;
  /**
   * The object name.
   * @default `<owner>-<repository>`, lowercased, other characters replaced by `-` (the `jx project import` naming)
   */
  readonly name?: string;
  /**
   * The namespace (where Jenkins X runs).
   * @default 'jx'
   */
  readonly namespace?: string;
  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Extra labels.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Jenkins X `SourceRepository` (`jenkins.io/v1`): a Git repository
 * Lighthouse handles webhooks for and runs the in-repository
 * `.lighthouse/` pipelines of (what `jx project import` registers).
 */
export class JenkinsXSourceRepository extends Construct {
  /** The `jx project import` name of a repository. */
  public static nameFor(repository: GitUrl): string {
    return `${repository.owner}-${repository.repository}`
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 63)
      .replace(/-$/, '');
  }

  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The object name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: JenkinsXSourceRepositoryProps) {
    super(scope, id);
    const repo = props.repository;
    this.name = props.name ?? JenkinsXSourceRepository.nameFor(repo);
    this.resource = new SourceRepositoryResource(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace ?? 'jx',
        labels: {
          owner: repo.owner.replace(/\//g, '-'),
          repository: repo.repository,
          provider: repo.providerName,
          ...(props.labels ?? {}),
        },
      },
      spec: {
        ...(props.description !== undefined ? { description: props.description } : {}),
        org: repo.owner,
        repo: repo.repository,
        provider: repo.server,
        providerKind: repo.kind,
        providerName: repo.providerName,
        httpCloneUrl: repo.httpsCloneUrl,
        url: repo.webUrl,
      },
    });
  }
}
