/**
 * Process plumbing for the webhook benchmark: starting a server (pinned to a core with taskset
 * when it exists), waiting for its port, checking its answers, reading its peak RSS from
 * /proc/PID/status (VmHWM: the kernel's high-water mark, read before the server stops) and
 * running the load generator in its own pinned process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load.ts';

/** Returns the taskset prefix that pins a process to `core`, or none where taskset is missing. */
export function pin(core: number | undefined): string[] {
  if (core === undefined) return [];
  return tasksetWorks() ? ['taskset', '-c', String(core)] : [];
}

let tasksetOk: boolean | undefined;
/** True when `taskset` can pin processes here (absent on macOS, may be refused in containers). */
export function tasksetWorks(): boolean {
  tasksetOk ??= spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
  return tasksetOk;
}

/** Returns a TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** A running server process. */
export interface Server {
  child: ChildProcess;
  port: number;
  stderr: () => string;
}

/** Starts `node args...` pinned to `core`; resolves once its port accepts connections. */
export async function startServer(args: string[], port: number, core: number | undefined): Promise<Server> {
  const [cmd, ...rest] = [...pin(core), process.execPath, ...args];
  const child = spawn(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
  const err: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const stderr = (): string => Buffer.concat(err).toString().slice(-2000);
  await waitForPort(port, child, stderr);
  return { child, port, stderr };
}

function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((done, fail) => {
    const end = Date.now() + 20_000;
    const attempt = (): void => {
      if (child.exitCode !== null) return fail(new Error(`server exited with ${child.exitCode}: ${stderr()}`));
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), done()));
      s.once('error', () => (Date.now() > end ? fail(new Error(`port ${port} never opened: ${stderr()}`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

/** Returns the peak resident set size (kB) of a running process, or NaN where /proc is missing. */
export function peakRssKb(pid: number | undefined): number {
  const file = `/proc/${pid}/status`;
  if (pid === undefined || !existsSync(file)) return NaN;
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(file, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Stops a server with SIGTERM (SIGKILL after 10 s) and waits for it to exit. */
export function stopServer(server: Server): Promise<void> {
  return new Promise((done) => {
    if (server.child.exitCode !== null) return done();
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => (clearTimeout(timer), done()));
    server.child.kill('SIGTERM');
  });
}

/** POSTs one body and returns the HTTP status and parsed answer (CA-verified, as the API server does). */
export function post(port: number, path: string, body: string, ca: string): Promise<{ status: number; json: unknown }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', ca, servername: 'localhost', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {
          // keep the text: the check reports it
        }
        done({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** Runs the load generator in its own process pinned to `core` and returns its result. */
export function runLoadProcess(spec: LoadSpec, core: number | undefined): Promise<LoadResult> {
  const [cmd, ...rest] = [...pin(core), process.execPath, join(import.meta.dirname, 'load.ts'), JSON.stringify(spec)];
  return new Promise((done, fail) => {
    const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', fail);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString().trim();
      if (code !== 0 || !text) return fail(new Error(`load generator exited ${code}: ${Buffer.concat(err).toString().slice(-1000)}`));
      done(JSON.parse(text.split('\n').pop() as string) as LoadResult);
    });
  });
}
