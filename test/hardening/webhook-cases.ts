/**
 * Request bodies that are not quite an AdmissionReview, for the webhook hostile-client test. By
 * contracts.md: a body that is not JSON, or JSON that is not an AdmissionReview v1 (a `request.uid`
 * that is not a string included), is a 400; a review whose envelope is sound gets a review answer
 * with its uid, whatever its object holds. Envelope fields the contract does not name may go
 * either way, but never to a 500 or a dropped connection.
 */
import { admissionReview } from '../webhook/helpers.ts';
import { slice } from '../helpers/fixtures.ts';

/** One hostile body and what may answer it. */
export interface HostileReview {
  name: string;
  body: string;
  uid: unknown;
  expect: '400' | 'review' | 'either';
}

/** How one case was answered (for the table in docs/security.md). */
export interface Outcome {
  name: string;
  status: number;
  allowed: boolean | undefined;
}

type Obj = Record<string, unknown>;

/** Returns the hostile bodies: not reviews, broken envelopes, and sound envelopes around bad objects. */
export function hostileReviews(): HostileReview[] {
  const review = (name: string, request: Obj, expect: HostileReview['expect']): HostileReview => {
    const body = admissionReview({ uid: `u-${name}`, object: slice(), ...request });
    return { name, body: JSON.stringify(body), uid: (body.request as Obj).uid, expect };
  };
  const raw = (name: string, body: string): HostileReview => ({ name, body, uid: undefined, expect: '400' });
  const withRequest = (name: string, request: unknown): HostileReview =>
    raw(name, JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request }));
  return [
    raw('empty body', ''),
    raw('not JSON', 'apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\n'),
    raw('a JSON list', '[]'),
    raw('a JSON string', '"AdmissionReview"'),
    raw('a JSON number', '1'),
    raw('null', 'null'),
    raw('an empty object', '{}'),
    raw('an EndpointSlice, not a review', JSON.stringify(slice())),
    raw('kind only', '{"kind":"AdmissionReview"}'),
    raw('v1beta1 review', JSON.stringify({ ...admissionReview({ object: slice() }), apiVersion: 'admission.k8s.io/v1beta1' })),
    raw('a response, not a request', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"x","allowed":true}}'),
    withRequest('request null', null),
    withRequest('request a list', []),
    withRequest('request a string', 'x'),
    review('uid missing', { uid: undefined }, '400'),
    review('uid a number', { uid: 42 }, '400'),
    review('uid an object', { uid: { a: 1 } }, '400'),
    review('uid empty', { uid: '' }, 'either'),
    review('uid of 100 kB', { uid: 'u'.repeat(100_000) }, 'either'),
    review('operation missing', { operation: undefined }, 'either'),
    review('operation PATCH', { operation: 'PATCH' }, 'either'),
    review('operation a number', { operation: 5 }, 'either'),
    review('object missing', { object: undefined }, 'either'),
    review('object a string', { object: 'EndpointSlice' }, 'either'),
    review('object a list', { object: [slice()] }, 'either'),
    review('object of another kind', { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }, 'review'),
    review('object with __proto__ keys', { object: JSON.parse(JSON.stringify(slice()).replace('{"apiVersion"', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"apiVersion"')) as Obj }, 'review'),
    review('object with wrong types everywhere', { object: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: [], addressType: 7, ports: {}, endpoints: 'x' } }, 'review'),
    review('UPDATE with oldObject a string', { operation: 'UPDATE', oldObject: 'x' }, 'either'),
    review('DELETE with object set and no oldObject', { operation: 'DELETE' }, 'either'),
    review('userInfo a string', { userInfo: 'system:serviceaccount:kube-system:endpointslice-controller' }, 'either'),
    review('userInfo.username a number', { userInfo: { username: 5, groups: 'system:masters' } }, 'either'),
    review('namespace a number', { namespace: 5 }, 'either'),
    review('dryRun a string', { dryRun: 'yes' }, 'either'),
    review('kind and resource wrong', { kind: 'EndpointSlice', resource: 7 }, 'either'),
  ];
}
