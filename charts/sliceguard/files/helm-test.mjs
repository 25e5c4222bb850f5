// `helm test` for sliceguard: sends one AdmissionReview (a dry-run CREATE of a small, valid
// EndpointSlice) to /validate through the Service, trusting only the webhook's CA, as the API
// server does. It passes when sliceguard answers with a well-formed AdmissionReview v1 for that
// request; the decision itself depends on the policy and is printed, not judged.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const url = new URL(process.env.SLICEGUARD_URL ?? '');
const ca = readFileSync(process.env.SLICEGUARD_CA_FILE ?? '');
const uid = `sliceguard-helm-test-${Date.now()}`;
const gvk = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' };
const gvr = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const slice = {
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: {
    name: 'sliceguard-helm-test',
    namespace: 'default',
    labels: {
      'kubernetes.io/service-name': 'sliceguard-helm-test',
      'endpointslice.kubernetes.io/managed-by': 'helm-test.sliceguard.dev',
    },
  },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
  endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
};
const review = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid,
    kind: gvk,
    resource: gvr,
    requestKind: gvk,
    requestResource: gvr,
    name: slice.metadata.name,
    namespace: slice.metadata.namespace,
    operation: 'CREATE',
    userInfo: { username: 'sliceguard-helm-test', groups: ['system:authenticated'] },
    object: slice,
    oldObject: null,
    dryRun: true,
    options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
  },
};

/** Returns why the answer is not a proper AdmissionReview for this request, or undefined. */
function problem(status, body) {
  if (status !== 200) return `HTTP status ${status}, expected 200: ${body.slice(0, 300)}`;
  let answer;
  try {
    answer = JSON.parse(body);
  } catch {
    return `the body is not JSON: ${body.slice(0, 300)}`;
  }
  if (answer.apiVersion !== 'admission.k8s.io/v1' || answer.kind !== 'AdmissionReview') {
    return `expected an admission.k8s.io/v1 AdmissionReview, got ${answer.apiVersion} ${answer.kind}`;
  }
  const response = answer.response ?? {};
  if (response.uid !== uid) return `response.uid is ${JSON.stringify(response.uid)}, expected ${uid}`;
  if (typeof response.allowed !== 'boolean') return 'response.allowed is not a boolean';
  if (response.patch !== undefined) return '/validate returned a patch; only /mutate may';
  const warnings = response.warnings ?? [];
  const reason = response.status?.message ? `: ${response.status.message}` : '';
  console.log(`sliceguard answered ${url.href}: allowed=${response.allowed}, ${warnings.length} warning(s)${reason}`);
  return undefined;
}

const body = JSON.stringify(review);
const req = request(
  url,
  {
    method: 'POST',
    ca,
    timeout: 10_000,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  },
  (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => {
      const why = problem(res.statusCode, text);
      if (why) {
        console.error(`helm test failed: ${why}`);
        process.exitCode = 1;
      }
    });
  },
);
req.on('timeout', () => req.destroy(new Error('no answer within 10 seconds')));
req.on('error', (err) => {
  console.error(`helm test failed: cannot reach ${url.href}: ${err.message}`);
  process.exitCode = 1;
});
req.end(body);
