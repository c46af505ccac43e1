import { ConfigError } from '../platform/errors';
import { DNS_LABEL } from '../platform/patterns';

/** A node of a {@link ServiceGraph}. */
export interface ServiceNode {
  /** The service's name. */
  readonly name: string;
  /** The services it depends on. @default [] */
  readonly dependsOn?: readonly string[];
}

/**
 * Services and their dependencies, checked for unknown names and cycles, in a
 * deterministic topological order: by level (a service's level is one more
 * than its deepest dependency's), then by name. The level is the service's
 * Argo CD sync wave; the dependencies are its Flux `dependsOn`.
 */
export class ServiceGraph<T extends ServiceNode> {
  /** The services in deployment order. */
  public readonly order: readonly T[];
  private readonly nodes = new Map<string, T>();
  private readonly levels = new Map<string, number>();

  /** `where` names the configuration in error messages (construct path or environment). */
  constructor(where: string, services: readonly T[]) {
    for (const service of services) {
      if (typeof service.name !== 'string' || !DNS_LABEL.test(service.name)) {
        throw new ConfigError(where, 'services.name', service.name, 'Use a lowercase DNS label, such as "backend-api".');
      }
      if (this.nodes.has(service.name)) {
        throw new ConfigError(where, 'services.name', service.name, 'Each service needs a unique name.');
      }
      this.nodes.set(service.name, service);
    }
    const names = [...this.nodes.keys()].sort();
    for (const name of names) {
      for (const dep of this.dependencies(name)) {
        if (!this.nodes.has(dep)) {
          throw new ConfigError(
            where,
            `services.${name}.dependsOn`,
            dep,
            `No service is named "${dep}" (services: ${names.join(', ')}). Add it or fix the name.`,
          );
        }
      }
    }
    const cycle = this.findCycle(names);
    if (cycle) {
      throw new ConfigError(
        where,
        'services.dependsOn',
        cycle.join(' -> '),
        'The dependencies form a cycle ("a -> b" means a depends on b), so no service can go first: remove one of them.',
      );
    }
    const level = (name: string): number => {
      const known = this.levels.get(name);
      if (known !== undefined) return known;
      const value = this.dependencies(name).reduce((max, dep) => Math.max(max, level(dep) + 1), 0);
      this.levels.set(name, value);
      return value;
    };
    this.order = names
      .map((name) => ({ name, level: level(name) }))
      .sort((a, b) => a.level - b.level || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((n) => this.nodes.get(n.name)!);
  }

  /** The service named `name`. */
  public get(name: string): T | undefined {
    return this.nodes.get(name);
  }

  /** The names in deployment order. */
  public get names(): string[] {
    return this.order.map((s) => s.name);
  }

  /** The level of a service: 0 without dependencies, else one more than its deepest dependency. */
  public level(name: string): number {
    const value = this.levels.get(name);
    if (value === undefined) throw new Error(`unknown service ${name}`);
    return value;
  }

  /** The direct dependencies of a service, sorted. */
  public dependencies(name: string): string[] {
    return [...new Set(this.nodes.get(name)?.dependsOn ?? [])].sort();
  }

  /** The services that depend directly on `name`, sorted. */
  public dependents(name: string): string[] {
    return [...this.nodes.values()].filter((s) => (s.dependsOn ?? []).includes(name)).map((s) => s.name).sort();
  }

  private findCycle(names: readonly string[]): string[] | undefined {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (name: string): string[] | undefined => {
      state.set(name, 'visiting');
      stack.push(name);
      for (const dep of this.dependencies(name)) {
        if (state.get(dep) === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
        if (!state.has(dep)) {
          const found = visit(dep);
          if (found) return found;
        }
      }
      stack.pop();
      state.set(name, 'done');
      return undefined;
    };
    for (const name of names) {
      if (!state.has(name)) {
        const found = visit(name);
        if (found) return found;
      }
    }
    return undefined;
  }
}
