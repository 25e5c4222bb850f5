/**
 * What the policy rules share: the well-known labels, the controllers' identities, and safe
 * readers for labels, ports and the slice's Service. Readers never throw on wrong-typed input
 * (the decode gate reports type errors); they skip what they cannot read.
 */
import type { RuleContext } from './define-rule.ts';
import type { ServiceInfo } from './types.ts';
import { isRecord } from './slice.ts';
import { addressFacts, fitAddressMemo, type AddressFacts } from './ip.ts';
import { quote } from './format.ts';

/** The label that ties a slice to its Service; kube-proxy ignores slices without it. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Multi-Cluster Services imports carry this instead (KEP-1645). */
export const MCS_SERVICE_NAME_LABEL = 'multicluster.kubernetes.io/service-name';
/** Who manages the slice; the in-tree controllers reconcile only slices with their own value. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** The values the endpointslice and endpointslicemirroring controllers reserve for themselves. */
export const CONTROLLER_MANAGERS = ['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io'];
/**
 * The users those controllers write as: their service accounts when kube-controller-manager runs
 * with `--use-service-account-credentials` (kubeadm's default), else kube-controller-manager itself.
 */
export const CONTROLLER_USERS = [
  'system:serviceaccount:kube-system:endpointslice-controller',
  'system:serviceaccount:kube-system:endpointslicemirroring-controller',
  'system:kube-controller-manager',
];

/** JSON Schema of the `controllerUsers` option: extra identities that count as the controllers. */
export const CONTROLLER_USERS_SCHEMA = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true };

/** Returns the object's labels map, or undefined when it has none (or a wrong-typed one). */
export function labelsOf(object: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const meta = object.metadata;
  return isRecord(meta) && isRecord(meta.labels) ? meta.labels : undefined;
}

/** Returns the field path of one label, as `field.Path` writes a map key: `metadata.labels[key]`. */
export function labelPath(key: string): string {
  return `metadata.labels[${key}]`;
}

/** Returns a label's value when it is a string, else undefined. */
export function labelOf(object: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = labelsOf(object)?.[key];
  return typeof v === 'string' ? v : undefined;
}

type AnyContext = RuleContext<unknown, string>;

/** Returns the slice's Service when the label names one and the Service source has it. */
export function serviceOf(slice: Readonly<Record<string, unknown>>, ctx: Pick<AnyContext, 'services' | 'namespace'>): ServiceInfo | undefined {
  const name = labelOf(slice, SERVICE_NAME_LABEL);
  if (!ctx.services || !name || ctx.namespace === undefined) return undefined;
  return ctx.services.get(ctx.namespace, name);
}

/**
 * True when the webhook sees one of the controllers' own writes (by the request's user), which
 * the rules about hand-written slices do not judge. Offline, every file is hand-written.
 */
export function isControllerWrite(ctx: Pick<AnyContext, 'mode' | 'userInfo'>, extraUsers: readonly string[] = []): boolean {
  if (ctx.mode !== 'webhook') return false;
  const user = ctx.userInfo?.username;
  return user !== undefined && (CONTROLLER_USERS.includes(user) || extraUsers.includes(user));
}

/** A port after defaulting, as kube-proxy matches it to Service ports. */
export interface PortKey {
  name: string;
  protocol: string;
}

/** Returns a slice port's (name, protocol) with the API defaults ("" and TCP), or undefined when wrong-typed. */
export function portKeyOf(port: unknown): PortKey | undefined {
  if (port === null) return { name: '', protocol: 'TCP' };
  if (!isRecord(port)) return undefined;
  const name = port.name ?? '';
  const protocol = port.protocol ?? 'TCP';
  if (typeof name !== 'string' || typeof protocol !== 'string') return undefined;
  return { name, protocol };
}

/** Returns the map key of a port: `name/protocol`. */
export function portId(p: PortKey): string {
  return `${p.name}/${p.protocol}`;
}

/** Returns a port as people read it: `"http"/TCP`, or `unnamed/TCP`. */
export function showPort(p: PortKey): string {
  // Both come from the input: shortened, so a 1 MiB port name cannot make a 1 MiB message.
  const protocol = p.protocol.length <= 8 ? p.protocol : quote(p.protocol, 12);
  return `${p.name === '' ? 'unnamed' : quote(p.name, 64)}/${protocol}`;
}

/** Returns a list for a message, at most `max` items, then "and N more". */
export function showList(items: readonly string[], max = 4): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * Calls `fn` for every endpoint that is an object (all of them, no cap), with its index. A plain
 * loop, no pairs: on a 1000-endpoint review the pairs were most of what the rules allocated.
 */
export function forEachObjectEndpoint(slice: Readonly<Record<string, unknown>>, fn: (endpoint: Record<string, unknown>, index: number) => void): void {
  const list = slice.endpoints;
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const endpoint: unknown = list[i];
    if (isRecord(endpoint)) fn(endpoint, i);
  }
}

/**
 * Calls `fn` for every string address of every endpoint that is an object (all of them, no cap),
 * with the endpoint's and the address's indexes. Plain loops: it runs for every address of every
 * slice in several rules.
 */
export function forEachAddress(slice: Readonly<Record<string, unknown>>, fn: (address: string, endpoint: number, index: number) => void): void {
  const list = slice.endpoints;
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const endpoint = list[i];
    if (!isRecord(endpoint)) continue;
    const addresses = endpoint.addresses;
    if (!Array.isArray(addresses)) continue;
    for (let j = 0; j < addresses.length; j++) {
      const value = addresses[j];
      if (typeof value === 'string') fn(value, i, j);
    }
  }
}

/**
 * The string addresses of a slice's object endpoints (all of them, no cap), flattened: the text,
 * the endpoint's index and the address's index. For IPv4 and IPv6 slices `facts` holds each
 * address's parse (undefined when unparsable); for other address types it is empty.
 */
export interface AddressList {
  values: string[];
  endpoint: number[];
  index: number[];
  facts: (AddressFacts | undefined)[];
}

let lastContext: unknown;
let lastEndpoints: unknown;
let lastAddressType: unknown;
let lastList: AddressList = { values: [], endpoint: [], index: [], facts: [] };

/**
 * Returns the slice's addresses, computed once per evaluation: `ip-address`, `canonical-ip`,
 * `special-ip` and `duplicate-address` each walked the endpoints and looked every address up again.
 * Keyed by the rule context, which the engine makes per evaluation, and the endpoints list.
 */
export function addressesOf(slice: Readonly<Record<string, unknown>>, ctx: object): AddressList {
  const endpoints = slice.endpoints;
  const addressType = slice.addressType;
  if (ctx === lastContext && endpoints === lastEndpoints && addressType === lastAddressType) return lastList;
  const list: AddressList = { values: [], endpoint: [], index: [], facts: [] };
  const ip = addressType === 'IPv4' || addressType === 'IPv6';
  // Nearly every endpoint has one address.
  if (ip && Array.isArray(endpoints)) fitAddressMemo(endpoints.length);
  forEachAddress(slice, (value, i, j) => {
    list.values.push(value);
    list.endpoint.push(i);
    list.index.push(j);
    if (ip) list.facts.push(addressFacts(value));
  });
  lastContext = ctx;
  lastEndpoints = endpoints;
  lastAddressType = addressType;
  return (lastList = list);
}

/** True when the slice lists at least one endpoint (slices without endpoints are not judged on ports). */
export function hasEndpoints(slice: Readonly<Record<string, unknown>>): boolean {
  return Array.isArray(slice.endpoints) && slice.endpoints.length > 0;
}

/**
 * Returns the form in which two addresses of a slice compare equal: the canonical IP for IP
 * slices (`010.0.0.1` is `10.0.0.1` to the API server), the lower-cased name without its one
 * trailing dot for FQDN slices, else the text itself. `facts`, when the caller has them
 * (`addressesOf`), spares the memo lookup.
 */
export function addressKey(addressType: unknown, address: string, facts?: AddressFacts): string {
  if (addressType === 'FQDN') return (address.endsWith('.') ? address.slice(0, -1) : address).toLowerCase();
  const ip = addressType === 'IPv4' || addressType === 'IPv6' ? (facts ?? addressFacts(address)) : undefined;
  return ip ? ip.canonical : address;
}
