/**
 * The per-review metrics are counted by sliceguard and handed to prom-client at scrape time; what
 * a scrape shows must be what prom-client's own Counter, Gauge and Histogram would show for the
 * same reviews, series for series and byte for byte.
 */
import { expect } from 'chai';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { createMetrics } from '../../webhook/metrics.ts';

interface Seen {
  path: string;
  operation?: string;
  decision: 'allowed' | 'denied' | 'patched' | 'error' | 'invalid';
  denied: string[];
  warned: string[];
  seconds: number;
}

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The same metrics made the plain prom-client way, updated on every review. */
function reference(): { registry: Registry; review(s: Seen): void; inFlight(n: number): void } {
  const registry = new Registry();
  const registers = [registry];
  const requests = new Counter({ name: 'sliceguard_admission_requests_total', help: 'x', labelNames: ['path', 'operation', 'decision'], registers });
  const rules = new Counter({ name: 'sliceguard_admission_rule_requests_total', help: 'x', labelNames: ['path', 'rule', 'severity'], registers });
  const duration = new Histogram({ name: 'sliceguard_admission_duration_seconds', help: 'x', labelNames: ['path'], buckets: BUCKETS, registers });
  const inFlight = new Gauge({ name: 'sliceguard_admission_in_flight_requests', help: 'x', registers });
  return {
    registry,
    review(s) {
      requests.inc({ path: s.path, operation: s.operation ?? 'unknown', decision: s.decision });
      for (const rule of s.denied) rules.inc({ path: s.path, rule, severity: 'deny' });
      for (const rule of s.warned) rules.inc({ path: s.path, rule, severity: 'warn' });
      duration.observe({ path: s.path }, s.seconds);
    },
    inFlight: (n) => inFlight.set(n),
  };
}

/** The sample lines of the four per-review metrics (HELP texts differ on purpose and are left out). */
async function samples(registry: Registry): Promise<string[]> {
  const text = await registry.metrics();
  return text.split('\n').filter((l) => /^sliceguard_admission_(requests_total|rule_requests_total|duration_seconds|in_flight_requests)/.test(l) || /^# TYPE sliceguard_admission/.test(l));
}

describe('webhook metrics', () => {
  const reviews: Seen[] = [
    { path: '/validate', operation: 'CREATE', decision: 'denied', denied: ['ip-address', 'port-name'], warned: ['canonical-ip'], seconds: 0.0007 },
    { path: '/validate', operation: 'CREATE', decision: 'allowed', denied: [], warned: [], seconds: 0.0005 }, // on a bound: in that bucket
    { path: '/mutate', decision: 'invalid', denied: [], warned: [], seconds: 0.00050001 },
    { path: '/validate', operation: 'UPDATE', decision: 'allowed', denied: [], warned: ['canonical-ip'], seconds: 3 }, // above the last bound
    { path: '/mutate', operation: 'UPDATE', decision: 'patched', denied: [], warned: [], seconds: 1e-9 },
    { path: '/validate', operation: 'CREATE', decision: 'denied', denied: ['ip-address'], warned: [], seconds: 0.1 },
  ];

  it("show what prom-client's own metrics show, on the first scrape and after more reviews", async () => {
    const ours = createMetrics();
    const theirs = reference();
    /** Feeds both the same reviews, sets both in-flight gauges, and returns our scrape after checking it equals theirs. */
    const scrape = async (seen: Seen[], inFlight: number): Promise<string[]> => {
      for (const r of seen) {
        ours.review(r.path, r, r.seconds);
        theirs.review(r);
      }
      ours.inFlight(inFlight);
      theirs.inFlight(inFlight);
      const lines = await samples(ours.registry);
      expect(lines).to.deep.equal(await samples(theirs.registry));
      return lines;
    };
    const first = await scrape(reviews.slice(0, 4), 3);
    expect(first).to.include('sliceguard_admission_duration_seconds_bucket{le="0.0005",path="/validate"} 1');
    expect(first).to.include('sliceguard_admission_rule_requests_total{path="/validate",rule="canonical-ip",severity="warn"} 2');
    // Counts sent at one scrape are not sent again at the next.
    const second = await scrape(reviews.slice(4), 0);
    expect(second).to.include('sliceguard_admission_requests_total{path="/validate",operation="CREATE",decision="denied"} 2');
    expect(second).to.include('sliceguard_admission_in_flight_requests 0');
  });
});
