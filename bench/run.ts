/**
 * `npm run bench`: every figure of sliceguard as a ratio to its floor, measured in the same run
 * (issue 8). Generates the corpora into bench/out/ (deterministic from --seed), then measures the
 * offline validator, the webhook, the scaling row and the per-slice rule cost; prints a table and
 * writes bench/results.json (and bench/out/performance-table.md for docs/performance.md).
 *
 * Usage: npm run bench [-- --quick] [--seed N] [--repeats N] [--only offline,webhook,scaling,rules]
 *                      [--load auto|autocannon|wrk] [--regenerate]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, serveAvailable, whichLoadTool } from './setup.ts';
import { offlineCorpora, scalingCorpora } from './corpora.ts';
import { writeCorpus } from './generate.ts';
import { rssMethod } from './measure.ts';
import { runOffline } from './offline.ts';
import { measureRuleCost } from './rule-cost.ts';
import { runScaling } from './scaling.ts';
import { tasksetWorks } from './servers.ts';
import { renderMarkdown, renderText, tables, type BenchResults } from './table.ts';
import { runWebhook } from './webhook.ts';

const root = resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '8' },
    repeats: { type: 'string' },
    only: { type: 'string', default: 'offline,webhook,scaling,rules' },
    load: { type: 'string', default: 'auto' },
    regenerate: { type: 'boolean', default: false },
  },
});
const quick = flags.quick;
const seed = Number(flags.seed);
const repeats = Number(flags.repeats ?? (quick ? 2 : 5));
const parts = new Set(flags.only.split(','));
const out = join(root, 'bench', 'out');
const scratch = join(out, 'scratch');
mkdirSync(scratch, { recursive: true });
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const cli = join(root, 'dist', 'cli', 'main.js');
const cores = availableParallelism();

ensureBuilt(root, log);
const method = rssMethod();
const results: BenchResults = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: { cores, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
  seed,
  repeats,
  rssMethod: method,
  pinned: cores >= 2 && tasksetWorks(),
};
log(`sliceguard bench: ${results.mode}, seed ${seed}, ${repeats} repeats, ${cores} cores, peak RSS via ${method}`);

if (parts.has('offline') || parts.has('rules')) {
  const specs = offlineCorpora(seed, quick);
  log('generating corpora (reused when unchanged)...');
  const typical = writeCorpus(specs.typical, join(out, specs.typical.name), flags.regenerate);
  const large = writeCorpus(specs.large, join(out, specs.large.name), flags.regenerate);
  if (parts.has('offline')) {
    results.offline = [];
    for (const [corpus, target] of [[typical, 0.8], [large, 0.85]] as const) {
      log(`offline: ${corpus.spec.name} (${corpus.documents} documents, ${(corpus.bytes / 1e6).toFixed(1)} MB)`);
      results.offline.push(await runOffline(corpus, { repeats, throughputTarget: target, rssTarget: 1.3, cli, scratch, method, log }));
    }
  }
  if (parts.has('rules')) {
    log('rule cost: evaluate() vs parse per typical slice, in-process');
    results.ruleCost = measureRuleCost(typical, quick ? 5 : 20, quick ? 4 : 8);
  }
}

if (parts.has('scaling')) {
  log('scaling: slices of 10, 100 and 1000 endpoints, in-process');
  const corpora = scalingCorpora(seed, quick).map((spec) => ({ size: spec.group?.endpoints ?? 0, corpus: writeCorpus(spec, join(out, spec.name), flags.regenerate) }));
  results.scaling = await runScaling(corpora, quick ? 2 : repeats);
}

if (parts.has('webhook')) {
  const available = serveAvailable(cli);
  if (available !== true) {
    results.webhookSkipped = available;
    log(`webhook: skipped (${available})`);
  } else {
    const tool = whichLoadTool(flags.load);
    results.loadTool = tool;
    const pinned = results.pinned ? { server: 0, load: 1 } : {};
    log(`webhook: ${tool}, ${results.pinned ? 'server on core 0, load on core 1' : 'not pinned'}`);
    results.webhook = await runWebhook({
      seed,
      repeats: quick ? 1 : Math.min(repeats, 3),
      seconds: quick ? 2 : 10,
      warmSeconds: quick ? 1 : 3,
      connections: [1, 16, 64],
      tool,
      cli,
      scratch,
      cores: pinned,
      log,
    });
  }
}

const list = tables(results);
const header = `sliceguard ${results.mode} benchmark, ${results.date.slice(0, 10)}: ${cores} cores (${results.machine.cpu}), Node ${process.version}, seed ${seed}, ${repeats} repeats, peak RSS via ${method}`;
process.stdout.write(`\n${header}\n\n${renderText(list)}\n`);
if (results.webhookSkipped) process.stdout.write(`\nWebhook: skipped (${results.webhookSkipped}).\n`);
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(out, 'performance-table.md'), `${header}\n\n${renderMarkdown(list)}\n`);
log('\nwrote bench/results.json and bench/out/performance-table.md');
