import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import {
  ImageUpdateAutomation as ImageUpdateAutomationResource,
  ImageUpdateAutomationSpecGitCommitSigningKeyType,
  ImageUpdateAutomationSpecSourceRefKind,
  ImageUpdateAutomationSpecUpdateStrategy,
} from '../imports/flux-image';
import { GitRepository } from './git-repository';
import { fluxIdentity, FluxObjectOptions } from './metadata';
import { GitRef, IFluxSource } from './source';
import { checkArtifactPath, checkDuration, checkGitRefName, checkLabels, checkSecretName, nonEmptyRecord } from './validation';
import { checkProps } from '../platform/config-boundary/props';

/** The commit image-automation-controller writes. */
export interface ImageUpdateCommit {
  /** The commit author's name. */
  readonly authorName: string;
  /** The commit author's email. */
  readonly authorEmail: string;
  /**
   * A Go template for the message; the changes are in `.Changed`
   * (`.Updated` was removed in `image.toolkit.fluxcd.io/v1`).
   * @default - the controller's default message
   */
  readonly messageTemplate?: string;
  /**
   * Extra values for the template, as `.Values`.
   * @default {}
   */
  readonly messageTemplateValues?: Readonly<Record<string, string>>;
  /**
   * Sign commits with the key of this Secret (`git.asc` for GPG, `identity` for SSH).
   * @default - unsigned commits
   */
  readonly signingKey?: { readonly secretRef: string; readonly type?: 'gpg' | 'ssh' };
}

/** Where the commit is pushed. */
export interface ImageUpdatePush {
  /**
   * The branch to push to; a branch other than the checkout branch is created
   * from it (open a pull request from there).
   * @default - the checkout branch
   */
  readonly branch?: string;
  /**
   * A refspec to push instead of / in addition to the branch (`refs/heads/main:refs/heads/auto`).
   * @default - none
   */
  readonly refspec?: string;
}

/** Options for {@link ImageUpdateAutomation}. */
export interface ImageUpdateAutomationProps extends FluxObjectOptions {
  /** The GitRepository to check out, update and push to (same namespace under multi-tenancy lockdown). */
  readonly source: IFluxSource;
  /**
   * How often the automation runs.
   * @default '30m'
   */
  readonly interval?: string;
  /**
   * The branch (or tag, commit) to check out.
   * @default - the GitRepository's ref
   */
  readonly checkout?: GitRef;
  /** The commit to write. */
  readonly commit: ImageUpdateCommit;
  /**
   * Where to push.
   * @default - the checkout branch
   */
  readonly push?: ImageUpdatePush;
  /** The directory (in the repository) whose files carry setter markers. */
  readonly updatePath: string;
  /**
   * Only ImagePolicies with these labels are applied.
   * @default - every ImagePolicy in the namespace
   */
  readonly policySelector?: Readonly<Record<string, string>>;
  /**
   * Stop running.
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Flux ImageUpdateAutomation (`image.toolkit.fluxcd.io/v1`): writes the
 * latest images chosen by ImagePolicies into the files under `updatePath`
 * (at their setter markers) and pushes a commit.
 */
export class ImageUpdateAutomation extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  public readonly name: string;
  public readonly namespace: string;
  /** The checked-out ref, if set. */
  public readonly checkout?: GitRef;
  /** The branch pushed to. */
  public readonly pushBranch?: string;
  /** The updated path. */
  public readonly updatePath: string;
  /** The run interval. */
  public readonly interval: string;

  constructor(scope: Construct, id: string, props: ImageUpdateAutomationProps) {
    super(scope, id);
    checkProps(this, 'ImageUpdateAutomationProps', props);
    const where = this.node.path;
    const identity = fluxIdentity(this, props);
    this.name = identity.name;
    this.namespace = identity.namespace;
    if (props.source.sourceKind !== 'GitRepository') {
      throw new ConfigError(where, 'source', `${props.source.sourceKind}/${props.source.name}`, 'Image automation commits to Git: use a GitRepository.');
    }
    this.interval = checkDuration(where, 'interval', props.interval ?? '30m');
    this.updatePath = checkArtifactPath(where, 'updatePath', props.updatePath);
    this.checkout = props.checkout ?? (props.source instanceof GitRepository ? props.source.ref : undefined);
    this.pushBranch = props.push?.branch ?? this.checkout?.branchName;
    if (props.push?.branch !== undefined) checkGitRefName(where, 'push.branch', props.push.branch);
    if (this.pushBranch === undefined && props.push?.refspec === undefined) {
      throw new ConfigError(where, 'push', props.push, 'Nothing to push to: check out a branch or give push.branch (or push.refspec).');
    }
    checkCommit(where, props.commit);
    checkLabels(where, 'policySelector', props.policySelector);

    this.resource = new ImageUpdateAutomationResource(this, 'Resource', {
      metadata: identity.metadata,
      spec: {
        interval: this.interval,
        sourceRef: {
          kind: ImageUpdateAutomationSpecSourceRefKind.GIT_REPOSITORY,
          name: props.source.name,
          namespace: props.source.namespace !== this.namespace ? props.source.namespace : undefined,
        },
        git: {
          checkout: props.checkout ? { ref: props.checkout.toJson() } : undefined,
          commit: {
            author: { name: props.commit.authorName, email: props.commit.authorEmail },
            messageTemplate: props.commit.messageTemplate,
            messageTemplateValues: nonEmptyRecord(props.commit.messageTemplateValues),
            signingKey: props.commit.signingKey
              ? {
                  secretRef: { name: checkSecretName(where, 'commit.signingKey.secretRef', props.commit.signingKey.secretRef) },
                  type: props.commit.signingKey.type as ImageUpdateAutomationSpecGitCommitSigningKeyType | undefined,
                }
              : undefined,
          },
          push: props.push ? { branch: props.push.branch, refspec: props.push.refspec } : undefined,
        },
        update: { path: this.updatePath, strategy: ImageUpdateAutomationSpecUpdateStrategy.SETTERS },
        policySelector: props.policySelector ? { matchLabels: { ...props.policySelector } } : undefined,
        suspend: props.suspend,
      },
    });
  }
}

function checkCommit(where: string, commit: ImageUpdateCommit): void {
  if (typeof commit.authorName !== 'string' || commit.authorName.trim() === '') {
    throw new ConfigError(where, 'commit.authorName', commit.authorName, 'Give the name commits are authored with, such as "fluxcdbot".');
  }
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(commit.authorEmail)) {
    throw new ConfigError(where, 'commit.authorEmail', commit.authorEmail, 'Give the e-mail address of the commit author (name@host).');
  }
  const template = commit.messageTemplate;
  if (template === undefined) return;
  if (/\.Updated\b/.test(template)) {
    throw new ConfigError(
      where,
      'commit.messageTemplate',
      template,
      'The .Updated template data was removed in image.toolkit.fluxcd.io/v1 (the automation stalls); use .Changed, e.g. "{{range .Changed.Changes}}{{println .NewValue}}{{end}}".',
    );
  }
  const opens = template.split('{{').length - 1;
  const closes = template.split('}}').length - 1;
  if (opens !== closes) {
    throw new ConfigError(where, 'commit.messageTemplate', template, 'The template has unbalanced "{{" and "}}".');
  }
}
