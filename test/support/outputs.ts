import { STATUS_OUTPUTS } from '../../lib/platform/status';
import { TerraformJson } from './synth';

/**
 * The status outputs as `terraform output` shows them after a good apply:
 * the synthesized values with each `${helm_release.X.name}` replaced by the
 * release's name and each `${helm_release.X.status}` by "deployed".
 */
export function deployedOutputs(tf: TerraformJson): Record<string, unknown> {
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const token = /^\$\{helm_release\.([A-Za-z0-9_-]+)\.(name|status)\}$/.exec(value);
      if (!token) {
        if (value.includes('${')) throw new Error(`unexpected Terraform expression in an output: ${value}`);
        return value;
      }
      const release = tf.resource.helm_release?.[token[1]];
      if (!release) throw new Error(`no helm_release ${token[1]}`);
      return token[2] === 'name' ? release.name : 'deployed';
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  };
  return Object.fromEntries(STATUS_OUTPUTS.map((name) => [name, resolve(tf.output[name].value)]));
}
