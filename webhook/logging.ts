/**
 * The webhook's log lines (pino, JSON). An admission line says who wrote what and what sliceguard
 * answered; it never holds object contents, which may be sensitive and are large.
 */
import pino, { type Logger } from 'pino';
import type { HandledRequest } from './http.ts';
import type { ServingCertificate } from './tls.ts';

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const APP = 'sliceguard';

/**
 * The destinations of the loggers made by `createLogger`, whose line format (level label, ISO
 * time, `app`) `accessLog` knows and can write itself: pino's own serializer and `isoTime` cost a
 * typical review about 12 µs of server CPU (7% of it; docs/performance.md, "Webhook").
 */
const DESTINATIONS = new WeakMap<Logger, TurnWriter>();

let second = -1;
let secondText = '';
/** Returns pino's `,"time":"…"` fragment in ISO 8601, formatting the date once a second only. */
function isoTime(): string {
  const now = Date.now();
  const ms = now % 1000;
  if (now - ms !== second) {
    second = now - ms;
    secondText = new Date(second).toISOString().slice(0, 20); // up to and with the dot
  }
  return `,"time":"${secondText}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

/**
 * What a logger writes to: the lines logged in one callback (a whole batch of reviews runs in one,
 * see webhook/http.ts) are joined and handed over in one write once that callback's synchronous
 * work is done (a microtask). On stdout and stderr that write is Node's own stream: synchronous
 * for files and terminals; for a pipe, as a container runtime gives a pod, written at once when
 * the pipe has room and otherwise queued in memory, so a slow reader never stalls the reviews.
 * Other descriptors (files, in tests) get a synchronous write. pino's asynchronous destination,
 * used before, handed every write to libuv's thread pool, whose threads then took the core from
 * the reviews (about 1,600 wake-ups a second at 8,000 reviews a second) and cost about 5% to 9%
 * of the server's CPU (docs/performance.md, "Ninth round"). What is pending when the process exits is
 * written then.
 */
class TurnWriter {
  private pending = '';
  private readonly out: { write(text: string): unknown };

  constructor(fd: number) {
    this.out = fd === 1 ? process.stdout : fd === 2 ? process.stderr : pino.destination({ dest: fd, sync: true });
    LIVE.add(new WeakRef(this));
  }

  write(line: string): boolean {
    if (this.pending === '') queueMicrotask(this.flushPending);
    this.pending += line;
    return true;
  }

  /** Writes what is pending now (pino's `logger.flush()`). */
  flush(done?: (err?: Error) => void): void {
    this.flushPending();
    done?.();
  }

  /** Writes what is pending now (pino calls it for `fatal`, before the process may die). */
  flushSync(): void {
    this.flushPending();
  }

  readonly flushPending = (): void => {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.out.write(text);
  };
}

// Weak, so that a logger that is gone does not stay for the exit's sake.
const LIVE = new Set<WeakRef<TurnWriter>>();
process.once('exit', () => LIVE.forEach((w) => w.deref()?.flushPending()));

/**
 * Returns a JSON-lines logger on file descriptor `fd` (stdout by default), written once per
 * callback (`TurnWriter`); `logger.flush()` writes what is pending.
 */
export function createLogger(level: LogLevel, fd = 1): Logger {
  const destination = new TurnWriter(fd);
  const log = pino({ level, base: { app: APP }, timestamp: isoTime, formatters: { level: (label) => ({ level: label }) } }, destination);
  DESTINATIONS.set(log, destination);
  return log;
}

/** Writes the access and decision line of one admission request: info, or warn for refused and failed ones. */
export function accessLog(log: Logger, h: HandledRequest): void {
  const s = h.summary;
  const level = s.decision === 'invalid' || s.decision === 'error' ? 'warn' : 'info';
  if (!log.isLevelEnabled(level)) return;
  const msg = level === 'warn' ? 'admission request not reviewed normally' : 'admission';
  // `denied` comes sorted and distinct (ruleIds); only warnings need merging in.
  const rules = s.warned.length === 0 ? s.denied : [...new Set([...s.denied, ...s.warned])].sort();
  // Flat, in the order the line shows them; JSON.stringify leaves out the undefined ones, as pino does.
  const entry = {
    path: `/${h.path}`,
    status: h.status,
    uid: s.uid,
    operation: s.operation,
    namespace: s.namespace,
    name: s.name,
    user: s.user,
    dryRun: s.dryRun,
    decision: s.decision,
    allowed: s.allowed,
    rules,
    denied: s.denied,
    patchOps: s.patchOps,
    error: s.error,
    bytes: h.bytes,
    durationMs: Math.round(h.seconds * 1e6) / 1e3,
  };
  const destination = DESTINATIONS.get(log);
  if (destination === undefined) return void log[level](entry, msg);
  // The line pino would write: {"level":…,"time":…,"app":…, the entry's fields, "msg":…}.
  const fields = JSON.stringify(entry);
  destination.write(`{"level":"${level}"${isoTime()},"app":"${APP}",${fields.slice(1, -1)},"msg":"${msg}"}\n`);
}

/** Returns the fields logged for a serving certificate (no key material). */
export function certificateLog(c: ServingCertificate, now: number): Record<string, unknown> {
  return {
    subject: c.subject,
    altNames: c.altNames,
    notAfter: c.notAfter.toISOString(),
    daysLeft: Math.floor((c.notAfter.getTime() - now) / 86_400_000),
    sha256: c.fingerprint256,
  };
}
