/**
 * Builds EndpointSlice objects for tests. `slice({})` is a valid, fully labelled v1 slice; each
 * override changes one thing, so a failing example sits next to a passing one.
 */
export interface SliceOverrides {
  /** A number makes that many IPv4 endpoints (10.0.x.y); an array is used as-is. */
  endpoints?: number | unknown[] | null;
  addressType?: unknown;
  ports?: unknown;
  /** Merged into the default metadata (labels replace the default labels when given). */
  metadata?: Record<string, unknown>;
  labels?: Record<string, string>;
  apiVersion?: unknown;
  kind?: unknown;
  [extra: string]: unknown;
}

/** Returns a valid v1 EndpointSlice with the overrides applied. */
export function slice(overrides: SliceOverrides = {}): Record<string, unknown> {
  const { endpoints = 1, metadata = {}, labels, ...rest } = overrides;
  const out: Record<string, unknown> = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'example-abc12',
      namespace: 'default',
      labels: labels ?? { 'kubernetes.io/service-name': 'example', 'endpointslice.kubernetes.io/managed-by': 'sliceguard' },
      ...metadata,
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: typeof endpoints === 'number' ? ipv4Endpoints(endpoints) : endpoints,
    ...rest,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Returns `n` ready IPv4 endpoints with distinct addresses. */
export function ipv4Endpoints(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    addresses: [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`],
    conditions: { ready: true },
  }));
}

/** Returns a core/v1 Service for Service-aware rule tests. */
export function service(overrides: { name?: string; namespace?: string; ports?: unknown[]; selector?: Record<string, string>; ipFamilies?: string[]; clusterIP?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: overrides.name ?? 'example', namespace: overrides.namespace ?? 'default' },
    spec: {
      ports: overrides.ports ?? [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
      ...(overrides.selector ? { selector: overrides.selector } : {}),
      ...(overrides.ipFamilies ? { ipFamilies: overrides.ipFamilies } : {}),
      ...(overrides.clusterIP ? { clusterIP: overrides.clusterIP } : {}),
    },
  };
}

/** Returns `value` deep-frozen, so that a rule that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
