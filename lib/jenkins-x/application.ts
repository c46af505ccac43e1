import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { DNS_LABEL } from './internal';
import { Platform } from '../platform/platform';
import { toYaml } from '../platform/yaml';
import { BuildPack } from './build-pack';
import { GitUrl } from './git-url';
import { LighthousePipeline } from './pipeline-run';
import { StepResources, PipelineStep } from './pipeline-step';
import {
  PREVIEW_HELMFILE,
  PREVIEW_VALUES,
  previewHelmfile,
  previewNamespacePattern,
  previewValues,
  ResolvedPreviewSettings,
} from './preview';
import { JenkinsXSourceRepository } from './source-repository';
import { TriggerConfig } from './triggers';

/** The folder of an application repository Lighthouse reads its Jenkins X pipelines from. */
export const LIGHTHOUSE_DIR = '.lighthouse/jenkins-x';

/** An application Jenkins X builds (`jx project quickstart` or `jx project import`). */
export interface JenkinsXApplicationOptions {
  /** The application name (a lowercase DNS label); its folder in the tree. */
  readonly name: string;
  /** The application's Git repository (https, ssh://git@ or git@host:). */
  readonly repository: string;
  /** The build pack its pipelines use. */
  readonly buildPack: BuildPack;
  /**
   * The Jenkins X quickstart the repository was created from (`jx project quickstart`).
   * @default - an imported repository (`jx project import`)
   */
  readonly quickstart?: string;
  /**
   * Deploy a preview environment for every pull request.
   * @default - on when the module's previews are configured
   */
  readonly previews?: boolean;
  /**
   * The branches whose pushes release the application.
   * @default ['main', 'master']
   */
  readonly releaseBranches?: readonly string[];
  /**
   * Steps run after the build pack's steps in the pull request pipeline.
   * @default []
   */
  readonly extraPullRequestSteps?: readonly PipelineStep[];
  /**
   * Requests and limits of every pipeline step.
   * @default - requests of 400m CPU and 600Mi memory, no limits
   */
  readonly pipelineResources?: StepResources;
}

/** Options for {@link JenkinsXApplication}. */
export interface JenkinsXApplicationProps extends JenkinsXApplicationOptions {
  /** The environment's platform. @default - `Platform.of(scope)` */
  readonly platform?: Platform;
  /** The tree chart the `SourceRepository` goes to. */
  readonly chart: Chart;
  /**
   * The namespace of Jenkins X.
   * @default 'jx'
   */
  readonly devNamespace?: string;
  /**
   * The module's preview settings; needed when previews are on.
   * @default - previews off
   */
  readonly previewSettings?: ResolvedPreviewSettings;
  /**
   * Where the repository's files go in the tree.
   * @default `jenkins-x/applications/<name>`
   */
  readonly directory?: string;
}

const BRANCH = /^[A-Za-z0-9._/-]+$/;

/**
 * An application registered with Jenkins X: its `SourceRepository` (so
 * Lighthouse handles the repository's webhooks), and the files of its
 * repository, written to the tree under `jenkins-x/applications/<name>/`:
 * the pull request and release PipelineRuns and the `triggers.yaml` in
 * `.lighthouse/jenkins-x/`, and with previews on the preview helmfile.
 */
export class JenkinsXApplication extends Construct {
  /** The name. */
  public readonly name: string;
  /** The repository. */
  public readonly repository: GitUrl;
  /** The SourceRepository. */
  public readonly sourceRepository: JenkinsXSourceRepository;
  /** The pull request pipeline. */
  public readonly pullRequestPipeline: LighthousePipeline;
  /** The release pipeline. */
  public readonly releasePipeline: LighthousePipeline;
  /** The Lighthouse triggers. */
  public readonly triggers: TriggerConfig;
  /** The preview namespace pattern (`{number}` is the pull request), when previews are on. */
  public readonly previewNamespace?: string;
  /** The tree files written, by path. */
  public readonly files: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: JenkinsXApplicationProps) {
    super(scope, id);
    const platform = props.platform ?? Platform.of(this);
    const where = this.node.path;
    if (typeof props.name !== 'string' || !DNS_LABEL.test(props.name) || props.name.length > 63) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase DNS label such as "orders-api".');
    }
    if (props.repository === undefined || props.repository === '') {
      throw new ConfigError(where, 'repository', props.repository, `Give the application's Git repository URL, such as "https://github.com/<owner>/${props.name}.git".`);
    }
    if (!(props.buildPack instanceof BuildPack)) {
      throw new ConfigError(where, 'buildPack', props.buildPack, 'Choose a build pack, such as BuildPack.go() or BuildPack.fromCatalog("rust").');
    }
    this.name = props.name;
    this.repository = GitUrl.parse(props.repository, where, 'repository');
    const devNamespace = props.devNamespace ?? 'jx';
    const previews = props.previews ?? props.previewSettings !== undefined;
    if (previews && !props.previewSettings) {
      throw new ConfigError(where, 'previews', true, 'Previews need the module\'s preview settings (jenkinsX.previews); configure them or set previews to false.');
    }
    const branches = props.releaseBranches ?? ['main', 'master'];
    if (branches.length === 0 || branches.some((b) => !BRANCH.test(b))) {
      throw new ConfigError(where, 'releaseBranches', branches, 'List at least one branch name, such as "main".');
    }

    this.sourceRepository = new JenkinsXSourceRepository(props.chart, `SourceRepository-${props.name}`, {
      repository: this.repository,
      namespace: devNamespace,
      description: props.quickstart
        ? `${props.name}: created from the ${props.quickstart} quickstart, built with the ${props.buildPack.name} build pack`
        : `${props.name}: imported, built with the ${props.buildPack.name} build pack`,
    });

    const common = { resources: props.pipelineResources };
    this.pullRequestPipeline = LighthousePipeline.pullRequest(props.buildPack, {
      ...common,
      previews,
      extraSteps: props.extraPullRequestSteps,
    });
    this.releasePipeline = LighthousePipeline.release(props.buildPack, common);
    this.triggers = new TriggerConfig(
      [{ name: 'pr', context: 'pr', source: this.pullRequestPipeline.fileName }],
      [{ name: 'release', context: 'release', source: this.releasePipeline.fileName, branches: branches.map((b) => `^${escapeRegex(b)}$`) }],
    );

    const directory = props.directory ?? `jenkins-x/applications/${props.name}`;
    const files = new Map<string, string>([
      [`${directory}/${LIGHTHOUSE_DIR}/${this.pullRequestPipeline.fileName}`, toYaml(this.pullRequestPipeline.toJson())],
      [`${directory}/${LIGHTHOUSE_DIR}/${this.releasePipeline.fileName}`, toYaml(this.releasePipeline.toJson())],
      [`${directory}/${LIGHTHOUSE_DIR}/triggers.yaml`, toYaml(this.triggers.toJson())],
    ]);
    if (previews && props.previewSettings) {
      this.previewNamespace = previewNamespacePattern(devNamespace, this.repository);
      files.set(`${directory}/${PREVIEW_HELMFILE}`, previewHelmfile(props.previewSettings));
      files.set(`${directory}/${PREVIEW_VALUES}`, previewValues());
    }
    for (const [path, content] of files) platform.tree.addFile(path, content);
    this.files = files;
  }

  /** Whether pull requests of this application get a preview environment. */
  public get previews(): boolean {
    return this.previewNamespace !== undefined;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
