/**
 * The access line of `createLogger`'s loggers, which `accessLog` writes itself (for speed), must be
 * the line pino would write with the same options, byte for byte.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { accessLog, createLogger } from '../../webhook/logging.ts';
import type { HandledRequest } from '../../webhook/http.ts';

const denied: HandledRequest = {
  path: 'validate',
  status: 200,
  seconds: 0.000123456,
  bytes: 2048,
  summary: { uid: 'u"1', operation: 'CREATE', namespace: 'shop', name: 'web-\u0001*', user: 'system:x', dryRun: false, decision: 'denied', allowed: false, denied: ['b', 'd'], warned: ['a', 'd'] },
};
const invalid: HandledRequest = { path: 'mutate', status: 400, seconds: 0.002, bytes: 0, summary: { decision: 'invalid', denied: [], warned: [], error: 'The body is empty.' } };
const allowed: HandledRequest = { ...denied, summary: { uid: 'u2', operation: 'UPDATE', namespace: 'shop', name: 'web', dryRun: true, decision: 'allowed', allowed: true, denied: [], warned: [] } };

/** Returns the lines `createLogger`'s logger writes for `requests` at `level`, the clock stopped at `now` (waits for `expected`). */
async function ownLines(level: 'info' | 'warn', requests: HandledRequest[], now: number, expected: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-log-'));
  const fd = openSync(join(dir, 'log'), 'w');
  try {
    const log = createLogger(level, fd);
    withClock(now, () => requests.forEach((h) => accessLog(log, h)));
    // The destination writes at the end of the turn: read until `expected` lines.
    const read = (): string[] => readFileSync(join(dir, 'log'), 'utf8').split('\n').filter((l) => l !== '');
    for (let i = 0; i < 100 && read().length < expected; i++) await new Promise((r) => setTimeout(r, 10));
    return read();
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns the lines pino itself writes with createLogger's options, through accessLog's pino path. */
function pinoLines(level: 'info' | 'warn', requests: HandledRequest[], now: number): string[] {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString('utf8').trimEnd()), done()) });
  const opts = { level, base: { app: 'sliceguard' }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label: string) => ({ level: label }) } };
  const log: Logger = pino(opts, { write: (s: string) => void stream.write(s) });
  withClock(now, () => requests.forEach((h) => accessLog(log, h)));
  return lines;
}

function withClock(now: number, fn: () => void): void {
  const real = Date.now;
  Date.now = () => now;
  try {
    fn();
  } finally {
    Date.now = real;
  }
}

describe('access log lines', () => {
  for (const now of [Date.UTC(2026, 10, 23, 10, 0, 0, 7), Date.UTC(2026, 10, 23, 10, 0, 59, 45), Date.UTC(2027, 0, 1, 0, 0, 0, 999), Date.UTC(2027, 0, 1, 0, 0, 1, 0)]) {
    it(`are pino's own lines, byte for byte, at ${new Date(now).toISOString()}`, async () => {
      const ours = await ownLines('info', [denied, invalid, allowed], now, 3);
      expect(ours).to.have.length(3);
      expect(ours).to.deep.equal(pinoLines('info', [denied, invalid, allowed], now));
      expect(JSON.parse(ours[0])).to.deep.include({ level: 'info', time: new Date(now).toISOString(), rules: ['a', 'b', 'd'], name: 'web-\u0001*', uid: 'u"1', msg: 'admission' });
    });
  }

  it('follow the level: at warn only the refused and failed requests are written', async () => {
    const ours = await ownLines('warn', [denied, invalid, allowed], Date.UTC(2026, 10, 23), 2); // waits for a second line that must not come
    expect(ours.map((l) => (JSON.parse(l) as { decision: string }).decision)).to.deep.equal(['invalid']);
    expect(JSON.parse(ours[0])).to.deep.include({ level: 'warn', path: '/mutate', status: 400, error: 'The body is empty.', msg: 'admission request not reviewed normally' });
  });
});

describe('the log destination', () => {
  /** Runs `code` (an ES module that may import `LOGGING`) in a new Node process, its stdout a pipe; returns stdout and stderr. */
  function run(code: string): { stdout: string; stderr: string } {
    const logging = pathToFileURL(join(import.meta.dirname, '../../webhook/logging.ts')).href;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code.replaceAll('LOGGING', logging)], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return { stdout: r.stdout, stderr: r.stderr };
  }
  const request = JSON.stringify(allowed);

  it('writes the lines of one callback in one write to stdout, in the order they were logged (pino lines and access lines)', async () => {
    const out = run(`import { accessLog, createLogger } from 'LOGGING';
      const writes = [];
      const real = process.stdout.write.bind(process.stdout);
      process.stdout.write = (text, ...rest) => (writes.push(text.split('\\n').length - 1), real(text, ...rest));
      const log = createLogger('info');
      log.info('first');
      accessLog(log, ${request});
      log.warn('third');
      setImmediate(() => {
        accessLog(log, ${request});
        setImmediate(() => process.stderr.write(JSON.stringify(writes)));
      });`);
    const lines = out.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { msg: string; level: string });
    expect(lines.map((l) => `${l.level} ${l.msg}`)).to.deep.equal(['info first', 'info admission', 'warn third', 'info admission']);
    // Lines per write: the first callback's three lines in one, the later one alone.
    expect(JSON.parse(out.stderr)).to.deep.equal([3, 1]);
  });

  it('writes what is pending when the process exits in the same turn', () => {
    const out = run(`import { accessLog, createLogger } from 'LOGGING';
      const log = createLogger('info');
      accessLog(log, ${request});
      log.error('exiting');
      process.exit(0);`);
    expect(out.stderr).to.equal('');
    expect(out.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)).to.deep.equal(['admission', 'exiting']);
  });

  it('writes to a file descriptor synchronously once the callback is done, not through the thread pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-log-'));
    const fd = openSync(join(dir, 'log'), 'w');
    const fsRequests = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSReqCallback').length;
    try {
      const before = fsRequests();
      const log = createLogger('info', fd);
      accessLog(log, allowed);
      expect(readFileSync(join(dir, 'log'), 'utf8')).to.equal(''); // still pending in this callback
      await Promise.resolve();
      expect(readFileSync(join(dir, 'log'), 'utf8').split('\n').filter((l) => l !== '')).to.have.length(1);
      expect(fsRequests()).to.equal(before);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
