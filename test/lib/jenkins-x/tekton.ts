/**
 * The Tekton CRDs keep a PipelineRun's inline `pipelineSpec` and a pipeline
 * task's `taskSpec` as `x-kubernetes-preserve-unknown-fields`, so a CRD check
 * of the PipelineRun alone accepts anything inside them. These helpers wrap
 * the inline specs as the Pipeline and Task objects of the same API version,
 * so the strict validator checks them against the Pipeline and Task schemas.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function embeddedTektonObjects(run: unknown): Json[] {
  const obj = run as Json;
  const apiVersion = obj.apiVersion as string;
  const pipelineSpec = obj.spec?.pipelineSpec;
  if (!pipelineSpec) return [];
  const out: Json[] = [{ apiVersion, kind: 'Pipeline', metadata: { name: `${obj.metadata.name}-pipeline` }, spec: pipelineSpec }];
  for (const task of [...(pipelineSpec.tasks ?? []), ...(pipelineSpec.finally ?? [])]) {
    if (task.taskSpec) out.push({ apiVersion, kind: 'Task', metadata: { name: `${obj.metadata.name}-${task.name}` }, spec: task.taskSpec });
  }
  return out;
}
