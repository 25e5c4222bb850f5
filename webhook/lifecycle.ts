/**
 * Starting and stopping listeners: listen with a coded error, and the graceful shutdown order.
 */
import type { Server as HttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { SliceguardError } from '../policies/errors.ts';
import type { FilePoller } from './reload.ts';

/** What shutdown reads and sets on the running server. */
export interface DrainState {
  draining: boolean;
  inFlight: number;
  /** Called when the last in-flight review has been answered. */
  idle?: () => void;
}

/**
 * Shuts down in order: /readyz fails, the listeners stop accepting and drop idle connections,
 * in-flight reviews finish (their answers close their connections), then whatever is left closes.
 */
export async function shutdown(state: DrainState, servers: (Server | HttpsServer | undefined)[], pollers: FilePoller<unknown>[], log: Logger, timeoutMs: number): Promise<void> {
  state.draining = true;
  log.info({ inFlight: state.inFlight }, 'shutting down: /readyz fails, no new connections, finishing in-flight reviews');
  for (const p of pollers) p.stop();
  const live = servers.filter((s): s is Server | HttpsServer => s !== undefined);
  const closed = Promise.all(live.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  for (const s of live) s.closeIdleConnections();
  if (state.inFlight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      state.idle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  for (const s of live) s.closeAllConnections();
  await closed;
  log.info({ inFlight: state.inFlight }, 'stopped');
  log.flush();
}

/** Listens on `host:port`; throws `SG_LISTEN_FAILED` naming the address and the reason. */
export function listen(server: Server | HttpsServer, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
      reject(new SliceguardError('SG_LISTEN_FAILED', `cannot listen on ${host ?? '*'}:${port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Returns a function that runs `fn` once and returns the same promise on every later call. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
