/**
 * The webhook server: HTTPS with the lean admission handler in front of the express app, an
 * optional plain-HTTP metrics listener, certificate and policy reload, and graceful shutdown.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Policy } from '../policies/policy.ts';
import type { KubeVersion, ServiceLookup } from '../policies/types.ts';
import { createApp } from './app.ts';
import { readCertificateFiles, readPolicyFile } from './files.ts';
import { admissionKind, handleAdmission } from './http.ts';
import { accessLog, certificateLog } from './logging.ts';
import { listen, once, shutdown, type DrainState } from './lifecycle.ts';
import { createMetrics, type WebhookMetrics } from './metrics.ts';
import { certificatePoller, policyPoller, type ReloadTarget } from './reloaders.ts';
import type { FilePoller } from './reload.ts';
import type { OnError, ReviewDeps } from './review.ts';
import type { ServiceGate, ServiceVerdict } from './service-gate.ts';
import { certificateProblem, TLS_SETTINGS, type ServingCertificate } from './tls.ts';

/** Everything `startWebhook` needs; only the files, port, failure mode and logger are required. */
export interface WebhookOptions {
  certFile: string;
  keyFile: string;
  /** Policy file; absent: the default policy (no reload). */
  policyFile?: string;
  /** Interface to listen on; absent: every interface. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Serve /metrics over plain HTTP on this port as well. */
  metricsPort?: number;
  /** Service source of the Service-aware rules; absent keeps them silent. */
  services?: ServiceLookup;
  /** The live Service cache's gate; when set it decides the Services each review sees. */
  serviceGate?: ServiceGate;
  kubeVersion?: KubeVersion;
  onError: OnError;
  logger: Logger;
  /** How often the certificate and policy files are read again (default 2 s). */
  reloadIntervalMs?: number;
  /** How long shutdown waits for in-flight reviews before closing their connections (default 20 s). */
  shutdownTimeoutMs?: number;
  /** More readiness checks (e.g. a Service cache that has not synced): each returns a reason or undefined. */
  readinessChecks?: (() => string | undefined)[];
  /** The clock, for certificate validity (tests). */
  now?: () => number;
  /** Shorter timeouts than `SERVER_TIMEOUTS` (tests). */
  timeouts?: Partial<typeof SERVER_TIMEOUTS>;
}

/** A running webhook server. */
export interface WebhookServer {
  /** `https://host:port`, with the port actually bound. */
  url: string;
  port: number;
  metricsPort: number | undefined;
  metrics: WebhookMetrics;
  /** Returns why the server is not ready (empty when ready), as /readyz does. */
  notReady(): string[];
  /** Reads the certificate and policy files now rather than at the next interval. */
  reloadNow(): Promise<void>;
  /** Fails /readyz, stops accepting, finishes in-flight reviews, closes every connection. */
  shutdown(): Promise<void>;
}

/**
 * Timeouts, so that a slow or idle client cannot hold a connection: 10 s for the TLS handshake and
 * for the request headers, 30 s for a whole request (kube-apiserver's longest webhook timeout),
 * checked every second. Idle keep-alive connections stay open 100 s: longer than the 90 s after
 * which Go's HTTP client in kube-apiserver drops them itself, so the client closes first and never
 * sends a review into a connection the server is closing (Go does not retry a POST).
 */
export const SERVER_TIMEOUTS = { handshakeTimeout: 10_000, headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 100_000, connectionsCheckingInterval: 1_000 };

/**
 * The most connections open at once; more are closed as they arrive. Each TLS connection costs
 * 45-60 kB, so 5000 idle ones took the server from 240 to 471 MB and 10,000 would pass the chart's
 * 512 Mi limit: any pod that reaches the port could have the webhook OOM-killed. 2048 (about
 * 120 MB) is far above what kube-apiserver opens (one connection per concurrent call, bounded by
 * its max-inflight settings). See docs/security.md.
 */
export const MAX_CONNECTIONS = 2048;

/** What changes while the server runs. */
interface State extends ReloadTarget, DrainState {}

/** Starts the webhook; throws `SG_CERT_*`, `SG_POLICY_*` or `SG_LISTEN_FAILED` when it cannot. */
export async function startWebhook(opts: WebhookOptions): Promise<WebhookServer> {
  const log = opts.logger;
  const now = opts.now ?? Date.now;
  const metrics = createMetrics();
  const cert: ServingCertificate = readCertificateFiles(opts.certFile, opts.keyFile);
  const initialPolicy = readPolicyFile(opts.policyFile);
  const state: State = { cert, policy: initialPolicy.policy, draining: false, inFlight: 0 };
  metrics.certificate('success', cert.notAfter);
  if (opts.policyFile) metrics.policy('success');
  log.info(certificateLog(cert, now()), 'serving certificate loaded');
  const problem = certificateProblem(cert, now());
  if (problem) log.warn({ certFile: opts.certFile, problem }, 'serving certificate is not valid now; /readyz fails until it is replaced');

  const notReady = readiness(state, opts, now);
  const draining = (): boolean => state.draining;
  const timeouts = { ...SERVER_TIMEOUTS, ...opts.timeouts };
  const server = createHttpsServer({ ...TLS_SETTINGS, ...timeouts, cert: cert.cert, key: cert.key }, requestListener(state, opts, metrics, notReady));
  server.on('tlsClientError', (err) => log.debug({ err: err.message }, 'TLS handshake failed'));
  server.maxConnections = MAX_CONNECTIONS;
  // Node's headersTimeout starts with a request's first byte: a connection that completed the
  // handshake and then sent nothing was never closed. It gets the headers timeout to start one.
  // bytesRead, not a 'data' listener: that listener makes Node stop feeding the socket to the
  // HTTP parser natively, which cost every request about 5 µs (docs/performance.md, "Webhook").
  server.on('secureConnection', (socket) => {
    const timer = setTimeout(() => socket.bytesRead > 0 || socket.destroy(), timeouts.headersTimeout).unref();
    socket.once('close', () => clearTimeout(timer));
  });
  await listen(server, opts.port, opts.host);
  let metricsServer: Server | undefined;
  if (opts.metricsPort !== undefined) {
    metricsServer = createHttpServer(timeouts, createApp({ metrics, notReady, draining, metricsOnly: true }));
    await listen(metricsServer, opts.metricsPort, opts.host).catch((err: unknown) => {
      server.close();
      throw err;
    });
  }

  const target = { state, server, metrics, log, now };
  const pollers: FilePoller<unknown>[] = [certificatePoller(target, opts.certFile, opts.keyFile)];
  if (opts.policyFile) pollers.push(policyPoller(target, opts.policyFile, initialPolicy.text ?? ''));
  for (const p of pollers) p.start(opts.reloadIntervalMs ?? 2000);

  const port = (server.address() as AddressInfo).port;
  const url = `https://${urlHost(opts.host)}:${port}`;
  const metricsPort = metricsServer ? (metricsServer.address() as AddressInfo).port : undefined;
  log.info({ url, port, metricsPort, policy: state.policy.source, onError: opts.onError, services: opts.services !== undefined }, 'listening');
  return {
    url,
    port,
    metricsPort,
    metrics,
    notReady,
    reloadNow: async () => void (await Promise.all(pollers.map((p) => p.check()))),
    shutdown: once(() => shutdown(state, [server, metricsServer], pollers, log, opts.shutdownTimeoutMs ?? 20_000)),
  };
}

/** Returns the readiness check: not draining, a certificate valid now, and the extra checks. */
function readiness(state: State, opts: WebhookOptions, now: () => number): () => string[] {
  return () => {
    const reasons: string[] = [];
    if (state.draining) reasons.push('Shutting down.');
    const problem = certificateProblem(state.cert, now());
    if (problem) reasons.push(`Serving certificate: ${problem}`);
    for (const check of opts.readinessChecks ?? []) {
      const r = check();
      if (r) reasons.push(r);
    }
    return reasons;
  };
}

/** Returns the HTTPS request listener: admission POSTs to the lean handler, the rest to express. */
function requestListener(state: State, opts: WebhookOptions, metrics: WebhookMetrics, notReady: () => string[]) {
  const app = createApp({ metrics, notReady, draining: () => state.draining });
  const handler = {
    deps: (): ReviewDeps => ({ policy: state.policy, services: opts.services, kubeVersion: opts.kubeVersion, onError: opts.onError }),
    draining: () => state.draining,
    ...(opts.serviceGate ? { services: serviceViewOf(opts.serviceGate) } : {}),
    done: (h: Parameters<typeof accessLog>[1]) => {
      metrics.review(`/${h.path}`, h.summary, h.seconds);
      accessLog(opts.logger, h);
    },
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const kind = admissionKind(req);
    if (kind === undefined) return void app(req, res);
    metrics.inFlight(++state.inFlight);
    res.once('close', () => {
      metrics.inFlight(--state.inFlight);
      if (state.inFlight === 0) state.idle?.();
    });
    handleAdmission(req, res, kind, handler);
  };
}

function urlHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Returns the per-review Service view: the gate applied to the review's object and namespace. */
function serviceViewOf(gate: ServiceGate): (review: unknown) => ServiceVerdict | Promise<ServiceVerdict> {
  return (review) => {
    const request = review !== null && typeof review === 'object' ? (review as { request?: unknown }).request : undefined;
    const r = request !== null && typeof request === 'object' ? (request as { object?: unknown; namespace?: unknown }) : {};
    return gate.forReview(r.object, typeof r.namespace === 'string' && r.namespace !== '' ? r.namespace : undefined);
  };
}
