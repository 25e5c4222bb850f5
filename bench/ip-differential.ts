/**
 * The long differential run of policies/ip.ts against ipaddr.js (issue 9), not part of `npm test`:
 *
 *   node bench/ip-differential.ts [strings per family, default 5000000] [seed, default 1]
 *
 * Prints, per family, how many strings were generated and accepted, how often each documented
 * quirk explained a disagreement, and every unexplained disagreement (then exits 1).
 */
import { QUIRKS, runDifferential } from '../test/helpers/ip-differential.ts';

const count = Number(process.argv[2] ?? 5_000_000);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isSafeInteger(count) || count <= 0 || !Number.isSafeInteger(seed)) {
  console.error('usage: node bench/ip-differential.ts [strings per family] [seed]');
  process.exit(2);
}

let failed = false;
for (const family of ['IPv4', 'IPv6'] as const) {
  const started = performance.now();
  // Runs in chunks so that progress shows on long runs; each chunk has its own seed.
  const chunk = 1_000_000;
  const total = { strings: 0, accepted: 0, quirks: {} as Record<string, number>, bugs: [] as string[] };
  for (let done = 0, k = 0; done < count; done += chunk, k++) {
    const r = runDifferential(family, Math.min(chunk, count - done), seed * 1000 + k);
    total.strings += r.strings;
    total.accepted += r.accepted;
    for (const [id, n] of Object.entries(r.quirks)) total.quirks[id] = (total.quirks[id] ?? 0) + n;
    total.bugs.push(...r.bugs);
    process.stderr.write(`\r${family}: ${total.strings} strings`);
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  console.log(`${family}: ${total.strings} strings (${total.accepted} parse), ${seconds.toFixed(1)} s, ${total.bugs.length} unexplained`);
  for (const [id, n] of Object.entries(total.quirks).sort((a, b) => b[1] - a[1])) {
    console.log(`  ${String(n).padStart(9)}  ${id}: ${QUIRKS[id].description} [${QUIRKS[id].ref}]`);
  }
  for (const b of total.bugs.slice(0, 50)) console.log(`  UNEXPLAINED ${b}`);
  failed ||= total.bugs.length > 0;
}
process.exit(failed ? 1 : 0);
