import { expect } from 'chai';
import { KubeConfig } from '@kubernetes/client-node';
import { ServiceCache, type CacheState } from '../../webhook/service-cache.ts';
import { FakeServiceApi } from '../helpers/fake-kube-watch.ts';

function kubeConfigFor(server: string, ca: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server, caData: Buffer.from(ca).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', token: 'test-token' }],
    contexts: [{ name: 'c', cluster: 'fake', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ServiceCache against a list/watch API server', function () {
  this.timeout(20000);
  let api: FakeServiceApi;
  let cache: ServiceCache;
  let url: string;
  const states: CacheState[] = [];

  beforeEach(async () => {
    api = new FakeServiceApi();
    url = await api.start();
    for (let i = 0; i < 5; i++) api.put('shop', `svc-${i}`, { selector: { app: `a${i}` }, ports: [{ name: 'http', port: 80 }], ipFamilies: ['IPv4'] });
    api.put('other', 'db', { ports: [{ port: 5432 }] });
    states.length = 0;
    cache = new ServiceCache({ kubeConfig: kubeConfigFor(url, api.tls.cert), pageSize: 2, minBackoffMs: 50, maxBackoffMs: 200, onState: (s) => states.push(s) });
  });
  afterEach(async () => {
    await cache.stop();
    await api.stop();
  });

  it('lists in pages, then watches from the list resourceVersion with bookmarks; the requests are those of client-node', async () => {
    expect(cache.state).to.equal('unsynced');
    cache.start();
    await cache.waitForSync(5000);
    expect(cache.size).to.equal(6);
    expect(cache.get('shop', 'svc-3')).to.deep.include({ name: 'svc-3', namespace: 'shop', hasSelector: true, ipFamilies: ['IPv4'] });
    expect(cache.get('other', 'db')?.ports).to.deep.equal([{ name: '', protocol: 'TCP', port: 5432 }]);
    await until('a watch', () => api.openWatches === 1);
    const lists = api.requests.filter((r) => r.query.watch !== 'true');
    expect(lists.map((r) => [r.method, r.path, r.query.limit, r.query.continue])).to.deep.equal([
      ['GET', '/api/v1/services', '2', undefined],
      ['GET', '/api/v1/services', '2', 'c:2'],
      ['GET', '/api/v1/services', '2', 'c:4'],
    ]);
    const watch = api.requests.find((r) => r.query.watch === 'true')!;
    expect(watch.path).to.equal('/api/v1/services');
    expect(watch.query).to.deep.include({ watch: 'true', resourceVersion: '106', allowWatchBookmarks: 'true', timeoutSeconds: '290' });
    expect(watch.authorization).to.equal('Bearer test-token');
    expect(states).to.deep.equal(['synced']);
  });

  it('applies ADDED, MODIFIED and DELETED events as they stream in', async () => {
    cache.start();
    await cache.waitForSync(5000);
    await until('a watch', () => api.openWatches === 1);
    api.put('shop', 'new', { ports: [{ name: 'grpc', port: 9000, protocol: 'TCP' }] });
    api.put('shop', 'svc-0', { ports: [{ name: 'https', port: 443 }] });
    api.remove('other', 'db');
    await until('events applied', () => cache.get('shop', 'new') !== undefined && cache.get('other', 'db') === undefined && cache.get('shop', 'svc-0')?.ports[0].name === 'https');
    expect(cache.get('shop', 'svc-0')?.hasSelector).to.equal(false);
  });

  it('resumes a cut watch from the last resourceVersion, including one from a bookmark', async () => {
    cache.start();
    await cache.waitForSync(5000);
    await until('a watch', () => api.openWatches === 1);
    api.put('x', 'a', {});
    api.bookmark();
    await until('the event', () => cache.get('x', 'a') !== undefined);
    api.cutWatches();
    await until('a second watch', () => api.requests.filter((r) => r.query.watch === 'true').length === 2);
    const second = api.requests.filter((r) => r.query.watch === 'true')[1];
    expect(second.query.resourceVersion).to.equal('107');
    expect(api.requests.filter((r) => r.query.watch !== 'true')).to.have.length(3); // no relist
  });

  it('relists after 410 Gone and drops Services deleted meanwhile', async () => {
    cache.start();
    await cache.waitForSync(5000);
    await until('a watch', () => api.openWatches === 1);
    api.cutWatches();
    api.remove('shop', 'svc-1'); // happens while nobody watches...
    api.compact(); // ...and the history is gone, so resuming gets 410
    await until('the relist', () => cache.get('shop', 'svc-1') === undefined && api.requests.filter((r) => r.query.watch !== 'true').length >= 6);
    expect(cache.size).to.equal(5);
    expect(cache.state).to.equal('synced');
  });

  it('serves the last known state while the API server is down, marks it stale, and recovers', async () => {
    cache.start();
    await cache.waitForSync(5000);
    await until('a watch', () => api.openWatches === 1);
    api.down = true;
    api.compact();
    api.cutWatches();
    await until('stale', () => cache.state === 'stale');
    expect(cache.get('shop', 'svc-2')?.name).to.equal('svc-2');
    const failures = api.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(api.requests.length - failures, 'backs off instead of hammering').to.be.below(8);
    api.down = false;
    await until('synced again', () => cache.state === 'synced');
    expect(states[0]).to.equal('synced');
    expect(states).to.include('stale');
    expect(states[states.length - 1]).to.equal('synced');
  });

  it('lets a review wait briefly for a Service created in the same apply', async () => {
    cache.start();
    await cache.waitForSync(5000);
    await until('a watch', () => api.openWatches === 1);
    const waiting = cache.waitFor('shop', 'late', 3000);
    setTimeout(() => api.put('shop', 'late', { ports: [{ port: 1 }] }), 50);
    expect((await waiting)?.name).to.equal('late');
    expect(await cache.waitFor('shop', 'never', 50)).to.equal(undefined);
  });

  it('watches only the configured namespaces, one list+watch each', async () => {
    await cache.stop();
    cache = new ServiceCache({ kubeConfig: kubeConfigFor(url, api.tls.cert), namespaces: ['shop', 'team-b'] });
    cache.start();
    await cache.waitForSync(5000);
    expect(cache.size).to.equal(5);
    expect(cache.get('other', 'db')).to.equal(undefined);
    await until('two watches', () => api.openWatches === 2);
    const paths = api.requests.map((r) => `${r.path}${r.query.watch ? ' watch' : ''}`).sort();
    expect(paths).to.deep.equal(['/api/v1/namespaces/shop/services', '/api/v1/namespaces/shop/services watch', '/api/v1/namespaces/team-b/services', '/api/v1/namespaces/team-b/services watch']);
  });
});
