/**
 * fast-check arbitraries for hostile EndpointSlices: realistic slices (most of which pass), and
 * mutations that put arbitrary JSON, wrong types, huge or empty strings, unicode and
 * `__proto__`/`constructor` keys anywhere in them. Keys are own data properties, as `JSON.parse`
 * and js-yaml make them, never prototype changes.
 */
import fc from 'fast-check';

/** Keys that have broken JavaScript validators before, plus pointer-escaping and label keys. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'length', '', '/', '~', '~1', 'a/b~0', '0', '-',
    'kubernetes.io/service-name', 'endpointslice.kubernetes.io/managed-by', 'addresses', 'ports', 'endpoints', 'metadata'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

// Built once: the shrinker and every run share them, so a 1 MiB string costs nothing per run.
const HUGE = ['x'.repeat(70_000), 'é'.repeat(140_000), '1'.repeat(1 << 20), 'a.'.repeat(40_000) + 'b', '\u{1F600}'.repeat(70_000)];

/** Strings that sit on a boundary of some rule, or that are simply awkward. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'yes', 'null', 'true', '0', '-1', '1e3', 'TCP', 'tcp', 'IPv4', 'IPv6', 'FQDN', '10.0.0.1', '010.0.0.1', '127.1', '0x7f.0.0.1',
    '169.254.169.254', '::ffff:10.0.0.1', 'fe80::1%eth0', '::', 'FE80::1', '2001:db8::/32', 'Example.COM', 'a..b', '\u0000', '\uFEFF', '\uD800',
    '\u202Eevil', 'endpointslice-controller.k8s.io', 'kubernetes.io/h2c', '{{count}}', '%s%n'),
  fc.constantFrom(...HUGE),
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.domain(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Any JSON-like value, with hostile keys and strings at every depth (plus NaN, -0, undefined). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 65535, 65536, 2 ** 31, 2 ** 53, 1e308), fc.boolean(), fc.constant(null)) },
  { weight: 2, arbitrary: fc.anything({ key: hostileKey, values: [hostileString, fc.integer(), fc.boolean(), fc.constant(null)], maxDepth: 3, maxKeys: 4 }) },
);

const FAMILY_ADDRESS = { IPv4: fc.ipV4(), IPv6: fc.ipV6(), FQDN: fc.domain() } as const;
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A realistic slice of one family; most generated slices pass the default policy. */
export const realisticSlice: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom('IPv4', 'IPv6', 'FQDN')
  .chain((family: keyof typeof FAMILY_ADDRESS) =>
    fc.record({
      apiVersion: fc.constant('discovery.k8s.io/v1'),
      kind: fc.constant('EndpointSlice'),
      metadata: fc.record({
        name,
        namespace: fc.constantFrom('default', 'team-a'),
        labels: fc.record({
          'kubernetes.io/service-name': fc.constant('example'),
          'endpointslice.kubernetes.io/managed-by': fc.constantFrom('sliceguard', 'team-a.example.com'),
        }),
      }),
      addressType: fc.constant(family),
      ports: fc.array(
        fc.record({ name: optional(name), protocol: optional(fc.constantFrom('TCP', 'UDP', 'SCTP')), port: optional(fc.integer({ min: 1, max: 65535 })), appProtocol: optional(fc.constantFrom('http', 'kubernetes.io/h2c')) }, { requiredKeys: [] }),
        { maxLength: 3 },
      ),
      endpoints: fc.array(
        fc.record({
          addresses: fc.array(FAMILY_ADDRESS[family], { minLength: 1, maxLength: 2 }),
          conditions: optional(fc.record({ ready: fc.boolean(), serving: optional(fc.boolean()), terminating: optional(fc.boolean()) }, { requiredKeys: ['ready'] })),
          hostname: optional(name),
          nodeName: optional(name),
          zone: optional(fc.constantFrom('zone-a', 'zone-b')),
          hints: optional(fc.record({ forZones: fc.array(fc.record({ name: fc.constantFrom('zone-a', 'zone-b') }), { maxLength: 2 }) })),
        }, { requiredKeys: ['addresses'] }),
        { maxLength: 4 },
      ),
    }, { requiredKeys: ['apiVersion', 'kind', 'metadata', 'addressType', 'endpoints'] }),
  )
  .map(dropUndefined);

/** One change to a slice: replace a node, delete it, or add a key, chosen by position. */
export interface Mutation {
  kind: 'replace' | 'delete' | 'add';
  at: number;
  key: string;
  value: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'delete', 'add'),
  at: fc.nat(),
  key: hostileKey,
  value: hostileValue,
});

/** A realistic slice with 0-4 mutations applied (0 keeps many slices passing). */
export const mutatedSlice: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(realisticSlice, fc.array(mutation, { maxLength: 4 }))
  .map(([s, ms]) => ms.reduce<Record<string, unknown>>((acc, m) => applyMutation(acc, m), s));

/** Returns a copy of `root` with the mutation applied at the `at`-th node (mod the node count). */
export function applyMutation(root: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const copy = structuredClone(root);
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    const c = v as Record<string, unknown> | unknown[];
    containers.push(c);
    for (const k of Object.keys(c)) {
      nodes.push([c, Array.isArray(c) ? Number(k) : k]);
      walk((c as Record<string, unknown>)[k]);
    }
  };
  walk(copy);
  if (m.kind === 'add') {
    const parent = containers[m.at % containers.length];
    if (Array.isArray(parent)) parent.push(m.value);
    else Object.defineProperty(parent, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  if (nodes.length === 0) return copy;
  const [parent, key] = nodes[m.at % nodes.length];
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else {
    Object.defineProperty(parent, key, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Returns `value` without `undefined` object members (fc.record's absent optional keys). */
export function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = dropUndefined(v);
  return out as T;
}
