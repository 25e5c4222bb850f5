// Preloaded with `node --import` where GNU time is missing: writes this process's peak resident
// set size (kB, from getrusage) to $SG_BENCH_RSS_FILE when it exits. Plain JavaScript, so that
// loading it costs no TypeScript stripping inside the measured process.
import { writeFileSync } from 'node:fs';

const file = process.env.SG_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
