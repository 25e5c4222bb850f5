/**
 * The errors the benchmark injects into otherwise clean slices, one per slice, and the deny rules
 * each must produce. Each injector changes the slice in place (it has not been rendered yet).
 */
import type { AddressPool } from './shapes.ts';
import type { Random } from './random.ts';

/** The kinds of injected error. */
export type InjectionKind = 'bad-address' | 'bad-port-name' | 'duplicate-port-name' | 'missing-service-name' | 'too-many-endpoints';

type Obj = Record<string, unknown>;
type Injector = (slice: Obj, pool: AddressPool, r: Random) => { detail: string; rules: string[] };

const endpointsOf = (slice: Obj): Obj[] => slice.endpoints as Obj[];
const portsOf = (slice: Obj): Obj[] => slice.ports as Obj[];

/** Every injector by kind. */
export const INJECTORS: Record<InjectionKind, Injector> = {
  'bad-address': (slice, _pool, r) => {
    const eps = endpointsOf(slice);
    const i = r.int(0, eps.length - 1);
    const addresses = eps[i].addresses as string[];
    const family = slice.addressType;
    // An octet over 255, a non-hex IPv6 group, an underscore in a domain label.
    const bad =
      family === 'IPv4'
        ? addresses[0].replace(/\.\d+$/, `.${r.int(256, 999)}`)
        : family === 'IPv6'
          ? addresses[0].replace(/:([0-9a-f]+)$/, ':g$1')
          : addresses[0].replace('-', '_');
    addresses[0] = bad;
    return { detail: `endpoints[${i}].addresses[0] is ${bad}`, rules: [family === 'FQDN' ? 'fqdn-address' : 'ip-address'] };
  },
  'bad-port-name': (slice, _pool, r) => {
    const ports = portsOf(slice);
    const i = r.int(0, ports.length - 1);
    const bad = r.pick(['HTTP', 'web_port', 'metrics-', 'grpc.internal']);
    ports[i].name = bad;
    // No Service port has that name: kube-proxy would send it no traffic either.
    return { detail: `ports[${i}].name is ${bad}`, rules: ['port-name', 'port-name-mismatch'] };
  },
  'duplicate-port-name': (slice) => {
    const ports = portsOf(slice);
    const first = ports[0];
    ports.push({ name: first.name, port: Number(first.port) + 1, protocol: first.protocol });
    return { detail: `ports[${ports.length - 1}].name repeats ${JSON.stringify(first.name)}`, rules: ['port-name'] };
  },
  'missing-service-name': (slice) => {
    const labels = (slice.metadata as Obj).labels as Obj;
    delete labels['kubernetes.io/service-name'];
    return { detail: 'no kubernetes.io/service-name label', rules: ['service-name-label'] };
  },
  'too-many-endpoints': (slice, pool) => {
    const eps = endpointsOf(slice);
    while (eps.length <= 1000) {
      const copy = structuredClone(eps[eps.length - 1]);
      copy.addresses = [slice.addressType === 'IPv6' ? pool.ipv6() : pool.ipv4()];
      eps.push(copy);
    }
    return { detail: `${eps.length} endpoints`, rules: ['endpoints-count', 'max-endpoints'] };
  },
};
