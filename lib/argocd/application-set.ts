import { Chart, ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError } from '../platform/errors';
import { ApplicationSet as ApplicationSetResource, ApplicationSetSpecTemplateSpec } from '../imports/argoproj.io-argocd';
import { ApplicationOptions, renderApplication } from './application';
import { ApplicationSetGenerator } from './generators';
import { checkProps } from '../platform/config-boundary/props';

/** The Application an ApplicationSet stamps out per parameter set. */
export interface ApplicationTemplate extends ApplicationOptions {
  /** Application name, with parameters (`myapp-{{environment}}`). */
  readonly name: string;
  /** Namespace of the generated Applications. @default - the ApplicationSet's namespace */
  readonly namespace?: string;
}

/** Options for {@link ApplicationSet}. */
export interface ApplicationSetProps {
  /** ApplicationSet name. */
  readonly name: string;
  /** Namespace of Argo CD. @default 'argocd' */
  readonly namespace?: string;
  /** The generators; the template is rendered once per parameter set of each. */
  readonly generators: readonly ApplicationSetGenerator[];
  /** The Application template (`{{param}}` placeholders, fasttemplate syntax). */
  readonly template: ApplicationTemplate;
  /** Keep the generated Applications' resources when the ApplicationSet is deleted. @default false */
  readonly preserveResourcesOnDeletion?: boolean;
  /** Labels of the ApplicationSet itself. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A `{{param}}` placeholder (Argo CD's default fasttemplate syntax). */
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/**
 * An Argo CD ApplicationSet: list, Git-directory, Git-file and cluster
 * generators and a typed Application template. Every `{{parameter}}` the
 * template uses must be provided by every generator.
 */
export class ApplicationSet extends Construct {
  /** The generated resource. */
  public readonly resource: ApiObject;
  /** The ApplicationSet name. */
  public readonly name: string;
  /** The parameters the template uses. */
  public readonly templateParameters: readonly string[];

  constructor(scope: Construct, id: string, props: ApplicationSetProps) {
    super(scope, id);
    checkProps(this, 'ApplicationSetProps', props);
    const where = this.node.path;
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.name)) {
      throw new ConfigError(where, 'name', props.name, 'Use a lowercase name such as "cluster-addons".');
    }
    if (props.generators.length === 0) {
      throw new ConfigError(where, 'generators', [], 'Give at least one generator (list, gitDirectories, gitFiles or clusters).');
    }
    const t = props.template;
    const rendered = renderApplication(`${where} template`, t);
    // Generated Applications carry the chart's common labels (managed-by, part-of, review)
    // like every other object of the tree, so the label policy holds for them too.
    const inherited = Chart.of(this).labels;
    const templateLabels = { ...inherited, ...(rendered.labels ?? {}) };
    const templateJson = {
      metadata: {
        name: t.name,
        ...(t.namespace !== undefined ? { namespace: t.namespace } : {}),
        ...(Object.keys(templateLabels).length > 0 ? { labels: templateLabels } : {}),
        ...(rendered.annotations ? { annotations: rendered.annotations } : {}),
        ...(rendered.finalizers ? { finalizers: rendered.finalizers } : {}),
      },
      spec: rendered.spec as ApplicationSetSpecTemplateSpec,
    };

    const used = [...new Set(collectStrings(templateJson).flatMap((s) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1])))].sort();
    for (const generator of props.generators) {
      for (const param of used) {
        if (!generator.provides(param)) {
          throw new ConfigError(
            where,
            'template',
            `{{${param}}}`,
            `The ${generator.kind} generator does not provide "${param}" (it provides ${generator.parameters.join(', ')}). Use one of those, or change the generator.`,
          );
        }
      }
    }
    if (!/\{\{[^{}]+\}\}/.test(t.name)) {
      throw new ConfigError(where, 'template.name', t.name, 'Put a parameter in the name (such as "myapp-{{environment}}") so each generated Application is unique.');
    }

    this.name = props.name;
    this.templateParameters = used;
    this.resource = new ApplicationSetResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace ?? 'argocd',
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: {
        generators: props.generators.map((g) => g.toSpec()),
        template: templateJson,
        ...(props.preserveResourcesOnDeletion ? { syncPolicy: { preserveResourcesOnDeletion: true } } : {}),
      },
    });
  }
}

function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => collectStrings(v));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [k, ...collectStrings(v)]);
  }
  return [];
}
