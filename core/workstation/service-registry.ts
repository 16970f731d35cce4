/**
 * One name, one instance: the workstation's services are registered by name with the function
 * that builds each (after OHIF's ServicesManager and VS Code's service registration). A second
 * registration of a name is refused; a service is built the first time it is asked for, from
 * the services it asks for in turn, and every later caller gets that same instance. A name
 * that was never registered answers the registry's `missing` error (the workstation's says
 * STORE_REQUIRED for the services a preview without a data folder does not have).
 */
export type ServiceFactory<S, K extends keyof S> = (services: ServiceRegistry<S>) => S[K];

export class ServiceRegistry<S> {
  private readonly factories = new Map<keyof S, ServiceFactory<S, keyof S>>();
  private readonly instances = new Map<keyof S, S[keyof S]>();
  private readonly building: (keyof S)[] = [];

  constructor(private readonly missing: (name: keyof S) => Error) {}

  register<K extends keyof S>(name: K, create: ServiceFactory<S, K>): this {
    if (this.factories.has(name))
      throw new Error(`the service "${String(name)}" is registered already`);
    this.factories.set(name, create as ServiceFactory<S, keyof S>);
    return this;
  }

  has(name: keyof S): boolean {
    return this.factories.has(name);
  }

  get<K extends keyof S>(name: K): S[K] {
    if (this.instances.has(name)) return this.instances.get(name) as S[K];
    const create = this.factories.get(name);
    if (!create) throw this.missing(name);
    if (this.building.includes(name))
      throw new Error(
        `services depend on each other in a circle: ${[...this.building, name].map(String).join(' → ')}`,
      );
    this.building.push(name);
    try {
      const instance = create(this) as S[K];
      this.instances.set(name, instance);
      return instance;
    } finally {
      this.building.pop();
    }
  }

  /** The service, or undefined where this workstation has none by that name. */
  find<K extends keyof S>(name: K): S[K] | undefined {
    return this.has(name) ? this.get(name) : undefined;
  }
}
