/**
 * Prometheus metrics of the webhook, in a registry of its own (so that several servers in one
 * test process do not collide). Every metric is named and explained in docs/webhook.md.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
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
  // The per-review metrics are plain counts, handed to prom-client when it is scraped (`collect`):
  // its own inc() and observe() check and hash the labels on every call, which cost 3% to 5% of
  // a typical review's server CPU (docs/performance.md, "Third round").
  const requestCounts = new LabelCounts<'path' | 'operation' | 'decision'>();
  const ruleCounts = new LabelCounts<'path' | 'rule' | 'severity'>();
  let inFlightNow = 0;
  new Counter({
    name: 'sliceguard_admission_requests_total',
    help: 'Admission requests answered, by path, operation and decision (allowed, denied, patched, error, invalid).',
    labelNames: ['path', 'operation', 'decision'] as const,
    registers,
    collect(this: Counter<'path' | 'operation' | 'decision'>): void {
      requestCounts.flushTo(this);
    },
  });
  new Counter({
    name: 'sliceguard_admission_rule_requests_total',
    help: 'Admission requests in which a rule reported at least one finding, by path, rule and severity.',
    labelNames: ['path', 'rule', 'severity'] as const,
    registers,
    collect(this: Counter<'path' | 'rule' | 'severity'>): void {
      ruleCounts.flushTo(this);
    },
  });
  const duration = new LatencyHistogram('sliceguard_admission_duration_seconds', 'Time from the request to the end of the answer, by path.', BUCKETS);
  registry.registerMetric(duration as unknown as Metric);
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
    collect(this: Gauge): void {
      this.set(inFlightNow);
    },
  });
  for (const result of ['success', 'failure']) {
    certReloads.inc({ result }, 0);
    policyReloads.inc({ result }, 0);
  }
  return {
    registry,
    review(path, summary, seconds) {
      const operation = summary.operation ?? 'unknown';
      requestCounts.add(`${path} ${operation} ${summary.decision}`, () => ({ path, operation, decision: summary.decision }));
      for (const rule of summary.denied) ruleCounts.add(`${path} ${rule} deny`, () => ({ path, rule, severity: 'deny' }));
      for (const rule of summary.warned) ruleCounts.add(`${path} ${rule} warn`, () => ({ path, rule, severity: 'warn' }));
      duration.observe(path, seconds);
    },
    certificate(result, notAfter) {
      certReloads.inc({ result });
      if (notAfter) certExpiry.set(Math.floor(notAfter.getTime() / 1000));
    },
    policy(result) {
      policyReloads.inc({ result });
    },
    inFlight(count) {
      inFlightNow = count;
    },
  };
}

/**
 * Counts by label set, added to a prom-client counter when it is collected. The key is the label
 * values joined by spaces (no path, operation, decision, rule id or severity holds one).
 */
class LabelCounts<L extends string> {
  private readonly counts = new Map<string, { labels: Record<L, string>; total: number; sent: number }>();

  add(key: string, labels: () => Record<L, string>): void {
    const entry = this.counts.get(key);
    if (entry) entry.total++;
    else this.counts.set(key, { labels: labels(), total: 1, sent: 0 });
  }

  flushTo(counter: Counter<L>): void {
    for (const entry of this.counts.values()) {
      if (entry.total === entry.sent) continue;
      counter.inc(entry.labels, entry.total - entry.sent);
      entry.sent = entry.total;
    }
  }
}

/**
 * A histogram by `path`, as prom-client's Histogram writes it (same series, labels and order), that
 * records an observation with a bucket search and three additions. Registered with the registry
 * through prom-client's metric interface (`get`, `reset`).
 */
/** One series of a histogram, in prom-client's form. */
interface HistogramValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly bounds: readonly number[];
  private readonly byPath = new Map<string, { buckets: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, bounds: readonly number[]) {
    this.name = name;
    this.help = help;
    this.bounds = bounds;
  }

  observe(path: string, seconds: number): void {
    let h = this.byPath.get(path);
    if (!h) this.byPath.set(path, (h = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    // prom-client's findBound: the first bucket whose bound is >= the value; none above the last.
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]) i++;
    if (i < this.bounds.length) h.buckets[i]++;
    h.sum += seconds;
    h.count++;
  }

  get(): Promise<{ name: string; help: string; type: 'histogram'; values: HistogramValue[]; aggregator: 'sum' }> {
    const values: HistogramValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const [path, h] of this.byPath) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += h.buckets[i];
        values.push({ labels: { le, path }, value: cumulative, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', path }, value: h.count, metricName: bucket });
      values.push({ labels: { path }, value: h.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { path }, value: h.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    this.byPath.clear();
  }
}
