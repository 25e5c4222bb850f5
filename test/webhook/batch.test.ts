/**
 * The lean handler answers the requests whose bodies arrived in one turn of the event loop
 * together, stage by stage (webhook/http.ts, `Batch`). These tests drive `handleAdmission` with
 * requests and responses that record what is done to them, so that the order of the stages, the
 * batch's byte cap and a failing request's neighbours can be seen; the real server over TLS is
 * tested in server.test.ts, including a burst of concurrent reviews.
 */
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BATCH_BYTES, BATCH_TURNS, MAX_BODY_BYTES, handleAdmission, type AdmissionHandlerOptions, type HandledRequest } from '../../webhook/http.ts';
import { reviewAdmission, type ReviewDeps } from '../../webhook/review.ts';
import type { ServiceVerdict } from '../../webhook/service-gate.ts';
import { createPolicy } from '../../policies/policy.ts';
import { slice } from '../helpers/fixtures.ts';
import { admissionReview } from './helpers.ts';

const deps: ReviewDeps = { policy: createPolicy(), onError: 'deny' };

/** A response that records its answer in `events` as `write NAME`. */
class FakeResponse extends EventEmitter {
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  status = 0;
  headers: Record<string, string | number> = {};
  body = '';
  private readonly name: string;
  private readonly events: string[];
  constructor(name: string, events: string[]) {
    super();
    this.name = name;
    this.events = events;
  }
  writeHead(status: number, headers: Record<string, string | number>): this {
    this.status = status;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }
  end(body: string): this {
    this.body = body;
    this.writableEnded = true;
    this.events.push(`write ${this.name}`);
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    this.events.push(`destroy ${this.name}`);
    return this;
  }
}

interface Harness {
  events: string[];
  handled: HandledRequest[];
  /** Starts a request: headers, then its body in one piece (the 'end' is emitted by `finish`). */
  request(name: string, body: string | Buffer, path?: 'validate' | 'mutate'): { res: FakeResponse; finish: () => void };
}

function harness(extra: Partial<AdmissionHandlerOptions> = {}): Harness {
  const events: string[] = [];
  const handled: HandledRequest[] = [];
  const opts: AdmissionHandlerOptions = {
    deps: () => deps,
    draining: () => false,
    done: (h) => {
      handled.push(h);
      events.push(`report ${h.summary.decision}`);
    },
    ...extra,
  };
  return {
    events,
    handled,
    request(name, body, kind = 'validate') {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      const req = Object.assign(new EventEmitter(), { method: 'POST', url: `/${kind}`, headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) } });
      const res = new FakeResponse(name, events);
      handleAdmission(req as unknown as IncomingMessage, res as unknown as ServerResponse, kind, opts);
      req.emit('data', bytes);
      return { res, finish: () => void req.emit('end') };
    },
  };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
/** Lets the event loop take as many turns as a batch may wait (BATCH_TURNS), and one to run it. */
async function nextBatch(): Promise<void> {
  for (let i = 0; i <= BATCH_TURNS; i++) await turn();
}

/** Runs `fn` with process.stderr.write captured, and returns what was written. */
async function capturingStderr(fn: () => Promise<void>): Promise<string> {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => ((text += String(chunk)), true)) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return text;
}
const review = (uid: string, object = slice()): string => JSON.stringify(admissionReview({ uid, object }));

describe('webhook handler: requests answered in batches', () => {
  it('answers the requests of one turn stage by stage: every answer written before any is reported, each the pure review', async () => {
    const h = harness();
    const bad = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1'] }] });
    const bodies = [review('a'), review('b', bad), '{not json', review('d')];
    const reqs = bodies.map((b, i) => h.request(String(i), b));
    for (const r of reqs) r.finish();
    expect(h.events, 'nothing before the check phase').to.deep.equal([]);
    await nextBatch();
    expect(h.events).to.deep.equal(['write 0', 'write 1', 'write 2', 'write 3', 'report allowed', 'report denied', 'report invalid', 'report allowed']);
    for (const i of [0, 1, 3]) {
      const pure = reviewAdmission(JSON.parse(bodies[i]), 'validate', deps);
      expect(reqs[i].res.status, `request ${i}`).to.equal(pure.status);
      expect(JSON.parse(reqs[i].res.body), `request ${i}`).to.deep.equal(pure.body);
      expect(reqs[i].res.headers['Content-Length']).to.equal(Buffer.byteLength(reqs[i].res.body));
    }
    expect(reqs[2].res.status).to.equal(400);
    expect(JSON.parse(reqs[2].res.body).message).to.match(/^Expected an AdmissionReview v1 in JSON; /);
    expect(h.handled.map((x) => x.bytes)).to.deep.equal(bodies.map((b) => Buffer.byteLength(b)));
    expect(h.handled.every((x) => x.seconds >= 0 && x.path === 'validate')).to.equal(true);
  });

  it('cuts a batch at BATCH_BYTES of bodies, so that big reviews are answered one by one', async () => {
    const h = harness();
    // Each body is a little over half the cap: no two fit in one batch.
    const pad = 'x'.repeat(Math.ceil(BATCH_BYTES / 2) + 1000);
    const big = (uid: string): string => JSON.stringify({ ...admissionReview({ uid, object: slice() }), pad });
    const reqs = ['a', 'b', 'c'].map((uid) => h.request(uid, big(uid)));
    const small = h.request('s', review('s'));
    for (const r of [...reqs, small]) r.finish();
    await nextBatch();
    // The last big one and the small one share a batch: together they are under the cap.
    expect(h.events).to.deep.equal(['write a', 'report allowed', 'write b', 'report allowed', 'write c', 'write s', 'report allowed', 'report allowed']);
  });

  it('a lone request is answered in the next turn: a batch waits only while requests keep coming', async () => {
    const h = harness();
    h.request('1', review('1')).finish();
    await turn();
    expect(h.events).to.deep.equal(['write 1', 'report allowed']);
  });

  it('waits one more turn while the last one brought requests, and answers them together', async () => {
    const h = harness();
    const reqs = ['a', 'b', 'c', 'd'].map((uid) => h.request(uid, review(uid)));
    reqs[0].finish();
    reqs[1].finish();
    // c arrives one turn later, d two turns later: each turn brought one, so the batch waited.
    setImmediate(() => {
      reqs[2].finish();
      setImmediate(() => reqs[3].finish());
    });
    await turn();
    await turn();
    expect(h.events, 'still waiting').to.deep.equal([]);
    await nextBatch();
    expect(h.events).to.deep.equal(['write a', 'write b', 'write c', 'write d', 'report allowed', 'report allowed', 'report allowed', 'report allowed']);
  });

  it('waits at most BATCH_TURNS turns, however many requests keep coming', async () => {
    const h = harness();
    const n = BATCH_TURNS + 3;
    const reqs = Array.from({ length: n }, (_, i) => h.request(String(i), review(String(i))));
    reqs[0].finish();
    reqs[1].finish();
    // One more request in each of the following turns.
    let next = 2;
    const more = (): void => {
      if (next >= n) return;
      reqs[next++].finish();
      setImmediate(more);
    };
    setImmediate(more);
    for (let i = 0; i <= BATCH_TURNS; i++) await turn();
    // The first batch holds the two of the first turn and one from each turn it waited.
    const firstBatch = BATCH_TURNS + 2;
    expect(h.events.filter((e) => e.startsWith('write'))).to.deep.equal(Array.from({ length: firstBatch }, (_, i) => `write ${i}`));
    await nextBatch();
    await nextBatch();
    expect(h.events.filter((e) => e.startsWith('write'))).to.have.length(n);
  });

  it('requests that complete in later turns go to later batches', async () => {
    const h = harness();
    const first = h.request('1', review('1'));
    const second = h.request('2', review('2'));
    first.finish();
    await nextBatch();
    expect(h.events).to.deep.equal(['write 1', 'report allowed']);
    second.finish();
    await nextBatch();
    expect(h.events).to.deep.equal(['write 1', 'report allowed', 'write 2', 'report allowed']);
  });

  it('a request whose report throws does not stop the others; its answer stands', async () => {
    let calls = 0;
    const events: string[] = [];
    const h = harness({
      done: (x) => {
        calls++;
        events.push(`report ${x.bytes}`);
        if (calls === 2) throw new Error('logger broke');
      },
    });
    const reqs = ['a', 'bb', 'ccc'].map((uid) => h.request(uid, review(uid)));
    for (const r of reqs) r.finish();
    const stderr = await capturingStderr(() => nextBatch());
    expect(h.events).to.deep.equal(['write a', 'write bb', 'write ccc']);
    expect(events).to.have.length(3);
    // The logger may be what broke: the error goes to stderr.
    expect(stderr).to.equal('sliceguard: Internal error: logger broke (while answering an admission request)\n');
    expect(reqs.map((r) => r.res.status)).to.deep.equal([200, 200, 200]);
    expect(reqs.map((r) => r.res.destroyed)).to.deep.equal([false, false, false]);
  });

  it('a request whose answer cannot be written is closed; the others are answered and reported', async () => {
    const h = harness();
    const reqs = ['a', 'b', 'c'].map((uid) => h.request(uid, review(uid)));
    reqs[1].res.writeHead = () => {
      throw new Error('socket gone');
    };
    for (const r of reqs) r.finish();
    const stderr = await capturingStderr(() => nextBatch());
    expect(h.events).to.deep.equal(['write a', 'destroy b', 'write c', 'report allowed', 'report allowed']);
    expect(stderr).to.include('Internal error: socket gone');
  });

  it('a Service view that throws is taken as no view: the review goes on without it', async () => {
    const h = harness({
      services: () => {
        throw new Error('cache broke');
      },
    });
    const r = h.request('a', review('a'));
    r.finish();
    await nextBatch();
    expect(h.events).to.deep.equal(['write a', 'report allowed']);
    expect(JSON.parse(r.res.body)).to.deep.equal(reviewAdmission(JSON.parse(review('a')), 'validate', deps).body);
  });

  it('a request that waited for the Service cache and then fails is handled, not an unhandled rejection', async () => {
    let release: (v: ServiceVerdict) => void = () => undefined;
    const waiting = new Promise<ServiceVerdict>((r) => (release = r));
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const events: string[] = [];
      const h = harness({
        services: () => waiting,
        done: () => {
          events.push('report');
          throw new Error('metrics broke');
        },
      });
      const r = h.request('w', review('w'));
      r.finish();
      await nextBatch();
      const stderr = await capturingStderr(async () => {
        release({ services: undefined, warnings: [] });
        await waiting;
        await nextBatch();
      });
      expect(h.events).to.deep.equal(['write w']);
      expect(events).to.deep.equal(['report']);
      expect(r.res.status).to.equal(200);
      expect(stderr).to.include('Internal error: metrics broke');
      expect(rejections).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('a request whose review throws outside the rules gets a 500 with the error; the others are answered', async () => {
    let calls = 0;
    const h = harness({
      deps: () => {
        if (++calls === 2) throw new Error('no policy');
        return deps;
      },
    });
    const reqs = ['a', 'b', 'c'].map((uid) => h.request(uid, review(uid)));
    for (const r of reqs) r.finish();
    await nextBatch();
    expect(reqs.map((r) => r.res.status)).to.deep.equal([200, 500, 200]);
    expect(JSON.parse(reqs[1].res.body).message).to.equal('Internal error: no policy');
    expect(h.events).to.deep.equal(['write a', 'write b', 'write c', 'report allowed', 'report error', 'report allowed']);
  });

  it('reviews at once when the Service view answers at once, and later, alone, when it has to wait', async () => {
    let release: (v: ServiceVerdict) => void = () => undefined;
    const waiting = new Promise<ServiceVerdict>((r) => (release = r));
    const h = harness({ services: (body) => ((body as { request: { uid: string } }).request.uid === 'wait' ? waiting : { services: undefined, warnings: ['cache note'] }) });
    const reqs = ['now', 'wait', 'also'].map((uid) => h.request(uid, review(uid)));
    for (const r of reqs) r.finish();
    await nextBatch();
    expect(h.events).to.deep.equal(['write now', 'write also', 'report allowed', 'report allowed']);
    expect(JSON.parse(reqs[0].res.body).response.warnings).to.deep.equal(['cache note']);
    release({ services: undefined, warnings: ['waited'] });
    await waiting;
    await nextBatch();
    expect(h.events.slice(4)).to.deep.equal(['write wait', 'report allowed']);
    expect(JSON.parse(reqs[1].res.body).response).to.deep.equal({ uid: 'wait', allowed: true, warnings: ['waited'] });
  });

  it('answers 400 and 413 before the body without waiting for a batch', () => {
    const h = harness();
    const events = h.events;
    const req = Object.assign(new EventEmitter(), { method: 'POST', url: '/validate', headers: { 'content-type': 'text/plain' } });
    const res = new FakeResponse('plain', events);
    const opts: AdmissionHandlerOptions = { deps: () => deps, draining: () => false, done: (x) => void events.push(`report ${x.status}`) };
    handleAdmission(req as unknown as IncomingMessage, res as unknown as ServerResponse, 'validate', opts);
    expect(events).to.deep.equal(['write plain', 'report 400']);
    const big = Object.assign(new EventEmitter(), { method: 'POST', url: '/validate', headers: { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) } });
    const bigRes = new FakeResponse('big', events);
    handleAdmission(big as unknown as IncomingMessage, bigRes as unknown as ServerResponse, 'validate', opts);
    expect(events).to.deep.equal(['write plain', 'report 400', 'write big', 'report 413']);
    expect(bigRes.headers.Connection).to.equal('close');
  });
});
