import { parseArgs } from 'node:util';
import { isAbsolute, join } from 'node:path';
import type { Io } from '../io.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { KUBE_VERSIONS, type KubeVersion, type ServiceLookup } from '../../policies/types.ts';
import { startWebhook } from '../../webhook/server.ts';
import { createLogger, LOG_LEVELS, type LogLevel } from '../../webhook/logging.ts';
import type { OnError } from '../../webhook/review.ts';
import { Sources } from '../sources.ts';
import { collectServices } from '../service-pass.ts';
import type { ThrowAway } from './serve-local.ts';
import type { Logger } from 'pino';
import type { ServiceCache } from '../../webhook/service-cache.ts';
import { ServiceGate, type StaleMode } from '../../webhook/service-gate.ts';
import { registerServiceCacheMetrics } from '../../webhook/service-metrics.ts';

const HELP = `Usage: sliceguard serve [--cert FILE --key FILE] [options]

Runs the admission webhook over HTTPS: POST /validate and /mutate (AdmissionReview v1),
GET /healthz, /readyz and /metrics. The certificate, key and policy files are read again when
they change. SIGTERM: /readyz fails, in-flight reviews finish, the process exits. See docs/webhook.md.

Options:
  --cert FILE             serving certificate (PEM; may include the chain)
  --key FILE              its private key (PEM)
                          Without both, outside a cluster: a throw-away CA and certificate for
                          localhost in a temporary directory, listening on 127.0.0.1.
  --port N                HTTPS port (default: 8443)
  --host H                interface to listen on (default: all; 127.0.0.1 with throw-away certificates)
  --policy FILE           policy file (rule severities, options, exemptions); see docs/policy.md
  --metrics-port N        also serve /metrics over plain HTTP on this port
  --services FILE         Services for the Service-aware rules (repeatable; files or directories)
  --kubeconfig FILE       watch Services through this kubeconfig (in a pod: its own credentials)
  --no-service-cache      no live Service cache (only --services)
  --service-namespaces NS,NS  watch Services only in these namespaces (default: all)
  --stale-services skip|deny  while the cache's watch is broken: skip the Service-aware rules
                          with a warning, or deny slices that name a Service (default: skip)
  --service-wait MS       wait this long for a Service the cache has not seen (default: 1500)
  --on-error allow|deny   answer when a rule fails internally (default: deny)
  --kube-version ${KUBE_VERSIONS.join('|')}   API-server behaviour to model (default: 1.37)
  --log-level debug|info|warn|error|silent   (default: info)
  --reload-interval S     seconds between looks at the certificate and policy files (default: 2)
  --shutdown-timeout S    seconds to wait for in-flight reviews on SIGTERM (default: 20)
  -h, --help              show this help
`;

/** Parsed `serve` options. */
export interface ServeOptions {
  cert?: string;
  key?: string;
  port: number;
  host?: string;
  policy?: string;
  metricsPort?: number;
  services: string[];
  serviceCache: boolean;
  kubeconfig?: string;
  serviceNamespaces: string[];
  staleServices: StaleMode;
  serviceWaitMs: number;
  onError: OnError;
  kubeVersion: KubeVersion;
  logLevel: LogLevel;
  reloadIntervalMs: number;
  shutdownTimeoutMs: number;
}

/** Returns the options of `sliceguard serve`; throws `SG_USAGE` for a bad flag or value. */
export function parseServeArgs(argv: string[], cwd: string): ServeOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        cert: { type: 'string' },
        key: { type: 'string' },
        port: { type: 'string', default: '8443' },
        host: { type: 'string' },
        policy: { type: 'string' },
        'metrics-port': { type: 'string' },
        services: { type: 'string', multiple: true, default: [] },
        'no-service-cache': { type: 'boolean', default: false },
        kubeconfig: { type: 'string' },
        'service-namespaces': { type: 'string', default: '' },
        'stale-services': { type: 'string', default: 'skip' },
        'service-wait': { type: 'string', default: '1500' },
        'on-error': { type: 'string', default: 'deny' },
        'kube-version': { type: 'string', default: '1.37' },
        'log-level': { type: 'string', default: 'info' },
        'reload-interval': { type: 'string', default: '2' },
        'shutdown-timeout': { type: 'string', default: '20' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw usage((err as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const abs = (f: string | undefined): string | undefined => (f === undefined ? undefined : isAbsolute(f) ? f : join(cwd, f));
  if ((v.cert === undefined) !== (v.key === undefined)) throw usage(`--${v.cert === undefined ? 'key' : 'cert'} given without --${v.cert === undefined ? 'cert' : 'key'}; give both or neither`);
  if (v['on-error'] !== 'allow' && v['on-error'] !== 'deny') throw usage(`--on-error ${v['on-error']}: expected allow or deny`);
  if (!(KUBE_VERSIONS as readonly string[]).includes(v['kube-version'])) throw usage(`--kube-version ${v['kube-version']}: expected one of ${KUBE_VERSIONS.join(', ')}`);
  if (!(LOG_LEVELS as readonly string[]).includes(v['log-level'])) throw usage(`--log-level ${v['log-level']}: expected one of ${LOG_LEVELS.join(', ')}`);
  if (v.host === '') throw usage('--host: expected an interface address or name');
  if (v['stale-services'] !== 'skip' && v['stale-services'] !== 'deny') throw usage(`--stale-services ${v['stale-services']}: expected skip or deny`);
  if (!/^\d+$/.test(v['service-wait']) || Number(v['service-wait']) > 10_000) throw usage(`--service-wait ${v['service-wait']}: expected milliseconds from 0 to 10000`);
  return {
    cert: abs(v.cert),
    key: abs(v.key),
    port: portOf('--port', v.port, true),
    host: v.host,
    policy: abs(v.policy),
    metricsPort: v['metrics-port'] === undefined ? undefined : portOf('--metrics-port', v['metrics-port'], true),
    services: v.services,
    serviceCache: !v['no-service-cache'],
    kubeconfig: abs(v.kubeconfig),
    serviceNamespaces: v['service-namespaces'].split(',').map((n) => n.trim()).filter((n) => n !== ''),
    staleServices: v['stale-services'],
    serviceWaitMs: Number(v['service-wait']),
    onError: v['on-error'],
    kubeVersion: v['kube-version'] as KubeVersion,
    logLevel: v['log-level'] as LogLevel,
    reloadIntervalMs: seconds('--reload-interval', v['reload-interval'], 0.05) * 1000,
    shutdownTimeoutMs: seconds('--shutdown-timeout', v['shutdown-timeout'], 0) * 1000,
  };
}

/** Runs `sliceguard serve` until SIGTERM or SIGINT, then shuts down gracefully and returns 0. */
export async function runServe(argv: string[], io: Io): Promise<number> {
  const opts = parseServeArgs(argv, io.cwd);
  if (opts === 'help') {
    io.stdout(HELP);
    return 0;
  }
  let cert = opts.cert;
  let key = opts.key;
  let host = opts.host;
  let local: ThrowAway | undefined;
  if (cert === undefined || key === undefined) {
    if (io.env.KUBERNETES_SERVICE_HOST) throw usage('--cert and --key are required in a cluster (throw-away certificates are for trying sliceguard out locally)');
    host ??= '127.0.0.1';
    // Loaded only here: it brings node-forge, which a webhook with certificate files never uses.
    local = await (await import('./serve-local.ts')).makeThrowAwayCertificates(host);
    ({ cert, key } = local);
  }
  const logger = createLogger(opts.logLevel);
  let services: ServiceSource = {};
  try {
    // Inside the try: a --kubeconfig that cannot be read must not leave throw-away files behind.
    services = await serviceSource(opts, io, logger);
    const server = await startWebhook({
      certFile: cert,
      keyFile: key,
      policyFile: opts.policy,
      host,
      port: opts.port,
      metricsPort: opts.metricsPort,
      services: services.lookup,
      serviceGate: services.gate,
      readinessChecks: services.readiness ? [services.readiness] : [],
      kubeVersion: opts.kubeVersion,
      onError: opts.onError,
      logger,
      reloadIntervalMs: opts.reloadIntervalMs,
      shutdownTimeoutMs: opts.shutdownTimeoutMs,
    });
    if (services.cache) registerServiceCacheMetrics(server.metrics.registry, services.cache);
    if (local) io.stderr(local.banner(server.url));
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await server.shutdown();
    return 0;
  } finally {
    // Also when the server could not start: a running Service cache would keep the process alive.
    await services.stop?.();
    local?.remove();
  }
}

/** A Service source for the Service-aware rules, and how to watch and stop it. */
interface ServiceSource {
  lookup?: ServiceLookup;
  gate?: ServiceGate;
  cache?: ServiceCache;
  /** A readiness check (a live cache that has not synced yet is not ready). */
  readiness?: () => string | undefined;
  stop?: () => Promise<void>;
}

/**
 * Returns the Service source: the live cache (list + watch) when a kubeconfig is given or the
 * process runs in a pod, unless --no-service-cache; else the fixed set from `--services`; else
 * none (the Service-aware rules stay silent, as with `npm start`).
 */
async function serviceSource(opts: ServeOptions, io: Io, logger: Logger): Promise<ServiceSource> {
  const inCluster = Boolean(io.env.KUBERNETES_SERVICE_HOST);
  if (opts.serviceCache && (opts.kubeconfig !== undefined || inCluster)) {
    // Loaded only for the live cache: @kubernetes/client-node is some 26 MB of heap (its generated
    // API's source text and code) that a webhook with --services or no Services never uses.
    const [{ KubeConfig }, { ServiceCache }] = await Promise.all([import('@kubernetes/client-node'), import('../../webhook/service-cache.ts')]);
    const kubeConfig = new KubeConfig();
    try {
      if (opts.kubeconfig !== undefined) kubeConfig.loadFromFile(opts.kubeconfig);
      else kubeConfig.loadFromCluster();
    } catch (err) {
      throw usage(`--kubeconfig ${opts.kubeconfig ?? '(in-cluster)'}: ${(err as Error).message.split('\n')[0]}`);
    }
    const cache = new ServiceCache({
      kubeConfig,
      namespaces: opts.serviceNamespaces,
      onState: (state, error) => {
        if (error) logger.warn({ state, error: (error as Error).message ?? String(error) }, 'Service cache: list or watch failed');
        else logger.info({ state }, 'Service cache state changed');
      },
    });
    cache.start();
    return {
      cache,
      gate: new ServiceGate({ source: cache, staleMode: opts.staleServices, waitMs: opts.serviceWaitMs }),
      readiness: () => (cache.state === 'unsynced' ? 'Service cache has not synced with the API server yet.' : undefined),
      stop: () => cache.stop(),
    };
  }
  if (opts.services.length === 0) return {};
  const lookup = collectServices(new Sources([], io), { services: opts.services, namespace: 'default', cwd: io.cwd });
  return { lookup };
}

function portOf(flag: string, value: string, allowZero: boolean): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535 || (n === 0 && !allowZero)) throw usage(`${flag} ${value}: expected a port number from ${allowZero ? 0 : 1} to 65535`);
  return n;
}

function seconds(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min) throw usage(`${flag} ${value}: expected a number of seconds, at least ${min}`);
  return n;
}

function usage(message: string): SliceguardError {
  return new SliceguardError('SG_USAGE', `serve: ${message}`);
}
