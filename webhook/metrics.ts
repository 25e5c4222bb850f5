/**
 * Prometheus metrics of the webhook, in a registry of its own (so that several servers in one
 * test process do not collide). Every metric is named and explained in docs/webhook.md.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReviewSummary } from './review.ts';

/** The webhook's metrics and the calls that update them. */
export interface WebhookMetrics {
  registry: Registry;
  /** Records one answered POST /validate or /mutate (also 400 and 413 answers). */
  review(path: string, summary: Pick<ReviewSummary, 'operation' | 'decision' | 'denied' | 'warned'>, seconds: number): void;
  /** Records a certificate (re)load attempt; `notAfter` is set on success. */
  certificate(result: 'success' | 'failure', notAfter?: Date): void;
  /** Records a policy (re)load attempt. */
  policy(result: 'success' | 'failure'): void;
  /** Sets the number of admission requests being read or reviewed now. */
  inFlight(count: number): void;
}

/** Latency buckets in seconds: a typical review takes well under a millisecond, a 1000-endpoint one a few. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Returns a fresh registry with the webhook's metrics and Node's process metrics. */
export function createMetrics(): WebhookMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'sliceguard_admission_requests_total',
    help: 'Admission requests answered, by path, operation and decision (allowed, denied, patched, error, invalid).',
    labelNames: ['path', 'operation', 'decision'] as const,
    registers,
  });
  const rules = new Counter({
    name: 'sliceguard_admission_rule_requests_total',
    help: 'Admission requests in which a rule reported at least one finding, by path, rule and severity.',
    labelNames: ['path', 'rule', 'severity'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'sliceguard_admission_duration_seconds',
    help: 'Time from the request to the end of the answer, by path.',
    labelNames: ['path'] as const,
    buckets: BUCKETS,
    registers,
  });
  const certExpiry = new Gauge({
    name: 'sliceguard_certificate_expiry_timestamp_seconds',
    help: 'When the serving certificate in use expires (Unix time).',
    registers,
  });
  const certReloads = new Counter({
    name: 'sliceguard_certificate_reloads_total',
    help: 'Serving certificate loads (at start and on change), by result; a failure keeps the old one.',
    labelNames: ['result'] as const,
    registers,
  });
  const policyReloads = new Counter({
    name: 'sliceguard_policy_reloads_total',
    help: 'Policy file loads (at start and on change), by result; a failure keeps the old policy.',
    labelNames: ['result'] as const,
    registers,
  });
  const inFlight = new Gauge({
    name: 'sliceguard_admission_in_flight_requests',
    help: 'Admission requests being read or reviewed now (shutdown waits for them).',
    registers,
  });
  for (const result of ['success', 'failure']) {
    certReloads.inc({ result }, 0);
    policyReloads.inc({ result }, 0);
  }
  return {
    registry,
    review(path, summary, seconds) {
      requests.inc({ path, operation: summary.operation ?? 'unknown', decision: summary.decision });
      for (const rule of summary.denied) rules.inc({ path, rule, severity: 'deny' });
      for (const rule of summary.warned) rules.inc({ path, rule, severity: 'warn' });
      duration.observe({ path }, seconds);
    },
    certificate(result, notAfter) {
      certReloads.inc({ result });
      if (notAfter) certExpiry.set(Math.floor(notAfter.getTime() / 1000));
    },
    policy(result) {
      policyReloads.inc({ result });
    },
    inFlight(count) {
      inFlight.set(count);
    },
  };
}
