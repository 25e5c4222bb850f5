/**
 * AdmissionReview bodies for the webhook benchmark, built from the same deterministic shapes as
 * the offline corpora: typical reviews (CREATE and UPDATE of 1-10 endpoint slices, as the API
 * server sends them for manually written slices) and one UPDATE of a 1000-endpoint slice.
 */
import { createRandom, type Random } from './random.ts';
import { AddressPool, serviceGroup } from './shapes.ts';

type Obj = Record<string, unknown>;

/** A review body and the uid the answer must echo. */
export interface ReviewBody {
  uid: string;
  body: string;
}

/** Review bodies and the Services they belong to (given to the server with `--services`). */
export interface ReviewSet {
  reviews: ReviewBody[];
  services: Obj[];
}

/** Returns `n` typical reviews: about 70% CREATE, 30% UPDATE with an older version of the slice. */
export function typicalReviews(seed: number, n: number): ReviewSet {
  const r = createRandom(seed, 'reviews');
  const pool = new AddressPool();
  const out: ReviewBody[] = [];
  const services: Obj[] = [];
  for (let id = 0; out.length < n; id++) {
    const group = serviceGroup(r, pool, id, { exported: 0 });
    services.push(group.service);
    for (const slice of group.slices) {
      if (out.length === n) break;
      const update = r.chance(0.3);
      out.push(review(r, slice, update ? older(slice, pool) : undefined));
    }
  }
  return { reviews: out, services };
}

/** Returns the UPDATE review of a 1000-endpoint slice whose conditions changed. */
export function largeUpdateReview(seed: number): ReviewSet {
  const r = createRandom(seed, 'large-review');
  const pool = new AddressPool();
  // A distinct id keeps its Service apart from the typical reviews' Services.
  const group = serviceGroup(r, pool, 100_000, { endpoints: 1000, fqdn: false, exported: 0 });
  const slice = group.slices[0];
  return { reviews: [review(r, slice, older(slice, pool))], services: [group.service] };
}

/** The stored version: the same slice with one endpoint replaced and one condition flipped. */
function older(slice: Obj, pool: AddressPool): Obj {
  const old = structuredClone(slice);
  const eps = old.endpoints as Obj[];
  eps[0] = { ...eps[0], addresses: [old.addressType === 'IPv6' ? pool.ipv6() : old.addressType === 'FQDN' ? 'old-0.example.com' : pool.ipv4()] };
  const last = eps[eps.length - 1];
  last.conditions = { ready: false };
  return old;
}

function review(r: Random, slice: Obj, oldObject: Obj | undefined): ReviewBody {
  const meta = slice.metadata as Obj;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  // The API server sends the object with its namespace set.
  const object = { ...slice, metadata: { ...meta, namespace } };
  const uid = r.uuid();
  const request: Obj = {
    uid,
    kind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    resource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
    requestKind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
    requestResource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
    name: meta.name,
    namespace,
    operation: oldObject ? 'UPDATE' : 'CREATE',
    userInfo: { username: 'system:serviceaccount:argocd:argocd-application-controller', uid: r.uuid(), groups: ['system:serviceaccounts', 'system:serviceaccounts:argocd', 'system:authenticated'] },
    object,
    oldObject: oldObject ? { ...oldObject, metadata: { ...(oldObject.metadata as Obj), namespace } } : null,
    dryRun: false,
    options: oldObject ? { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'argocd-controller' } : { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'argocd-controller' },
  };
  // Keys in the order kube-apiserver writes them (Go struct order, maps sorted).
  return { uid, body: inApiServerOrder({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request }) };
}
// Go's encoding/json writes struct fields in declaration order, and kube-apiserver sends every
// AdmissionReview that way; the webhook's JSON.parse builds its objects (and V8 their hidden
// classes) in that order. The orders of the Kubernetes types (admission/v1, discovery/v1, meta/v1,
// core/v1):
const GO_ORDER: Record<string, readonly string[]> = {
  review: ['kind', 'apiVersion', 'request', 'response'],
  request: ['uid', 'kind', 'resource', 'subResource', 'requestKind', 'requestResource', 'requestSubResource', 'name', 'namespace', 'operation', 'userInfo', 'object', 'oldObject', 'dryRun', 'options'],
  userInfo: ['username', 'uid', 'groups', 'extra'],
  slice: ['kind', 'apiVersion', 'metadata', 'addressType', 'endpoints', 'ports'],
  metadata: ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'],
  endpoint: ['addresses', 'conditions', 'hostname', 'targetRef', 'deprecatedTopology', 'nodeName', 'zone', 'hints'],
  conditions: ['ready', 'serving', 'terminating'],
  targetRef: ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'],
  hints: ['forZones', 'forNodes'],
  port: ['name', 'protocol', 'port', 'appProtocol'],
};

/** Returns `o` with its keys in `order` first (those it has), then any others in their order. */
function ordered(o: unknown, order: readonly string[], inner: Record<string, (v: unknown) => unknown> = {}): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  const src = o as Obj;
  const out: Obj = {};
  for (const k of [...order.filter((k) => k in src), ...Object.keys(src).filter((k) => !order.includes(k))]) out[k] = inner[k] ? inner[k](src[k]) : src[k];
  return out;
}

const each = (f: (v: unknown) => unknown) => (v: unknown) => (Array.isArray(v) ? v.map(f) : v);
const endpointInOrder = (e: unknown): unknown =>
  ordered(e, GO_ORDER.endpoint, { conditions: (c) => ordered(c, GO_ORDER.conditions), targetRef: (t) => ordered(t, GO_ORDER.targetRef), hints: (h) => ordered(h, GO_ORDER.hints) });
/** A Go map: encoding/json writes its keys sorted. */
const sortedMap = (m: unknown): unknown => (m !== null && typeof m === 'object' && !Array.isArray(m) ? ordered(m, Object.keys(m).sort()) : m);
const sliceInOrder = (s: unknown): unknown =>
  ordered(s, GO_ORDER.slice, {
    metadata: (m) => ordered(m, GO_ORDER.metadata, { labels: sortedMap, annotations: sortedMap }),
    endpoints: each(endpointInOrder),
    ports: each((p) => ordered(p, GO_ORDER.port)),
  });

/**
 * Returns the JSON text of an AdmissionReview of an EndpointSlice with the keys of the review, its
 * request, userInfo, object and oldObject (metadata, endpoints and their conditions, targetRef
 * and hints, ports) in the order kube-apiserver writes them (Go struct order; labels, annotations
 * and userInfo.extra sorted, as Go writes maps). Other nested values keep their own order (the
 * benchmark builds ownerReferences and the group-version objects in Go order already).
 */
export function inApiServerOrder(review: Obj): string {
  const request = (r: unknown): unknown =>
    ordered(r, GO_ORDER.request, { userInfo: (u) => ordered(u, GO_ORDER.userInfo, { extra: sortedMap }), object: sliceInOrder, oldObject: sliceInOrder });
  return JSON.stringify(ordered(review, GO_ORDER.review, { request }));
}
