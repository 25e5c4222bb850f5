/**
 * Memory of the live Service cache: 10,000 realistic Services (with labels, annotations and
 * managedFields, as kube-apiserver returns them) listed and watched from the list/watch test
 * server, then 50,000 reviews of slices for them through the gate and the review. Prints heap
 * after a forced GC at each step. Run: node --expose-gc bench/service-cache-memory.ts
 */
import { KubeConfig } from '@kubernetes/client-node';
import { FakeServiceApi } from '../test/helpers/fake-kube-watch.ts';
import { ServiceCache } from '../webhook/service-cache.ts';
import { ServiceGate } from '../webhook/service-gate.ts';
import { reviewAdmission } from '../webhook/review.ts';
import { createPolicy } from '../policies/policy.ts';

const SERVICES = Number(process.argv[2] ?? 10_000);
const REVIEWS = Number(process.argv[3] ?? 50_000);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMB = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};

const api = new FakeServiceApi();
const url = await api.start();
for (let i = 0; i < SERVICES; i++) {
  api.put(`ns-${i % 200}`, `svc-${i}`, {
    selector: { 'app.kubernetes.io/name': `svc-${i}` },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
    ipFamilies: ['IPv4'], clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`, type: 'ClusterIP',
    managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:ports': { 'k:{"port":80}': {} }, 'f:selector': {} } } }],
  });
}
const kc = new KubeConfig();
kc.loadFromOptions({ clusters: [{ name: 'f', server: url, caData: Buffer.from(api.tls.cert).toString('base64') }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'c', cluster: 'f', user: 'u' }], currentContext: 'c' });
const base = heapMB();
const cache = new ServiceCache({ kubeConfig: kc });
const t0 = performance.now();
cache.start();
await cache.waitForSync(120_000);
const syncMs = performance.now() - t0;
const afterSync = heapMB();
const gate = new ServiceGate({ source: cache, staleMode: 'skip', waitMs: 0 });
const policy = createPolicy({});
let denied = 0;
const rows: string[] = [];
for (let i = 0; i < REVIEWS; i++) {
  const n = i % SERVICES;
  const object = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `svc-${n}-manual-${i}`, namespace: `ns-${n % 200}`, labels: { 'kubernetes.io/service-name': `svc-${n}`, 'endpointslice.kubernetes.io/managed-by': 'ops' } },
    addressType: 'IPv4', ports: [{ name: i % 10 === 0 ? 'web' : 'http', protocol: 'TCP', port: 8080 }, { name: 'metrics', protocol: 'TCP', port: 9090 }],
    endpoints: [{ addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) || 1}`], conditions: { ready: true } }],
  };
  const body = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: `u-${i}`, kind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }, resource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' }, namespace: object.metadata.namespace, operation: 'CREATE', userInfo: { username: 'alice' }, object } };
  const serviceVerdict = await gate.forReview(object, object.metadata.namespace);
  const r = reviewAdmission(body, 'validate', { policy, onError: 'deny', serviceVerdict });
  if (!(r.body as { response: { allowed: boolean } }).response.allowed) denied++;
  if ((i + 1) % (REVIEWS / 5) === 0) rows.push(`after ${i + 1} reviews: heap ${heapMB().toFixed(1)} MB`);
}
console.log(`Services: ${cache.size} (listed in ${syncMs.toFixed(0)} ms); heap before ${base.toFixed(1)} MB, after sync ${afterSync.toFixed(1)} MB (+${(afterSync - base).toFixed(1)} MB, ${(((afterSync - base) * 1e6) / cache.size).toFixed(0)} bytes per Service)`);
for (const r of rows) console.log(r);
console.log(`denied ${denied} of ${REVIEWS} (every 10th slice has a port the Service lacks)`);
console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(1)} MB`);
await cache.stop();
await api.stop();
