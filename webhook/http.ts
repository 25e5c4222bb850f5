/**
 * The lean request handler for POST /validate and /mutate. It sits in front of the express app
 * because express's per-request work (its router, request/response prototypes, body-parser) cost
 * more than the review itself: see docs/performance.md, "Webhook". It reads the body with a byte
 * cap, parses it, reviews it and writes the answer; nothing else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { statusAnswer, type HttpAnswer } from './admission.ts';
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
  services?(review: unknown): Promise<ServiceVerdict>;
}

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;

/** Returns the review kind when a request is an admission POST (`?timeout=10s` and the like allowed). */
export function admissionKind(req: IncomingMessage): ReviewKind | undefined {
  if (req.method !== 'POST' || req.url === undefined) return undefined;
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  return path === '/validate' ? 'validate' : path === '/mutate' ? 'mutate' : undefined;
}

/** Handles one admission POST: reads, reviews and answers it, then reports it through `opts.done`. */
export function handleAdmission(req: IncomingMessage, res: ServerResponse, kind: ReviewKind, opts: AdmissionHandlerOptions): void {
  const start = process.hrtime.bigint();
  const finish = (answer: HttpAnswer, summary: ReviewSummary, bytes: number, close = false): void => {
    write(res, answer, close || opts.draining());
    opts.done({ path: kind, status: answer.status, summary, seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes });
  };
  // `logged` stands in for messages that quote the body (JSON.parse's do): no contents in the log.
  const invalid = (status: number, message: string, bytes: number, close = false, logged = message): void =>
    finish(statusAnswer(status, message), { decision: 'invalid', denied: [], warned: [], error: logged }, bytes, close);

  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    const got = req.headers['content-type'] === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(req.headers['content-type'])}`;
    return invalid(400, `Expected Content-Type application/json (an AdmissionReview), got ${got}.`, 0);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) return invalid(413, tooLarge(declared), 0, true);

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
      if (size > MAX_BODY_BYTES) invalid(413, tooLarge(size), size, true);
      else invalid(503, `The webhook holds ${MAX_BUFFERED_BYTES} bytes of request bodies already; try again.`, size, true);
      return;
    }
    buffered += chunk.length;
    held += chunk.length;
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (over) return;
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (err) {
      const why = size === 0 ? 'the body is empty' : (err as Error).message;
      return invalid(400, `Expected an AdmissionReview v1 in JSON; ${why}.`, size, false, size === 0 ? 'The body is empty.' : 'The body is not JSON.');
    }
    const review = (serviceVerdict: ServiceVerdict | undefined): void => {
      let result;
      try {
        const deps = opts.deps();
        result = reviewAdmission(value, kind, serviceVerdict ? { ...deps, serviceVerdict } : deps);
      } catch (err) {
        // reviewAdmission answers rule errors itself; this is a bug in sliceguard's own code.
        const message = `Internal error: ${(err as Error)?.message ?? String(err)}`;
        return finish(statusAnswer(500, message), { decision: 'error', denied: [], warned: [], error: message }, size);
      }
      finish(result, result.summary, size);
    };
    if (!opts.services) return review(undefined);
    opts.services(value).then(review, () => review(undefined));
  });
}

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
