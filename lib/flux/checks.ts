import { ManifestObject, RenderedManifest, TREE_SECTIONS } from '../platform/gitops-tree';
import { ManifestCheck } from '../platform/platform';

type Spec = Record<string, unknown> & {
  sourceRef?: { kind?: string; name?: string; namespace?: string };
  chart?: { spec?: { sourceRef?: { kind?: string; name?: string; namespace?: string } } };
  chartRef?: { kind?: string; name?: string; namespace?: string };
  imageRepositoryRef?: { name?: string; namespace?: string };
  eventSources?: Array<{ kind?: string; name?: string; namespace?: string }>;
  resources?: Array<{ kind?: string; name?: string; namespace?: string }>;
  serviceAccountName?: string;
  path?: string;
};

function isFlux(object: ManifestObject): boolean {
  return object.apiVersion.includes('.toolkit.fluxcd.io/');
}

function ref(object: ManifestObject): string {
  return `${object.kind} ${object.metadata.namespace ?? '(no namespace)'}/${object.metadata.name ?? '(unnamed)'}`;
}

/** The references of a Flux object to other Flux objects, with the field they are in. */
function references(object: ManifestObject): Array<{ field: string; kind?: string; name?: string; namespace?: string }> {
  const spec = (object.spec ?? {}) as Spec;
  const out: Array<{ field: string; kind?: string; name?: string; namespace?: string }> = [];
  if (spec.sourceRef) out.push({ field: 'spec.sourceRef', ...spec.sourceRef });
  if (spec.chart?.spec?.sourceRef) out.push({ field: 'spec.chart.spec.sourceRef', ...spec.chart.spec.sourceRef });
  if (spec.chartRef) out.push({ field: 'spec.chartRef', ...spec.chartRef });
  if (spec.imageRepositoryRef) out.push({ field: 'spec.imageRepositoryRef', kind: 'ImageRepository', ...spec.imageRepositoryRef });
  if (object.kind === 'Alert') (spec.eventSources ?? []).forEach((s, i) => out.push({ field: `spec.eventSources[${i}]`, ...s }));
  if (object.kind === 'Receiver') (spec.resources ?? []).forEach((s, i) => out.push({ field: `spec.resources[${i}]`, ...s }));
  return out;
}

/**
 * Under the multi-tenancy lockdown every Flux controller runs with
 * `--no-cross-namespace-refs` and the kustomize and helm controllers act as
 * the `default` ServiceAccount of an object's namespace unless it names one.
 * This check finds, at synth time, what would fail in the cluster: a
 * reference to another namespace, and a Kustomization or HelmRelease in the
 * Flux namespace without a `serviceAccountName`.
 */
export function lockdownCheck(fluxNamespace: string): ManifestCheck {
  return {
    name: 'flux-multi-tenancy-lockdown',
    check(manifests: readonly RenderedManifest[]): string[] {
      const problems: string[] = [];
      for (const { object, file } of manifests) {
        if (!isFlux(object)) continue;
        const namespace = object.metadata.namespace;
        for (const r of references(object)) {
          if (r.namespace !== undefined && r.namespace !== namespace) {
            problems.push(
              `${ref(object)} (${file}): ${r.field} points to ${r.kind ?? 'an object'} ${r.namespace}/${r.name}, in another namespace; the lockdown forbids cross-namespace references. Move one of them into ${namespace}.`,
            );
          }
        }
        const spec = (object.spec ?? {}) as Spec;
        if ((object.kind === 'Kustomization' || object.kind === 'HelmRelease') && namespace === fluxNamespace && !spec.serviceAccountName) {
          const account = object.kind === 'Kustomization' ? 'kustomize-controller' : 'helm-controller';
          problems.push(
            `${ref(object)} (${file}): no spec.serviceAccountName, so under the lockdown it acts as ${fluxNamespace}/default, which may do nothing. Set serviceAccountName: ${account}.`,
          );
        }
      }
      return problems;
    },
  };
}

/**
 * A Flux Kustomization that syncs a section of the environment's tree must
 * find that directory in Git: the tree writes a section only when it has
 * objects, so a section path is valid when the section has objects or a
 * marker file (`existingDirectories`).
 */
export function sectionPathCheck(repoPath: string, existingDirectories: () => ReadonlySet<string>): ManifestCheck {
  return {
    name: 'flux-section-paths',
    check(manifests: readonly RenderedManifest[]): string[] {
      const withObjects = new Set<string>(manifests.filter((m) => m.section !== 'bootstrap').map((m) => m.section));
      const marked = existingDirectories();
      const problems: string[] = [];
      for (const { object, file } of manifests) {
        if (object.kind !== 'Kustomization' || !object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
        const path = ((object.spec ?? {}) as Spec).path?.replace(/^\.\//, '').replace(/\/$/, '');
        for (const section of TREE_SECTIONS) {
          if (path === `${repoPath}/${section}` && !withObjects.has(section) && !marked.has(section)) {
            problems.push(
              `${ref(object)} (${file}): spec.path ${path} would not exist in Git: the ${section} section has no objects. Add objects to it or remove the Kustomization.`,
            );
          }
        }
      }
      return problems;
    },
  };
}
