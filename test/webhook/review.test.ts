import { expect } from 'chai';
import { reviewAdmission, type ReviewDeps } from '../../webhook/review.ts';
import { createPolicy } from '../../policies/policy.ts';
import { parsePolicyText } from '../../policies/policy-file.ts';
import { applyPatch } from '../../policies/patch.ts';
import { defineRule } from '../../policies/define-rule.ts';
import { RULES } from '../../policies/rules/index.ts';
import { ServiceIndex, serviceInfoFrom } from '../../policies/services.ts';
import { deepFreeze, service, slice } from '../helpers/fixtures.ts';
import { admissionReview, decodePatch } from './helpers.ts';

const UID = '705ab4f5-6393-11e8-b7cc-42010a800002';
const deps: ReviewDeps = { policy: createPolicy(), onError: 'deny' };
const MANAGED = 'endpointslice.kubernetes.io/managed-by';

/** The whole answer of an allowed review without warnings or patch. */
function allowed(uid = UID): unknown {
  return { status: 200, body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } } };
}

function answer(body: unknown, kind: 'validate' | 'mutate' = 'validate', d: ReviewDeps = deps): { status: number; body: unknown } {
  const { status, body: out } = reviewAdmission(deepFreeze(body), kind, d);
  return { status, body: out };
}

describe('reviewAdmission: /validate', () => {
  it('allows a valid CREATE with nothing to say: uid, apiVersion and kind echoed, no status, warnings or patch', () => {
    expect(answer(admissionReview({ object: slice() }))).to.deep.equal(allowed());
  });

  it('denies with 403, a message naming the rules and the fields, and warns about warn findings', () => {
    const object = slice({ labels: { 'kubernetes.io/service-name': 'web' }, endpoints: [{ addresses: ['10.1.2.3', '240.0.0.7'] }] });
    expect(answer(admissionReview({ object }))).to.deep.equal({
      status: 200,
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: UID,
          allowed: false,
          status: {
            code: 403,
            reason: 'Forbidden',
            message: '1 problem (rule special-ip): [special-ip] endpoints[0].addresses[1]: Address "240.0.0.7" is in the reserved range 240.0.0.0/4; it must not be an endpoint.',
          },
          warnings: [
            'Slice has no endpointslice.kubernetes.io/managed-by label; set it to the tool or team that writes it.',
            'multi-address-endpoint at endpoints[0].addresses: Endpoint has 2 addresses; kube-proxy uses only the first, 10.1.2.3.',
          ],
        },
      },
    });
  });

  it('names several rules and counts what it does not list', () => {
    const endpoints = Array.from({ length: 12 }, (_, i) => ({ addresses: [`240.0.0.${i + 1}`] }));
    const res = answer(admissionReview({ object: slice({ endpoints, ports: [{ name: 'HTTP', port: 80 }] }) }));
    const message = (res.body as { response: { status: { message: string } } }).response.status.message;
    // At least one finding of every rule is listed, in path order: endpoints before ports.
    expect(message).to.match(/^13 problems \(rules port-name, special-ip\): \[special-ip\] endpoints\[0\]\.addresses\[0\]: Address "240\.0\.0\.1" is in /);
    expect(message.match(/\[special-ip\]/g)).to.have.length(9);
    expect(message).to.include(' [port-name] ports[0].name: ');
    expect(message).to.match(/ And 3 more\.$/);
  });

  it('UPDATE: judges with oldObject (immutable addressType) and ratchets unchanged endpoints', () => {
    const update = (object: unknown, oldObject: unknown): unknown => admissionReview({ operation: 'UPDATE', object, oldObject, options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' } });
    const v6 = slice({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }] });
    expect(answer(update(v6, slice()))).to.deep.equal({
      status: 200,
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: UID,
          allowed: false,
          status: { code: 403, reason: 'Forbidden', message: '1 problem (rule address-type): [address-type] addressType: Address type cannot change on update: it was "IPv4" and is now "IPv6".' },
        },
      },
    });
    // A bad nodeName that was already stored is not the writer's fault on 1.33+ (ratcheting) ...
    const bad = slice({ endpoints: [{ addresses: ['10.0.0.1'], nodeName: 'Bad_Node' }] });
    expect(answer(update(bad, bad))).to.deep.equal(allowed());
    // ... but the same object as a CREATE is denied.
    expect((answer(admissionReview({ object: bad })).body as { response: { allowed: boolean } }).response.allowed).to.equal(false);
  });

  it('DELETE (object null, oldObject set) and CONNECT have nothing to check, on both paths', () => {
    const del = admissionReview({ operation: 'DELETE', object: null, oldObject: slice({ endpoints: [{ addresses: ['240.0.0.1'] }] }) });
    expect(answer(del, 'validate')).to.deep.equal(allowed());
    expect(answer(del, 'mutate')).to.deep.equal(allowed());
    expect(answer(admissionReview({ operation: 'CONNECT', object: null }))).to.deep.equal(allowed());
  });

  it('CREATE through generateName: no request.name, no metadata.name, allowed; the log names the prefix', () => {
    const object = slice();
    const meta = object.metadata as Record<string, unknown>;
    delete meta.name;
    meta.generateName = 'web-';
    const body = admissionReview({ object });
    expect((body.request as Record<string, unknown>).name).to.equal(undefined);
    const result = reviewAdmission(body, 'validate', deps);
    expect({ status: result.status, body: result.body }).to.deep.equal(allowed());
    expect(result.summary).to.deep.include({ name: 'web-*', operation: 'CREATE', namespace: 'default', user: 'alice', decision: 'allowed' });
  });

  it('dryRun gets the same answer and leaves the request untouched (frozen), with dryRun in the summary', () => {
    const object = slice({ endpoints: [{ addresses: ['240.0.0.1'] }] });
    const wet = reviewAdmission(deepFreeze(admissionReview({ object })), 'validate', deps);
    const dry = reviewAdmission(deepFreeze(admissionReview({ object, dryRun: true })), 'validate', deps);
    expect(dry.body).to.deep.equal(wet.body);
    expect([wet.summary.dryRun, dry.summary.dryRun]).to.deep.equal([false, true]);
  });

  it('managed-by-reserved: the request user decides (a person may not claim the controller, the controller may)', () => {
    const object = slice({ labels: { 'kubernetes.io/service-name': 'example', [MANAGED]: 'endpointslice-controller.k8s.io' } });
    const byAlice = answer(admissionReview({ object })).body as { response: { allowed: boolean; status: { message: string } } };
    expect(byAlice.response.allowed).to.equal(false);
    expect(byAlice.response.status.message).to.match(/^1 problem \(rule managed-by-reserved\)/);
    const controller = { username: 'system:serviceaccount:kube-system:endpointslice-controller', groups: ['system:serviceaccounts'] };
    expect(answer(admissionReview({ object, userInfo: controller }))).to.deep.equal(allowed());
  });

  it('request.namespace is the namespace of an object without one; with neither, metadata.namespace is reported', () => {
    const object = slice();
    delete (object.metadata as Record<string, unknown>).namespace;
    expect(answer(admissionReview({ object, namespace: 'shop' }))).to.deep.equal(allowed());
    const none = answer(admissionReview({ object, namespace: '' })).body as { response: { status: { message: string } } };
    expect(none.response.status.message).to.equal(
      '1 problem (rule metadata-namespace): [metadata-namespace] metadata.namespace: Slice has no namespace and none comes with the request; metadata.namespace is required.',
    );
  });

  it('uses the Service source for the Service-aware rules, by request namespace', () => {
    const services = new ServiceIndex();
    services.set(serviceInfoFrom(service({ name: 'example', namespace: 'shop', ports: [{ port: 80 }] }), 'default')!);
    const object = slice({ metadata: { namespace: 'shop' } });
    const res = answer(admissionReview({ object, namespace: 'shop' }), 'validate', { ...deps, services }).body as { response: { allowed: boolean; status: { message: string } } };
    expect(res.response.allowed).to.equal(false);
    expect(res.response.status.message).to.match(/^1 problem \(rule port-name-mismatch\)/);
  });

  it('never sends a patch from /validate, even when fixes exist', () => {
    const object = slice({ labels: { 'kubernetes.io/service-name': 'example' } });
    const res = answer(admissionReview({ object })).body as { response: Record<string, unknown> };
    expect(res.response).to.not.have.any.keys('patch', 'patchType');
    expect(res.response.warnings).to.deep.equal(['Slice has no endpointslice.kubernetes.io/managed-by label; set it to the tool or team that writes it.']);
  });
});

describe('reviewAdmission: /mutate', () => {
  function mutated(object: Record<string, unknown>, d: ReviewDeps = deps, request: Record<string, unknown> = {}): { response: Record<string, unknown>; fixed: unknown } {
    const body = answer(admissionReview({ object, ...request }), 'mutate', d).body as { response: Record<string, unknown> };
    const patch = decodePatch(body);
    return { response: body.response, fixed: patch ? applyPatch(object, patch) : object };
  }

  it('adds the managed-by label to a manual slice: base64 JSONPatch that applies to the request object', () => {
    const object = slice({ labels: { 'kubernetes.io/service-name': 'example' } });
    const { response, fixed } = mutated(object);
    expect(response).to.deep.equal({
      uid: UID,
      allowed: true,
      patchType: 'JSONPatch',
      patch: Buffer.from(JSON.stringify([{ op: 'add', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by', value: 'sliceguard' }])).toString('base64'),
    });
    expect(fixed).to.deep.equal(slice());
    // The patched object passes /validate without the warning.
    expect(answer(admissionReview({ object: fixed }))).to.deep.equal(allowed());
  });

  it('puts IPv6 addresses into canonical form, which the API server would refuse otherwise (1.33+)', () => {
    const object = slice({ addressType: 'IPv6', endpoints: [{ addresses: ['FD00:0:0::0001'] }, { addresses: ['fd00::2'] }] });
    const { response, fixed } = mutated(object);
    expect(decodePatch({ response })).to.deep.equal([{ op: 'replace', path: '/endpoints/0/addresses/0', value: 'fd00::1' }]);
    expect((fixed as { endpoints: unknown }).endpoints).to.deep.equal([{ addresses: ['fd00::1'] }, { addresses: ['fd00::2'] }]);
  });

  it('adds the whole labels map when there is none, and applies opt-in fixes the policy enables', () => {
    const policy = parsePolicyText('apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  fqdn-lowercase: warn\n  managed-by-missing: {options: {value: team-x}}\n', 'p.yaml');
    const object = slice({ addressType: 'FQDN', endpoints: [{ addresses: ['API.Example.com'] }] });
    delete (object.metadata as Record<string, unknown>).labels;
    const { fixed } = mutated(object, { ...deps, policy });
    expect((fixed as { metadata: unknown }).metadata).to.deep.equal({ name: 'example-abc12', namespace: 'default', labels: { [MANAGED]: 'team-x' } });
    expect((fixed as { endpoints: unknown }).endpoints).to.deep.equal([{ addresses: ['api.example.com'] }]);
  });

  it('sends no patch fields when there is nothing to fix or the fixing rule is off', () => {
    expect(answer(admissionReview({ object: slice() }), 'mutate')).to.deep.equal(allowed());
    const off = { ...deps, policy: parsePolicyText('apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  managed-by-missing: off\n', 'p.yaml') };
    expect(answer(admissionReview({ object: slice({ labels: { 'kubernetes.io/service-name': 'example' } }) }), 'mutate', off)).to.deep.equal(allowed());
  });

  it('never changes the controllers\' slices: by request user, by managed-by label, or by a configured controller user', () => {
    const v6 = { addressType: 'IPv6', endpoints: [{ addresses: ['FD00::1'] }] };
    const byUser = slice({ ...v6, labels: { 'kubernetes.io/service-name': 'example' } });
    for (const username of ['system:serviceaccount:kube-system:endpointslice-controller', 'system:serviceaccount:kube-system:endpointslicemirroring-controller', 'system:kube-controller-manager']) {
      expect(answer(admissionReview({ object: byUser, userInfo: { username } }), 'mutate')).to.deep.equal(allowed());
    }
    const byLabel = slice({ ...v6, labels: { 'kubernetes.io/service-name': 'example', [MANAGED]: 'endpointslicemirroring-controller.k8s.io' } });
    expect(answer(admissionReview({ object: byLabel }), 'mutate')).to.deep.equal(allowed());
    const policy = parsePolicyText('apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  managed-by-reserved: {options: {controllerUsers: [system:serviceaccount:mesh:mirror]}}\n', 'p.yaml');
    expect(answer(admissionReview({ object: byUser, userInfo: { username: 'system:serviceaccount:mesh:mirror' } }), 'mutate', { ...deps, policy })).to.deep.equal(allowed());
    // The same slice by a person is fixed.
    expect(decodePatch(answer(admissionReview({ object: byUser }), 'mutate').body)).to.have.length(2);
  });

  it('never warns or denies: /validate judges the final object', () => {
    expect(answer(admissionReview({ object: slice({ endpoints: [{ addresses: ['240.0.0.1', '10.0.0.2'] }] }) }), 'mutate')).to.deep.equal(allowed());
  });
});

describe('reviewAdmission: internal rule errors', () => {
  const broken = defineRule<Record<string, never>, 'never'>({
    meta: { id: 'broken', category: 'policy', description: 'Throws.', defaultSeverity: 'deny', fixable: false, schema: { type: 'object' }, defaultOptions: {}, messages: { never: 'Never.' } },
    check() {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  });
  const policy = createPolicy({}, '<test>', [...RULES, broken]);

  it('--on-error deny: allowed false with code 500 and the error in the message', () => {
    expect(answer(admissionReview({ object: slice() }), 'validate', { policy, onError: 'deny' })).to.deep.equal({
      status: 200,
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: UID,
          allowed: false,
          status: {
            code: 500,
            reason: 'InternalError',
            message: "sliceguard could not check this object: Rule broken failed: Cannot read properties of undefined (reading 'x') Denied by --on-error deny.",
          },
        },
      },
    });
  });

  it('--on-error allow: allowed, the error in the status message and in a warning the client sees; /mutate too', () => {
    const expected = {
      status: 200,
      body: {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: {
          uid: UID,
          allowed: true,
          status: { code: 200, message: "sliceguard could not check this object: Rule broken failed: Cannot read properties of undefined (reading 'x') Allowed by --on-error allow." },
          warnings: ["sliceguard could not check this object (Rule broken failed: Cannot read properties of undefined (reading 'x'));…"],
        },
      },
    };
    expect(answer(admissionReview({ object: slice() }), 'validate', { policy, onError: 'allow' })).to.deep.equal(expected);
    expect(answer(admissionReview({ object: slice() }), 'mutate', { policy, onError: 'allow' })).to.deep.equal(expected);
    const result = reviewAdmission(admissionReview({ object: slice() }), 'validate', { policy, onError: 'allow' });
    expect(result.summary).to.deep.include({ decision: 'error', allowed: true, error: "Rule broken failed: Cannot read properties of undefined (reading 'x')" });
  });
});

describe('reviewAdmission: bodies that are not an AdmissionReview v1 get 400 with a metav1.Status', () => {
  const status = (message: string): unknown => ({
    status: 400,
    body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', message: `Not an AdmissionReview v1: ${message}`, reason: 'BadRequest', code: 400 },
  });
  const base = admissionReview({ object: slice() });
  const req = base.request as Record<string, unknown>;
  const cases: [string, unknown, string][] = [
    ['a list', [base], 'Expected an AdmissionReview object, got a list.'],
    ['a string', 'hello', 'Expected an AdmissionReview object, got "hello".'],
    ['v1beta1', { ...base, apiVersion: 'admission.k8s.io/v1beta1' }, 'apiVersion is "admission.k8s.io/v1beta1"; sliceguard reads admission.k8s.io/v1 only (admissionReviewVersions: [v1]).'],
    ['another kind', { ...base, kind: 'Pod' }, 'kind is "Pod"; expected AdmissionReview.'],
    ['no request (a response)', { ...base, request: undefined, response: { uid: 'x' } }, 'request is missing; expected an object.'],
    ['a numeric uid', { ...base, request: { ...req, uid: 42 } }, 'request.uid is 42; expected a non-empty string.'],
    ['an empty uid', { ...base, request: { ...req, uid: '' } }, 'request.uid is ""; expected a non-empty string.'],
    ['an unknown operation', { ...base, request: { ...req, operation: 'PATCH' } }, 'request.operation is "PATCH"; expected one of CREATE, UPDATE, DELETE, CONNECT.'],
    ['a CREATE without object', { ...base, request: { ...req, object: null } }, 'request.object is null; a CREATE carries the object.'],
    ['an UPDATE without oldObject', { ...base, request: { ...req, operation: 'UPDATE' } }, 'request.oldObject is null; an UPDATE carries the stored object.'],
  ];
  for (const [what, body, message] of cases) {
    it(what, () => {
      expect(answer(body)).to.deep.equal(status(message));
    });
  }
});
