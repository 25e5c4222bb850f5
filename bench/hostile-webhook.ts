/**
 * The webhook's hostile-client runs that are too long for `npm test` (docs/security.md records
 * their results): a burst of a million tiny requests, thousands of idle TLS connections, and
 * hundreds of clients holding 3 MiB bodies, each while a well-behaved client sends correct reviews
 * and the server's RSS is sampled. Runs `sliceguard serve` from dist/ (npm run build first).
 * Run: node bench/hostile-webhook.ts   Environment: BURST (default 1000000), IDLE (default 6000),
 * HOLDERS (default 300), CONNECTIONS (burst connections, default 64).
 */
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { certFiles } from '../test/webhook/helpers.ts';
import { goodClient, quantile, sampleRss, startServe, type GoodClientResult } from '../test/hardening/webhook-run.ts';

interface Result { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number; timeouts: number; '2xx': number; duration: number }
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Promise<Result>;

const BURST = Number(process.env.BURST ?? 1_000_000);
const IDLE = Number(process.env.IDLE ?? 6000);
const HOLDERS = Number(process.env.HOLDERS ?? 300);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);

const certs = await certFiles();
const rows: string[] = ['| run | what the attacker did | server peak RSS | well-behaved client |', '|---|---|---|---|'];
const describeGood = (g: GoodClientResult): string =>
  `${g.correct}/${g.sent} correct, p50 ${quantile(g.latenciesMs, 0.5).toFixed(1)} ms, p99 ${quantile(g.latenciesMs, 0.99).toFixed(0)} ms, max ${quantile(g.latenciesMs, 1).toFixed(0)} ms`;

/** Starts a fresh server, runs one attack on it while the well-behaved client works, and adds a row. */
async function phase(name: string, attack: (port: number) => Promise<string>): Promise<void> {
  const server = await startServe(['--cert', certs.certFile, '--key', certs.keyFile], certs.dir);
  const rss = sampleRss(server.proc.pid!, 100);
  try {
    const base = rss.now();
    const good = goodClient(server.port, certs.caCert);
    const what = await attack(server.port);
    const result = await good.stop();
    rows.push(`| ${name} | ${what} | ${rss.max().toFixed(0)} MiB (from ${base.toFixed(0)}) | ${describeGood(result)} |`);
    console.log(rows.at(-1));
  } finally {
    rss.stop();
    server.proc.kill('SIGTERM');
    await server.exited;
  }
}

try {
  await phase(`burst of ${BURST} tiny requests`, async (port) => {
    const r = await autocannon({ url: `https://127.0.0.1:${port}/validate`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', connections: CONNECTIONS, amount: BURST, timeout: 10 });
    return `${CONNECTIONS} connections, ${Math.round(r.requests.average)} req/s for ${r.duration.toFixed(0)} s, ${r.non2xx} answered 400, ${r.errors} errors, ${r.timeouts} timeouts`;
  });
  await phase(`${IDLE} idle TLS connections`, async (port) => {
    const sockets: TLSSocket[] = [];
    let refused = 0;
    for (let i = 0; i < IDLE; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, IDLE - i) }, () => new Promise<void>((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port, ca: certs.caCert }, () => resolve());
        s.on('error', () => {
          refused++;
          resolve();
        });
        sockets.push(s);
      })));
    }
    const open = sockets.filter((s) => !s.destroyed).length;
    await new Promise((r) => setTimeout(r, 13_000));
    const left = sockets.filter((s) => !s.destroyed).length;
    for (const s of sockets) s.destroy();
    return `opened ${IDLE}: ${open} open after the handshakes (${refused} refused), ${left} still open 13 s later`;
  });
  await phase(`${HOLDERS} clients holding 3 MiB bodies`, async (port) => {
    const size = 3 * 1024 * 1024 - 64;
    const piece = Buffer.alloc(256 * 1024, 0x20);
    let refused = 0;
    const sockets = await Promise.all(Array.from({ length: HOLDERS }, () => new Promise<TLSSocket>((resolve) => {
      const s = tlsConnect({ host: '127.0.0.1', port, ca: certs.caCert }, () => {
        s.write(`POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
        for (let sent = 0; sent + piece.length < size; sent += piece.length) s.write(piece);
        resolve(s);
      });
      s.on('data', (d: Buffer) => void (d.toString('latin1').startsWith('HTTP/1.1 503') && refused++));
      s.on('error', () => resolve(s));
    })));
    await new Promise((r) => setTimeout(r, 5_000));
    for (const s of sockets) s.destroy();
    return `${HOLDERS} x 3 MiB sent, last byte held: ${refused} got 503`;
  });
  console.log(`\n${rows.join('\n')}`);
} finally {
  rmSync(certs.dir, { recursive: true, force: true });
}
