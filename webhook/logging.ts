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

/**
 * Returns a JSON-lines logger on file descriptor `fd` (stdout by default). Writes are
 * asynchronous and coalesced, so that a burst of reviews costs one write, not one per line;
 * `logger.flush()` at shutdown writes what is pending.
 */
export function createLogger(level: LogLevel, fd = 1): Logger {
  return pino(
    { level, base: { app: 'sliceguard' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } },
    pino.destination({ dest: fd, sync: false }),
  );
}

/** Writes the access and decision line of one admission request: info, or warn for refused and failed ones. */
export function accessLog(log: Logger, h: HandledRequest): void {
  const s = h.summary;
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
    rules: [...new Set([...s.denied, ...s.warned])].sort(),
    denied: s.denied,
    patchOps: s.patchOps,
    error: s.error,
    bytes: h.bytes,
    durationMs: Math.round(h.seconds * 1e6) / 1e3,
  };
  if (s.decision === 'invalid' || s.decision === 'error') log.warn(entry, 'admission request not reviewed normally');
  else log.info(entry, 'admission');
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
