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
  private readonly byKey = new Map<string, ServiceInfo>();

  /** Adds or replaces a Service. */
  set(info: ServiceInfo): void {
    this.byKey.set(`${info.namespace}/${info.name}`, info);
  }

  /** Removes a Service. */
  delete(namespace: string, name: string): void {
    this.byKey.delete(`${namespace}/${name}`);
  }

  get(namespace: string, name: string): ServiceInfo | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Returns every Service held (a snapshot). */
  all(): ServiceInfo[] {
    return [...this.byKey.values()];
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
