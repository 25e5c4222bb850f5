import { Gauge, type Registry } from 'prom-client';
import type { ServiceCache } from './service-cache.ts';

/**
 * Adds the Service cache's gauges to the webhook's registry: its state (one series per state,
 * 1 for the current one), how many Services it holds, and how long ago it last heard from the
 * API server (grows while the watch is broken: alert on it).
 */
export function registerServiceCacheMetrics(registry: Registry, cache: ServiceCache, now: () => number = Date.now): void {
  new Gauge({
    name: 'sliceguard_service_cache_state',
    help: 'State of the live Service cache: 1 for the current state (unsynced, synced, stale).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const state of ['unsynced', 'synced', 'stale'] as const) this.set({ state }, cache.state === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'sliceguard_service_cache_services',
    help: 'Services held by the live Service cache.',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
  new Gauge({
    name: 'sliceguard_service_cache_last_event_age_seconds',
    help: 'Seconds since the Service cache last received a list or watch event from the API server.',
    registers: [registry],
    collect() {
      this.set(cache.lastEventAt === 0 ? -1 : (now() - cache.lastEventAt) / 1000);
    },
  });
}
