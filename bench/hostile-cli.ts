/**
 * The CLI's big-input runs that are too slow for `npm test` (docs/security.md records them):
 * `validate --format json` and `--format text` over a 100 MB multi-document file with unique
 * addresses, and over one where later slices repeat earlier addresses (a duplicate-address warning
 * for most documents), with the child's peak RSS. Runs dist/ (npm run build first).
 * Run: node bench/hostile-cli.ts   Environment: MB (default 100).
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch, sliceYaml } from '../test/hardening/cli-run.ts';

const MB = Number(process.env.MB ?? 100);
const s = scratch('hostile-cli');

/** Writes a file of about MB megabytes of slices; `repeatEvery` makes slice i reuse slice i - n's addresses. */
function write(name: string, repeatEvery: number): { path: string; documents: number } {
  const path = join(s.dir, name);
  const fd = openSync(path, 'w');
  let size = 0;
  let n = 0;
  while (size < MB * 1024 * 1024) {
    let piece = '';
    while (piece.length < 1024 * 1024) {
      piece += sliceYaml(n % repeatEvery).replace(/name: web-\d+/, `name: web-${n}`);
      n++;
    }
    writeSync(fd, piece);
    size += piece.length;
  }
  closeSync(fd);
  return { path, documents: n };
}

try {
  console.log('| input | format | exit | time | peak RSS | summary |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, repeatEvery] of [['unique.yaml', Number.MAX_SAFE_INTEGER], ['duplicates.yaml', 60_000]] as const) {
    const file = write(name, repeatEvery);
    const mb = (statSync(file.path).size / 2 ** 20).toFixed(0);
    for (const format of ['json', 'text']) {
      const r = runCli(['validate', '--format', format, name], { cwd: s.dir, probe: s.probe, timeoutMs: 900_000 });
      const summary = format === 'json' ? JSON.stringify((JSON.parse(r.stdout) as { summary: unknown }).summary) : r.stdout.trim().split('\n').at(-1);
      console.log(`| ${mb} MB, ${file.documents} documents (${name}) | ${format} | ${r.status} | ${(r.ms / 1000).toFixed(1)} s | ${(r.maxRssKiB / 1024).toFixed(0)} MiB | ${summary} |`);
    }
  }
} finally {
  s.cleanup();
}
