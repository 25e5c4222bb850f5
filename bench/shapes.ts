/**
 * The objects of the benchmark corpora: a Service and its manually written EndpointSlices, the
 * way platform teams write them for databases and services outside the cluster, and some shaped
 * like `kubectl get -o yaml` exports (uid, resourceVersion, managedFields, ownerReferences) but
 * cleaned of the controller's managed-by value, so that they warn (exported-metadata) and never deny.
 */
import type { Random } from './random.ts';

type Obj = Record<string, unknown>;

/** A Service with its slices, written next to each other in one manifest. */
export interface ServiceGroup {
  service: Obj;
  slices: Obj[];
  /** `kubectl get -o yaml` look: sorted keys, unindented sequences. */
  exported: boolean;
}

/** Hands out addresses that are unique in a corpus (a repeated address would be a finding). */
export class AddressPool {
  private v4 = 0;
  private v6 = 0;
  private fqdn = 0;

  /** Returns the next private IPv4 address (10.0.0.0/8, never .0 or .255). */
  ipv4(): string {
    const n = this.v4++;
    const rest = Math.floor(n / 254);
    return `10.${(rest >> 8) & 255}.${rest & 255}.${(n % 254) + 1}`;
  }

  /** Returns the next ULA IPv6 address in canonical form (RFC 5952: the zero run compressed). */
  ipv6(): string {
    const n = this.v6++;
    return `fd00:10:96::${(Math.floor(n / 65535) + 1).toString(16)}:${((n % 65535) + 1).toString(16)}`;
  }

  /** Returns the next lowercase domain name. */
  domain(r: Random): string {
    return `${r.pick(HOSTS)}-${this.fqdn++}.${r.pick(DOMAINS)}`;
  }
}

const HOSTS = ['db', 'pg', 'redis', 'kafka', 'ldap', 'vault', 'smtp', 'legacy-api', 'mq', 'search'];
const DOMAINS = ['prod.example.com', 'dc1.corp.example.net', 'eu-west-1.rds.example.org', 'internal.example.io'];
const APPS = ['payments', 'checkout', 'catalog', 'orders', 'billing', 'identity', 'search', 'ledger', 'inventory', 'shipping'];
const ROLES = ['db', 'cache', 'api', 'gateway', 'queue', 'legacy', 'primary', 'replica', 'metrics', 'auth'];
const NAMESPACES = ['shop', 'payments', 'platform', 'data', 'edge', 'team-a', 'team-b', 'observability'];
const MANAGERS = ['sliceguard', 'argocd.argoproj.io', 'endpoints-operator.example.com', 'terraform', 'helm', 'consul-k8s', 'external-endpoints'];
const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const TEAMS = ['platform', 'payments', 'data', 'sre', 'edge'];

/** Ports as Services declare them; the slice carries `target` under the same name and protocol. */
const PORTS = [
  { name: 'http', port: 80, target: 8080, protocol: 'TCP', appProtocol: 'http' },
  { name: 'https', port: 443, target: 8443, protocol: 'TCP', appProtocol: 'https' },
  { name: 'grpc', port: 9090, target: 9090, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
  { name: 'metrics', port: 9100, target: 9100, protocol: 'TCP' },
  { name: 'postgres', port: 5432, target: 5432, protocol: 'TCP' },
  { name: 'redis', port: 6379, target: 6379, protocol: 'TCP' },
  { name: 'dns', port: 53, target: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, target: 53, protocol: 'TCP' },
  { name: 'syslog', port: 514, target: 514, protocol: 'UDP' },
];

type Family = 'IPv4' | 'IPv6' | 'FQDN';

/** How a corpus shapes its groups. */
export interface GroupOptions {
  /** Endpoints per slice (default: 1-10 at random). */
  endpoints?: number;
  /** Share of groups shaped like `kubectl get -o yaml` exports (default 0.2). */
  exported?: number;
  /** False: no FQDN slices (large slices are Pods' addresses). */
  fqdn?: boolean;
}

/** Returns a Service and 1-3 slices for it, with 1-10 endpoints each (`endpoints` fixes the count). */
export function serviceGroup(r: Random, pool: AddressPool, id: number, opts: GroupOptions = {}): ServiceGroup {
  const name = `${r.pick(APPS)}-${r.pick(ROLES)}-${id}`;
  const namespace = r.chance(0.3) ? undefined : r.pick(NAMESPACES);
  const exported = r.chance(opts.exported ?? 0.2);
  const roll = r.next();
  const families: Family[][] = [['IPv4'], ['IPv6'], ['IPv4', 'IPv6'], ['FQDN']];
  const stack = families[roll < 0.62 ? 0 : roll < 0.77 ? 1 : roll < 0.9 || opts.fqdn === false ? 2 : 3];
  const ports = servicePorts(r);
  const service = makeService(r, { name, namespace, stack, ports, exported });
  const slices: Obj[] = [];
  for (const family of stack) {
    const count = r.chance(0.2) ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const n = opts.endpoints ?? r.int(1, 10);
      slices.push(makeSlice(r, pool, { service, name, namespace, stack, family, ports, exported, endpoints: n }));
    }
  }
  return { service, slices, exported };
}

function servicePorts(r: Random): (typeof PORTS)[number][] {
  // A lone port is unnamed three times in ten (allowed, and the classic name-mismatch trap).
  const n = r.int(1, 3);
  const chosen = new Set<(typeof PORTS)[number]>();
  while (chosen.size < n) chosen.add(r.pick(PORTS));
  const list = [...chosen];
  if (n === 1 && r.chance(0.3)) return [{ ...list[0], name: '' }];
  return list;
}

interface ServiceShape {
  name: string;
  namespace: string | undefined;
  stack: Family[];
  ports: (typeof PORTS)[number][];
  exported: boolean;
}

function makeService(r: Random, s: ServiceShape): Obj {
  const meta: Obj = { name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) };
  meta.labels = { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/part-of': s.name.split('-')[0], team: r.pick(TEAMS) };
  if (s.exported) Object.assign(meta, exportedMeta(r));
  const spec: Obj = {
    ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, targetPort: p.target })),
  };
  if (s.stack[0] === 'FQDN') spec.clusterIP = 'None';
  else {
    const ips = s.stack.map((f) => (f === 'IPv4' ? `10.96.${r.int(0, 255)}.${r.int(1, 254)}` : `fd00:96::${r.int(1, 65535).toString(16)}`));
    Object.assign(spec, { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ipFamilies: s.stack, ipFamilyPolicy: ips.length > 1 ? 'PreferDualStack' : 'SingleStack' });
  }
  // Most hand-written slices are for selector-less Services; the rest warn (selector-conflict).
  if (r.chance(0.12)) spec.selector = { 'app.kubernetes.io/name': s.name };
  return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec };
}

function exportedMeta(r: Random): Obj {
  const t = new Date(Date.UTC(2024, 0, 1) + r.int(0, 700 * 86400) * 1000).toISOString().replace('.000Z', 'Z');
  return { uid: r.uuid(), resourceVersion: String(r.int(100000, 99999999)), creationTimestamp: t };
}

interface SliceShape extends ServiceShape {
  service: Obj;
  family: Family;
  endpoints: number;
}

function makeSlice(r: Random, pool: AddressPool, s: SliceShape): Obj {
  const labels: Obj = {
    'kubernetes.io/service-name': s.name,
    'endpointslice.kubernetes.io/managed-by': r.pick(MANAGERS),
    'app.kubernetes.io/name': s.name,
  };
  if (r.chance(0.5)) labels['app.kubernetes.io/part-of'] = s.name.split('-')[0];
  const meta: Obj = { name: `${s.name}-${s.family.toLowerCase()}-${r.suffix(5)}`, ...(s.namespace ? { namespace: s.namespace } : {}), labels };
  if (s.exported) Object.assign(meta, exportedSliceMeta(r, s));
  else if (r.chance(0.3)) meta.annotations = { 'example.com/owner': `team-${r.pick(TEAMS)}`, 'example.com/ticket': `OPS-${r.int(100, 9999)}` };
  const ports = s.ports.map((p) => ({ name: p.name, port: p.target, protocol: p.protocol, ...(p.appProtocol && r.chance(0.5) ? { appProtocol: p.appProtocol } : {}) }));
  const endpoints = Array.from({ length: s.endpoints }, () => makeEndpoint(r, pool, s));
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, addressType: s.family, ports, endpoints };
}

function exportedSliceMeta(r: Random, s: SliceShape): Obj {
  const svcMeta = s.service.metadata as Obj;
  const base = exportedMeta(r);
  return {
    ...base,
    generateName: `${s.name}-`,
    name: `${s.name}-${r.suffix(5)}`,
    generation: r.int(1, 40),
    annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': base.creationTimestamp },
    ...(svcMeta.uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: s.name, uid: svcMeta.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    managedFields: [
      {
        manager: r.pick(['argocd-controller', 'kubectl-client-side-apply', 'terraform-provider-kubernetes']),
        operation: 'Update',
        apiVersion: 'discovery.k8s.io/v1',
        time: base.creationTimestamp,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:addressType': {}, 'f:endpoints': {}, 'f:metadata': { 'f:labels': { '.': {}, 'f:kubernetes.io/service-name': {} } }, 'f:ports': {} },
      },
    ],
  };
}

function makeEndpoint(r: Random, pool: AddressPool, s: SliceShape): Obj {
  const address = s.family === 'IPv4' ? pool.ipv4() : s.family === 'IPv6' ? pool.ipv6() : pool.domain(r);
  const ep: Obj = { addresses: [address] };
  const c = r.next();
  if (c < 0.55) ep.conditions = { ready: true, serving: true, terminating: false };
  else if (c < 0.9) ep.conditions = { ready: r.chance(0.95) };
  if (s.family !== 'FQDN' && r.chance(0.6)) {
    const zone = r.pick(ZONES);
    ep.nodeName = `ip-10-0-${r.int(0, 255)}-${r.int(1, 254)}.eu-west-1.compute.internal`;
    ep.zone = zone;
    if (r.chance(0.15)) ep.hints = { forZones: [{ name: zone }] };
  }
  if (s.family !== 'FQDN' && r.chance(0.5)) {
    ep.targetRef = { kind: 'Pod', name: `${s.name}-${r.suffix(10)}-${r.suffix(5)}`, namespace: s.namespace ?? 'default', uid: r.uuid() };
  }
  if (r.chance(0.04)) ep.hostname = `${s.name.split('-')[0]}-${r.int(0, 9)}`;
  return ep;
}
