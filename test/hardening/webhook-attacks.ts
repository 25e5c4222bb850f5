/**
 * The slow attacks of the webhook hostile-client test, started at the beginning and awaited at
 * the end (they take as long as the server's timeouts), and the openssl probe of old protocols.
 */
import { execFileSync } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { rawTls } from './webhook-run.ts';

/** Starts slow attacks that the server must cut: headers and body a byte at a time, idle TLS and TCP. */
export async function slowAttacks(port: number, ca: string): Promise<Record<string, { closedAfterMs: number; firstLine: string; timedOut: boolean }>> {
  const trickle = (text: string) => (s: TLSSocket) => {
    let i = 0;
    const t = setInterval(() => (s.destroyed || i >= text.length ? clearInterval(t) : s.write(text[i++])), 400);
  };
  const headers = rawTls(port, ca, trickle('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Padding: ' + 'a'.repeat(200)), 40_000);
  const body = rawTls(port, ca, (s) => {
    s.write('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n');
    trickle('{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",' + ' '.repeat(400))(s);
  }, 40_000);
  const idleTls = Promise.all(Array.from({ length: 200 }, () => rawTls(port, ca, () => {}, 40_000)));
  const idleTcp = Promise.all(Array.from({ length: 200 }, () => new Promise<{ text: string; closedAfterMs: number; timedOut: boolean }>((resolve) => {
    const started = Date.now();
    const s = netConnect(port, '127.0.0.1');
    const limit = setTimeout(() => s.destroy(), 40_000);
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(limit);
      resolve({ text: '', closedAfterMs: Date.now() - started, timedOut: Date.now() - started >= 40_000 });
    });
  })));
  const worst = (list: { closedAfterMs: number; timedOut: boolean; text: string }[]) =>
    list.reduce((a, b) => (b.timedOut || b.closedAfterMs > a.closedAfterMs ? b : a));
  const [h, b, it, ic] = await Promise.all([headers, body, idleTls, idleTcp]);
  const shape = (r: { closedAfterMs: number; timedOut: boolean; text: string }) => ({ closedAfterMs: r.closedAfterMs, timedOut: r.timedOut, firstLine: r.text.split('\r\n')[0] });
  return { headers: shape(h), body: shape(b), idleTls: shape(worst(it)), idleTcp: shape(worst(ic)) };
}

/** Runs `openssl s_client` with one protocol flag (old protocols enabled on the client side); returns its output. */
export function opensslConnect(port: number, flag: string): string {
  try {
    return execFileSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, flag, '-cipher', 'DEFAULT:@SECLEVEL=0'], { input: '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}
