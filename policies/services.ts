import type { ServiceInfo, ServiceLookup } from './types.ts';

/**
 * Returns what the Service-aware rules need from a core/v1 Service object, or undefined when the
 * object is not a Service. `defaultNamespace` applies when the manifest has no namespace.
 */
export function serviceInfoFrom(object: unknown, defaultNamespace: string): ServiceInfo | undefined {
  if (!isRecord(object) || object.kind !== 'Service' || object.apiVersion !== 'v1') return undefined;
  const meta = isRecord(object.metadata) ? object.metadata : {};
  const spec = isRecord(object.spec) ? object.spec : {};
  if (typeof meta.name !== 'string' || meta.name === '') return undefined;
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : defaultNamespace;
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isRecord) : [];
  return {
    namespace: ns,
    name: meta.name,
    hasSelector: isRecord(spec.selector) && Object.keys(spec.selector).length > 0,
    ports: ports.map((p) => ({
      name: typeof p.name === 'string' ? p.name : '',
      protocol: typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP',
      ...(typeof p.port === 'number' ? { port: p.port } : {}),
    })),
    ipFamilies: Array.isArray(spec.ipFamilies) ? spec.ipFamilies.filter((f): f is string => typeof f === 'string') : [],
    ...(typeof spec.clusterIP === 'string' ? { clusterIP: spec.clusterIP } : {}),
    ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
    ...(typeof meta.uid === 'string' ? { uid: meta.uid } : {}),
  };
}

/** A Service lookup backed by a map; the CLI fills it from input files, the webhook from its cache. */
export class ServiceIndex implements ServiceLookup {
  // By namespace, then name: several rules look a slice's Service up, and a lookup with the
  // slice's own strings (their hashes cached) is cheaper than building a "namespace/name" key.
  private readonly byNamespace = new Map<string, Map<string, ServiceInfo>>();
  private count = 0;

  /** Adds or replaces a Service. */
  set(info: ServiceInfo): void {
    this.lastNamespace = undefined;
    let byName = this.byNamespace.get(info.namespace);
    if (!byName) this.byNamespace.set(info.namespace, (byName = new Map()));
    if (!byName.has(info.name)) this.count++;
    byName.set(info.name, info);
  }

  /** Removes a Service. */
  delete(namespace: string, name: string): void {
    this.lastNamespace = undefined;
    const byName = this.byNamespace.get(namespace);
    if (!byName?.delete(name)) return;
    this.count--;
    if (byName.size === 0) this.byNamespace.delete(namespace);
  }

  get(namespace: string, name: string): ServiceInfo | undefined {
    // Several rules ask for the same slice's Service in turn; the strings are the slice's own.
    if (namespace === this.lastNamespace && name === this.lastName) return this.last;
    this.lastNamespace = namespace;
    this.lastName = name;
    return (this.last = this.byNamespace.get(namespace)?.get(name));
  }

  private lastNamespace: string | undefined;
  private lastName: string | undefined;
  private last: ServiceInfo | undefined;

  get size(): number {
    return this.count;
  }

  /** Returns every Service held (a snapshot). */
  all(): ServiceInfo[] {
    const out: ServiceInfo[] = [];
    for (const byName of this.byNamespace.values()) for (const info of byName.values()) out.push(info);
    return out;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
