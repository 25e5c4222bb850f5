import type { ServiceLookup } from '../policies/types.ts';
import type { CacheState } from './service-cache.ts';

/** What the live cache must offer the gate (the ServiceCache class, or a stand-in in tests). */
export interface LiveServiceSource extends ServiceLookup {
  readonly state: CacheState;
  waitFor(namespace: string, name: string, ms: number): Promise<unknown>;
}

/** How the Service-aware rules behave while the cache is stale (its watch broke). */
export type StaleMode = 'skip' | 'deny';

/** Settings of the gate. */
export interface ServiceGateOptions {
  source: LiveServiceSource;
  staleMode: StaleMode;
  /** How long a review waits for a Service the cache has not seen (same-apply race). */
  waitMs: number;
}

/** What one review gets from the gate. */
export interface ServiceVerdict {
  /** The lookup for the Service-aware rules; undefined makes them silent. */
  services: ServiceLookup | undefined;
  /** Warnings to add to the answer. */
  warnings: string[];
  /** When set, deny with this message (stale cache in `deny` mode). */
  deny?: string;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Decides how the Service-aware rules see the cluster for one review. A synced cache is used as
 * it is, after waiting up to `waitMs` for a slice's Service that it does not hold yet (a Service
 * and its slice applied together may reach the webhook before the watch event does); a Service
 * still missing after that only warns, because the cache cannot prove it will not be created a
 * moment later (the review turns its `service-not-found` denial into a warning). An unsynced cache makes /readyz fail, so reviews rarely see one; they skip the
 * rules. A stale cache (watch broken) follows `staleMode`: skip the rules with a warning, or deny
 * slices that name a Service.
 */
export class ServiceGate {
  private readonly opts: ServiceGateOptions;

  constructor(opts: ServiceGateOptions) {
    this.opts = opts;
  }

  /** Returns the verdict for a review of `object` written to `namespace`. */
  forReview(object: unknown, namespace: string | undefined): ServiceVerdict | Promise<ServiceVerdict> {
    const { source, staleMode, waitMs } = this.opts;
    const target = serviceOf(object, namespace);
    if (source.state === 'unsynced') {
      return { services: undefined, warnings: target ? ['Service cache has not synced yet; Service-aware rules were skipped.'] : [] };
    }
    if (source.state === 'stale') {
      if (!target) return { services: undefined, warnings: [] };
      const why = 'The Service cache is stale (its watch of the API server broke)';
      if (staleMode === 'deny') return { services: undefined, warnings: [], deny: `${why}; Service-aware rules cannot judge this slice.` };
      return { services: undefined, warnings: [`${why}; Service-aware rules were skipped.`] };
    }
    const verdict: ServiceVerdict = { services: source, warnings: [] };
    // Synchronous unless it waits: the webhook then reviews in the batch it arrived with.
    if (target && !source.get(target.namespace, target.name) && waitMs > 0) return source.waitFor(target.namespace, target.name, waitMs).then(() => verdict);
    return verdict;
  }
}

/** The Service a slice names with `kubernetes.io/service-name`, in the slice's namespace. */
function serviceOf(object: unknown, namespace: string | undefined): { namespace: string; name: string } | undefined {
  if (object === null || typeof object !== 'object') return undefined;
  const meta = (object as { metadata?: unknown }).metadata;
  if (meta === null || typeof meta !== 'object') return undefined;
  const m = meta as { namespace?: unknown; labels?: unknown };
  const labels = m.labels !== null && typeof m.labels === 'object' ? (m.labels as Record<string, unknown>) : {};
  const name = labels[SERVICE_NAME_LABEL];
  const ns = typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : namespace;
  return typeof name === 'string' && name !== '' && ns ? { namespace: ns, name } : undefined;
}
