/**
 * The access line of `createLogger`'s loggers, which `accessLog` writes itself (for speed), must be
 * the line pino would write with the same options, byte for byte.
 */
import { expect } from 'chai';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    // The destination writes asynchronously, one batch after another: read until `expected` lines.
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
