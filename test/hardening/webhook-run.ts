/**
 * The webhook as a process (`sliceguard serve`, the built CLI) for the hostile-client and fault
 * tests: start it on a free port, read its JSON log lines, sample its RSS, and a well-behaved
 * client that keeps sending correct reviews and records how each one was answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { CLI } from '../cli/built-cli.ts';
import { admissionReview } from '../webhook/helpers.ts';
import { slice } from '../helpers/fixtures.ts';

/** A running `sliceguard serve` child. */
export interface ServeProcess {
  proc: ChildProcess;
  port: number;
  /** Every JSON log line so far (pino writes them to stdout). */
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `sliceguard serve --host 127.0.0.1 --port 0 ...extra` and waits for its "listening" line. */
export async function startServe(extra: string[], cwd: string): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...extra], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let partial = '';
  proc.stderr!.on('data', (d: Buffer) => void (err += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      const lines = (partial + d.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        // Access logs of every request would pile up over a burst; the rest is kept for the tests.
        if (entry.msg !== 'admission' && entry.msg !== 'admission request not reviewed normally') logs.push(entry);
        if (entry.msg === 'listening') resolve(entry.port as number);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening: ${err}`)));
  });
  return { proc, port, logs, stderr: () => err, exited };
}

/** Samples a process's resident set size from /proc every `everyMs`; `max` in MiB (0 without /proc). */
export function sampleRss(pid: number, everyMs = 200): { max: () => number; now: () => number; stop: () => void } {
  const file = `/proc/${pid}/status`;
  const read = (): number => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0; // the process has exited
    }
  };
  let max = read();
  const timer = existsSync(file) ? setInterval(() => void (max = Math.max(max, read())), everyMs) : undefined;
  return { max: () => Math.max(max, read()), now: read, stop: () => clearInterval(timer) };
}

/** What the well-behaved client saw. */
export interface GoodClientResult {
  sent: number;
  correct: number;
  /** Requests answered wrongly or not at all, with what happened. */
  failures: string[];
  latenciesMs: number[];
}

const ALLOWED = slice();
// A cloud metadata address the API server itself accepts: only special-ip stands in the way.
const DENIED = slice({ endpoints: [{ addresses: ['100.100.100.200'] }] });

/**
 * Sends correct reviews over `connections` keep-alive connections, as kube-apiserver does
 * (CA-verified, `?timeout=10s`), alternating one that is allowed and one that special-ip denies,
 * until `stop()` is called; each answer must be a 200 AdmissionReview with the request's uid.
 */
export function goodClient(port: number, ca: string, connections = 2): { stop: () => Promise<GoodClientResult> } {
  const agent = new Agent({ keepAlive: true, ca, maxSockets: connections });
  const result: GoodClientResult = { sent: 0, correct: 0, failures: [], latenciesMs: [] };
  let running = true;
  const one = (n: number): Promise<void> => {
    const deny = n % 2 === 1;
    const uid = `good-${n}`;
    const body = JSON.stringify(admissionReview({ uid, object: deny ? DENIED : ALLOWED }));
    const started = performance.now();
    return new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/validate?timeout=10s', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => void (text += c));
        res.on('end', () => {
          result.latenciesMs.push(performance.now() - started);
          const answer = safeParse(text) as { response?: { uid?: string; allowed?: boolean; status?: { message?: string } } } | undefined;
          const ok = res.statusCode === 200 && answer?.response?.uid === uid && answer.response.allowed === !deny &&
            (!deny || (answer.response.status?.message ?? '').includes('special-ip'));
          if (ok) result.correct++;
          else result.failures.push(`${uid}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
          resolve();
        });
      });
      req.on('error', (err) => {
        result.failures.push(`${uid}: ${err.message}`);
        resolve();
      });
      req.end(body);
    });
  };
  const loop = async (lane: number): Promise<void> => {
    for (let i = lane; running; i += connections) {
      result.sent++;
      await one(i);
    }
  };
  const lanes = Array.from({ length: connections }, (_, lane) => loop(lane));
  return {
    stop: async () => {
      running = false;
      await Promise.all(lanes);
      agent.destroy();
      return result;
    },
  };
}

/** Returns the p-quantile (0..1) of a list of numbers. */
export function quantile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Opens a TLS connection, writes `parts` (a function may write over time), and returns what came
 * back and when the server closed the connection (ms after connecting), or `timedOut` after `limitMs`.
 */
export function rawTls(port: number, ca: string, write: (socket: import('node:tls').TLSSocket) => void, limitMs = 20_000): Promise<{ text: string; closedAfterMs: number; timedOut: boolean; error?: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let text = '';
    let error: string | undefined;
    const socket = tlsConnect({ host: '127.0.0.1', port, ca }, () => write(socket));
    const limit = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedAfterMs: Date.now() - started, timedOut: true, error });
    }, limitMs);
    socket.on('data', (d: Buffer) => void (text += d.toString('latin1')));
    socket.on('error', (err) => void (error = err.message));
    socket.on('close', () => {
      clearTimeout(limit);
      resolve({ text, closedAfterMs: Date.now() - started, timedOut: false, error });
    });
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
