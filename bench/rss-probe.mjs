// Preloaded with `node --import` where GNU time is missing: writes this process's peak resident
// set size (kB) and user and system CPU seconds (from getrusage), as GNU time's '%M %U %S' would,
// to $SG_BENCH_RSS_FILE when it exits. Plain JavaScript, so that loading it costs no TypeScript
// stripping inside the measured process.
import { writeFileSync } from 'node:fs';

const file = process.env.SG_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
  });
}
