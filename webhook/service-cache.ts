import { CoreV1Api, Watch, type KubeConfig } from '@kubernetes/client-node';
import { ServiceIndex, serviceInfoFrom } from '../policies/services.ts';
import type { ServiceInfo, ServiceLookup } from '../policies/types.ts';

/** `unsynced` until the first full list, `synced` while the watch runs, `stale` after it broke. */
export type CacheState = 'unsynced' | 'synced' | 'stale';

/** Settings of the Service cache; only `kubeConfig` is required. */
export interface ServiceCacheOptions {
  kubeConfig: KubeConfig;
  /** Limit the cache to these namespaces (one list+watch each); empty or absent: all namespaces. */
  namespaces?: string[];
  /** Page size of the initial list (the API server's default chunking is 500). */
  pageSize?: number;
  /** Server-side watch timeout; the API server closes the watch after it and we resume. */
  watchTimeoutSeconds?: number;
  /** Backoff between failed attempts: doubles from `minBackoffMs` up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called on every state change and on every error (for logs and metrics). */
  onState?: (state: CacheState, error?: unknown) => void;
}

interface Scope {
  namespace: string | undefined;
  resourceVersion: string;
  synced: boolean;
  abort?: AbortController;
  cancel?: () => void;
}

/**
 * A Service cache kept current by list + watch, so that admission never calls the API server on
 * its hot path. It keeps only what the Service-aware rules read (policies' `ServiceInfo`), not the
 * whole objects with their managedFields, so 10,000 Services cost a few megabytes. It resumes a
 * broken watch from the last resourceVersion (bookmarks requested), relists on 410 Gone, and backs
 * off exponentially while the API server is unreachable, serving the last known state meanwhile.
 */
export class ServiceCache implements ServiceLookup {
  private readonly index = new ServiceIndex();
  private readonly scopes: Scope[];
  private readonly opts: Required<Omit<ServiceCacheOptions, 'namespaces' | 'onState'>> & Pick<ServiceCacheOptions, 'onState'>;
  private readonly api: CoreV1Api;
  private readonly watch: Watch;
  private readonly waiters = new Map<string, Set<() => void>>();
  private current: CacheState = 'unsynced';
  private stopped = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | undefined;
  /** When the last list or watch event arrived (ms since epoch), for the staleness metric. */
  lastEventAt = 0;

  constructor(options: ServiceCacheOptions) {
    this.opts = { pageSize: 500, watchTimeoutSeconds: 290, minBackoffMs: 500, maxBackoffMs: 30_000, ...options };
    const namespaces = options.namespaces?.length ? options.namespaces : [undefined];
    this.scopes = namespaces.map((namespace) => ({ namespace, resourceVersion: '', synced: false }));
    this.api = options.kubeConfig.makeApiClient(CoreV1Api);
    this.watch = new Watch(options.kubeConfig);
  }

  /** Starts the list+watch loops; returns at once (see `state` and `waitForSync`). */
  start(): void {
    this.stopped = false;
    this.loops = this.scopes.map((s) => this.run(s));
  }

  /** Stops every watch and waits for the loops to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.scopes) {
      s.abort?.abort();
      s.cancel?.(); // a watch still connecting has no controller yet: end its wait now
    }
    this.wake?.();
    await Promise.all(this.loops);
  }

  /** The cache's state: admission must not trust a cache that has never synced. */
  get state(): CacheState {
    return this.current;
  }

  /** The number of Services held. */
  get size(): number {
    return this.index.size;
  }

  get(namespace: string, name: string): ServiceInfo | undefined {
    return this.index.get(namespace, name);
  }

  /**
   * Returns the Service once the cache has it, waiting at most `ms` (a Service and its slice
   * written in one `kubectl apply` may reach the webhook before the watch event does).
   */
  async waitFor(namespace: string, name: string, ms: number): Promise<ServiceInfo | undefined> {
    const found = this.get(namespace, name);
    if (found || ms <= 0) return found;
    const key = `${namespace}/${name}`;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(key) ?? new Set();
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      this.waiters.set(key, set);
    });
    return this.get(namespace, name);
  }

  /** Resolves when every scope has listed once, or rejects after `ms`. */
  async waitForSync(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.current !== 'synced') {
      if (Date.now() > until) throw new Error(`Service cache not synced after ${ms} ms`);
      await sleep(20);
    }
  }

  private async run(scope: Scope): Promise<void> {
    let backoff = 0;
    while (!this.stopped) {
      try {
        if (!scope.resourceVersion) await this.relist(scope);
        const resumed = await this.watchOnce(scope);
        if (resumed) backoff = 0;
      } catch (err) {
        if (this.stopped) return;
        if (statusOf(err) === 410) {
          scope.resourceVersion = ''; // too old: list again at once
          continue;
        }
        this.setState(this.current === 'unsynced' ? 'unsynced' : 'stale', err);
        backoff = Math.min(Math.max(this.opts.minBackoffMs, backoff * 2), this.opts.maxBackoffMs);
        await this.sleepUnlessStopped(backoff);
      }
    }
  }

  private async relist(scope: Scope): Promise<void> {
    const seen: ServiceInfo[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = scope.namespace
        ? await this.api.listNamespacedService({ namespace: scope.namespace, limit: this.opts.pageSize, _continue: cont })
        : await this.api.listServiceForAllNamespaces({ limit: this.opts.pageSize, _continue: cont });
      for (const item of page.items) {
        const info = serviceInfoFrom({ ...item, apiVersion: 'v1', kind: 'Service' }, '');
        if (info) seen.push(info);
      }
      cont = page.metadata?._continue || undefined;
      rv = page.metadata?.resourceVersion ?? rv;
    } while (cont);
    this.replaceScope(scope, seen);
    scope.resourceVersion = rv;
    scope.synced = true;
    this.lastEventAt = Date.now();
    if (this.scopes.every((s) => s.synced)) this.setState('synced');
  }

  private replaceScope(scope: Scope, items: ServiceInfo[]): void {
    for (const info of this.index.all()) {
      if (scope.namespace === undefined || info.namespace === scope.namespace) this.index.delete(info.namespace, info.name);
    }
    for (const info of items) this.put(info);
  }

  /** Runs one watch until the server ends it; true when it delivered at least one event. */
  private watchOnce(scope: Scope): Promise<boolean> {
    const path = scope.namespace ? `/api/v1/namespaces/${encodeURIComponent(scope.namespace)}/services` : '/api/v1/services';
    let events = 0;
    return new Promise<boolean>((resolve, reject) => {
      const onEvent = (type: string, obj: Record<string, unknown>): void => {
        events++;
        this.apply(scope, type, obj);
      };
      scope.cancel = () => resolve(false);
      const done = (err: unknown): void => {
        scope.abort = undefined;
        scope.cancel = undefined;
        if (err && !this.stopped && (err as Error).name !== 'TimeoutError' && (err as Error).name !== 'AbortError') reject(err);
        else resolve(events > 0);
      };
      const query = { resourceVersion: scope.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: this.opts.watchTimeoutSeconds };
      this.watch.watch(path, query, onEvent, done).then(
        (controller) => {
          if (this.stopped) return void controller.abort();
          scope.abort = controller;
          // A watch that resumed from our resourceVersion delivers everything since: in sync again.
          if (this.current === 'stale' && this.scopes.every((s) => s.synced)) this.setState('synced');
        },
        reject,
      );
    });
  }

  private apply(scope: Scope, type: string, obj: Record<string, unknown>): void {
    this.lastEventAt = Date.now();
    if (type === 'ERROR') {
      // A Status in the stream; 410 Gone means our resourceVersion is too old: relist.
      if ((obj as { code?: number }).code === 410) scope.resourceVersion = '';
      scope.abort?.abort();
      return;
    }
    const meta = (obj.metadata ?? {}) as { resourceVersion?: string; namespace?: string; name?: string };
    if (meta.resourceVersion) scope.resourceVersion = meta.resourceVersion;
    if (this.current === 'stale' && this.scopes.every((s) => s.synced)) this.setState('synced');
    if (type === 'BOOKMARK') return;
    if (type === 'DELETED') {
      if (meta.namespace && meta.name) this.index.delete(meta.namespace, meta.name);
      return;
    }
    const info = serviceInfoFrom({ ...obj, apiVersion: 'v1', kind: 'Service' }, '');
    if (info) this.put(info);
  }

  private put(info: ServiceInfo): void {
    this.index.set(info);
    const waiting = this.waiters.get(`${info.namespace}/${info.name}`);
    if (waiting) for (const done of [...waiting]) done();
  }

  private setState(state: CacheState, error?: unknown): void {
    const changed = state !== this.current;
    this.current = state;
    if (changed || error) this.opts.onState?.(state, error);
  }

  private sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; code?: number };
  return e?.statusCode ?? (typeof e?.code === 'number' ? e.code : undefined);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
