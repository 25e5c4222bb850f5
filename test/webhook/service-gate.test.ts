import { expect } from 'chai';
import { ServiceGate, type LiveServiceSource } from '../../webhook/service-gate.ts';
import type { CacheState } from '../../webhook/service-cache.ts';
import { ServiceIndex } from '../../policies/services.ts';
import type { ServiceInfo } from '../../policies/types.ts';
import { slice } from '../helpers/fixtures.ts';

/** A stand-in for the live cache: a Service index with a state and a wait that can be fed. */
class FakeSource extends ServiceIndex implements LiveServiceSource {
  state: CacheState = 'synced';
  waits: string[] = [];
  arriving: ServiceInfo | undefined;
  async waitFor(namespace: string, name: string, ms: number): Promise<unknown> {
    this.waits.push(`${namespace}/${name} ${ms}`);
    if (this.arriving) this.set(this.arriving);
    return this.get(namespace, name);
  }
}
const info = (name: string): ServiceInfo => ({ namespace: 'default', name, hasSelector: false, ports: [], ipFamilies: [] });

describe('ServiceGate', () => {
  it('uses a synced cache without waiting when it holds the Service, answering at once (no promise: the webhook batches it)', async () => {
    const src = new FakeSource();
    src.set(info('example'));
    const answer = new ServiceGate({ source: src, staleMode: 'skip', waitMs: 1500 }).forReview(slice(), undefined);
    expect(answer).not.to.be.instanceOf(Promise);
    const v = await answer;
    expect(v.services).to.equal(src);
    expect(v.warnings).to.deep.equal([]);
    expect(src.waits).to.deep.equal([]);
  });
  it('waits for a Service the cache has not seen, in the slice namespace or the request namespace', async () => {
    const src = new FakeSource();
    src.arriving = info('example');
    const gate = new ServiceGate({ source: src, staleMode: 'skip', waitMs: 1500 });
    const waiting = gate.forReview(slice(), undefined);
    expect(waiting).to.be.instanceOf(Promise);
    const v = await waiting;
    expect(src.waits).to.deep.equal(['default/example 1500']);
    expect(v.services?.get('default', 'example')?.name).to.equal('example');
    const noNs = slice();
    delete (noNs.metadata as Record<string, unknown>).namespace;
    await gate.forReview(noNs, 'shop');
    expect(src.waits[1]).to.equal('shop/example 1500');
  });
  it('skips the rules with a warning while stale in skip mode, and denies named slices in deny mode', async () => {
    const src = new FakeSource();
    src.state = 'stale';
    const skip = await new ServiceGate({ source: src, staleMode: 'skip', waitMs: 0 }).forReview(slice(), undefined);
    expect(skip).to.deep.equal({ services: undefined, warnings: ['The Service cache is stale (its watch of the API server broke); Service-aware rules were skipped.'] });
    const deny = await new ServiceGate({ source: src, staleMode: 'deny', waitMs: 0 }).forReview(slice(), undefined);
    expect(deny.deny).to.equal('The Service cache is stale (its watch of the API server broke); Service-aware rules cannot judge this slice.');
    const unnamed = await new ServiceGate({ source: src, staleMode: 'deny', waitMs: 0 }).forReview(slice({ labels: {} }), undefined);
    expect(unnamed).to.deep.equal({ services: undefined, warnings: [] });
  });
  it('skips the rules before the first sync (readiness keeps reviews away then)', async () => {
    const src = new FakeSource();
    src.state = 'unsynced';
    const v = await new ServiceGate({ source: src, staleMode: 'deny', waitMs: 100 }).forReview(slice(), undefined);
    expect(v).to.deep.equal({ services: undefined, warnings: ['Service cache has not synced yet; Service-aware rules were skipped.'] });
  });
});
