/**
 * The lean request handler for POST /validate and /mutate. It sits in front of the express app
 * because express's per-request work (its router, request/response prototypes, body-parser) cost
 * more than the review itself: see docs/performance.md, "Webhook". It reads the body with a byte
 * cap, parses it, reviews it and writes the answer; nothing else. Requests whose bodies arrive in
 * the same turn of the event loop are answered together, stage by stage (`Batch`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { internalError, statusAnswer, type HttpAnswer } from './admission.ts';
import { reviewAdmission, type ReviewDeps, type ReviewKind, type ReviewSummary } from './review.ts';
import type { ServiceVerdict } from './service-gate.ts';

/**
 * kube-apiserver's own request body limit (3 MiB, `MaxRequestBodyBytes`): an AdmissionReview
 * carrying an UPDATE of a large slice (object and oldObject, about 600 kB at 1000 endpoints) must
 * fit, and anything larger cannot be a review the API server sends.
 */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * The most request-body bytes held at once, over all connections. Without it, 300 clients that
 * each send 3 MiB and then wait held 1.2 GB (the chart's memory limit is 512 Mi): any pod that can
 * reach the webhook could have it OOM-killed. 64 MiB holds a hundred 600 kB UPDATE reviews of
 * 1000-endpoint slices at once; past it a request gets 503 and its connection closes, and
 * kube-apiserver applies the webhook's failure policy to that one call. See docs/security.md.
 */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
let buffered = 0;

/** What one handled request reports to the log and the metrics. */
export interface HandledRequest {
  path: ReviewKind;
  status: number;
  summary: ReviewSummary;
  seconds: number;
  bytes: number;
}

/** The handler's view of the server. */
export interface AdmissionHandlerOptions {
  /** The review's dependencies now (the policy may have been reloaded since the last request). */
  deps(): ReviewDeps;
  /** Called after each answer has been written. */
  done(handled: HandledRequest): void;
  /** True while shutting down: answers then close their connection. */
  draining(): boolean;
  /**
   * The live Service cache's view of one review (it may wait briefly for a Service); absent
   * without a live cache. Only this step is asynchronous; the review itself stays pure.
   */
  services?(review: unknown): ServiceVerdict | Promise<ServiceVerdict>;
}

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/** Returns the review kind when a request is an admission POST (`?timeout=10s` and the like allowed). */
export function admissionKind(req: IncomingMessage): ReviewKind | undefined {
  if (req.method !== 'POST' || req.url === undefined) return undefined;
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  return path === '/validate' ? 'validate' : path === '/mutate' ? 'mutate' : undefined;
}

/**
 * Handles one admission POST: reads the body, then queues the request for the next batch (see
 * `Batch`), which parses, reviews and answers it and reports it through `opts.done`.
 */
export function handleAdmission(req: IncomingMessage, res: ServerResponse, kind: ReviewKind, opts: AdmissionHandlerOptions): void {
  const job = new Job(res, kind, opts);
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    const got = req.headers['content-type'] === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(req.headers['content-type'])}`;
    return job.invalid(400, `Expected Content-Type application/json (an AdmissionReview), got ${got}.`, 0);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) return job.invalid(413, tooLarge(declared), 0, true);

  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  // This request's share of `buffered`, given back once, when its answer is written or it dies.
  let held = 0;
  const release = (): void => {
    buffered -= held;
    held = 0;
  };
  res.once('close', release);
  req.on('data', (chunk: Buffer) => {
    if (over) return; // discarded; the connection closes after the 413 or 503
    size += chunk.length;
    if (size > MAX_BODY_BYTES || buffered + chunk.length > MAX_BUFFERED_BYTES) {
      over = true;
      chunks.length = 0;
      release();
      if (size > MAX_BODY_BYTES) job.invalid(413, tooLarge(size), size, true);
      else job.invalid(503, `The webhook holds ${MAX_BUFFERED_BYTES} bytes of request bodies already; try again.`, size, true);
      return;
    }
    buffered += chunk.length;
    held += chunk.length;
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (over) return;
    job.receive(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    // The job holds the body now; the chunks (still reachable through this listener) go.
    chunks.length = 0;
    batch.add(job);
  });
}

/**
 * One admission request from its body to its report. The stages are separate methods so that a
 * batch can run each of them for all its requests in turn.
 */
class Job {
  /** The body's size in bytes, for the log and for the batch's cap. */
  size = 0;
  private body: Buffer | undefined;
  private value: unknown;
  private answer: HttpAnswer | undefined;
  private summary: ReviewSummary | undefined;
  private close = false;
  private written = false;
  private readonly start = process.hrtime.bigint();
  /** When the answer was written: the duration reported ends there, not after the batch's other writes. */
  private end = 0n;
  private readonly res: ServerResponse;
  private readonly kind: ReviewKind;
  private readonly opts: AdmissionHandlerOptions;

  constructor(res: ServerResponse, kind: ReviewKind, opts: AdmissionHandlerOptions) {
    this.res = res;
    this.kind = kind;
    this.opts = opts;
  }

  /** Takes the whole body. */
  receive(body: Buffer): void {
    this.body = body;
    this.size = body.length;
  }

  /** Stage 1: the body as JSON, or a 400 answer. */
  parse(): void {
    const size = this.size;
    try {
      this.value = JSON.parse(this.body!.toString('utf8'));
    } catch (err) {
      // `logged` stands in for JSON.parse's message, which quotes the body: no contents in the log.
      const why = size === 0 ? 'the body is empty' : (err as Error).message;
      this.settle(statusAnswer(400, `Expected an AdmissionReview v1 in JSON; ${why}.`), invalidSummary(size === 0 ? 'The body is empty.' : 'The body is not JSON.'));
    }
    this.body = undefined;
  }

  /**
   * Stage 2: the review. Returns false when it waits for the live Service cache; the job then
   * finishes on its own once the cache has answered.
   */
  review(): boolean {
    if (this.answer) return true;
    let verdict: ServiceVerdict | Promise<ServiceVerdict> | undefined;
    try {
      verdict = this.opts.services?.(this.value);
    } catch {
      // As a failed wait: reviewed without the live cache's view.
      verdict = undefined;
    }
    if (!(verdict instanceof Promise)) {
      this.reviewWith(verdict);
      return true;
    }
    // Answered alone once the cache has answered, with the same isolation as a batch's stages.
    const then = (v: ServiceVerdict | undefined): void => {
      try {
        this.reviewWith(v);
        this.write();
        this.report();
      } catch (err) {
        this.fail(err);
      }
    };
    verdict.then(then, () => then(undefined));
    return false;
  }

  private reviewWith(serviceVerdict: ServiceVerdict | undefined): void {
    try {
      const deps = this.opts.deps();
      const result = reviewAdmission(this.value, this.kind, serviceVerdict ? { ...deps, serviceVerdict } : deps);
      this.settle(result, result.summary);
    } catch (err) {
      // reviewAdmission answers rule errors itself; this is a bug in sliceguard's own code.
      this.settleError(err);
    }
    this.value = undefined;
  }

  /** Stage 3: the answer on the wire. */
  write(): void {
    this.written = true;
    write(this.res, this.answer!, this.close || this.opts.draining());
    this.end = process.hrtime.bigint();
  }

  /** Stage 4: the log line and the metrics. */
  report(): void {
    const seconds = Number((this.end || process.hrtime.bigint()) - this.start) / 1e9;
    this.opts.done({ path: this.kind, status: this.answer!.status, summary: this.summary!, seconds, bytes: this.size });
  }

  private settle(answer: HttpAnswer, summary: ReviewSummary): void {
    this.answer = answer;
    this.summary = summary;
  }

  /** Settles a 500 answer naming a bug in sliceguard's own code. */
  private settleError(err: unknown): void {
    const message = internalError(err);
    this.settle(statusAnswer(500, message), { decision: 'error', denied: [], warned: [], error: message });
  }

  /** Answers at once (a bad request before or while its body is read) and reports it. */
  invalid(status: number, message: string, bytes: number, close = false): void {
    this.size = bytes;
    this.settle(statusAnswer(status, message), invalidSummary(message));
    this.close = close;
    this.write();
    this.report();
  }

  /**
   * Handles a job that a stage threw on (a bug in sliceguard, never the request's fault): a 500
   * with the error when nothing was written yet; else the answer stands, and the connection is
   * closed if the answer was cut short. The error goes to stderr, since the logger itself may be
   * what failed. The other jobs of the batch go on.
   */
  fail(err: unknown): void {
    process.stderr.write(`sliceguard: ${internalError(err)} (while answering an admission request)\n`);
    if (this.written) {
      if (!this.res.writableEnded) this.res.destroy();
      return;
    }
    this.settleError(err);
    try {
      this.write();
      this.report();
    } catch {
      if (!this.res.writableEnded) this.res.destroy();
    }
  }
}

function invalidSummary(error: string): ReviewSummary {
  return { decision: 'invalid', denied: [], warned: [], error };
}

/**
 * The requests whose bodies arrived in one turn of the event loop, answered together in a later
 * check phase (`setImmediate`), one stage at a time: all parsed, then all reviewed, then all
 * answers written, then all reported. Done one request after the other, each stage found the
 * CPU's caches full of the other stages' code and data (TLS, HTTP, JSON, the rules, the log);
 * stage by stage, typical reviews cost about a third less CPU time each (docs/performance.md,
 * "Eighth round"). A batch holds at most BATCH_BYTES of bodies, so that a large review is never
 * held back by many others; the rest go to the next batch at once.
 *
 * A batch waits while requests keep arriving: as long as the last turn added requests to it, it
 * lets the event loop take one more turn (a poll that does not block, since an immediate is
 * pending), at most BATCH_TURNS times. Answering all of a batch at once makes clients send their
 * next requests together; without the wait, those that reached the server a moment after its
 * poll waited for the whole next batch, and one request in ten took two batches' time (p50 0.95
 * ms, p90 1.9 ms at 16 connections; docs/performance.md, "Eleventh round"). A lone request, or a
 * turn that brings nothing new, is answered at once: the wait is never a timer.
 */
class Batch {
  private queue: Job[] = [];
  private scheduled = false;

  /** Turns waited so far, and the queue's length when last looked at. */
  private turns = 0;
  private seen = 0;

  add(job: Job): void {
    this.queue.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      this.turns = 0;
      this.seen = this.queue.length;
      setImmediate(this.tick);
    }
  }

  /** Waits one more turn while the last one brought requests (at most BATCH_TURNS), else runs. */
  private readonly tick = (): void => {
    if (this.turns < BATCH_TURNS && this.queue.length > this.seen) {
      this.turns++;
      this.seen = this.queue.length;
      setImmediate(this.tick);
      return;
    }
    this.run();
  };

  private run(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      let bytes = 0;
      let n = 0;
      while (n < this.queue.length && (n === 0 || bytes + this.queue[n].size <= BATCH_BYTES)) bytes += this.queue[n++].size;
      const jobs = this.queue.splice(0, n);
      stage(jobs, (j) => (j.parse(), true));
      const ready = stage(jobs, (j) => j.review());
      const written = stage(ready, (j) => (j.write(), true));
      stage(written, (j) => (j.report(), true));
    }
  }
}

/** Runs `step` on each job; returns the jobs it returned true for. A job that throws is failed and dropped. */
function stage(jobs: Job[], step: (job: Job) => boolean): Job[] {
  const kept: Job[] = [];
  for (const job of jobs) {
    try {
      if (step(job)) kept.push(job);
    } catch (err) {
      job.fail(err);
    }
  }
  return kept;
}

/** The most body bytes one batch reviews before it answers (a 1000-endpoint UPDATE review is about 400 kB). */
export const BATCH_BYTES = 256 * 1024;
/**
 * The most turns of the event loop a batch waits for more requests (see `Batch`). Measured at 16
 * connections: 2 left a p99 of 2.5 ms, 3 and 5 gave 2.0 ms against the floor's 2.1 ms.
 */
export const BATCH_TURNS = 3;
const batch = new Batch();

function tooLarge(bytes: number): string {
  return `Request body is larger than ${MAX_BODY_BYTES} bytes (3 MiB, kube-apiserver's own limit)${bytes > MAX_BODY_BYTES ? `; got at least ${bytes}` : ''}.`;
}

/** Writes a JSON answer in one piece, with its length (no chunked encoding). */
function write(res: ServerResponse, answer: HttpAnswer, close: boolean): void {
  const json = JSON.stringify(answer.body);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) };
  if (close) headers.Connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(json);
}
