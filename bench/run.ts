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
import { ensureBuilt, serveAvailable, snapshotBuild, whichLoadTool } from './setup.ts';
import { offlineCorpora, scalingCorpora } from './corpora.ts';
import { writeCorpus, type WrittenCorpus } from './generate.ts';
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
const cores = availableParallelism();

ensureBuilt(root, log);
const cli = snapshotBuild(root, join(out, 'build'));
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

/** Where a corpus is generated; quick corpora have their own, so the two modes do not regenerate each other's. */
function corpusDir(name: string): string {
  return join(out, quick ? `${name}-quick` : name);
}

/** Runs one part; a failure is recorded and printed, and the other parts still run. */
async function part(name: string, fn: () => Promise<void> | void): Promise<void> {
  if (!parts.has(name)) return;
  try {
    await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    (results.failures ??= {})[name] = message;
    log(`${name}: FAILED: ${message}`);
  }
}

const corpora = parts.has('offline') || parts.has('rules') ? offlineCorpora(seed, quick) : undefined;
let typical: WrittenCorpus | undefined;
await part('offline', async () => {
  const specs = corpora as NonNullable<typeof corpora>;
  log('generating corpora (reused when unchanged)...');
  typical = writeCorpus(specs.typical, corpusDir(specs.typical.name), flags.regenerate);
  const large = writeCorpus(specs.large, corpusDir(specs.large.name), flags.regenerate);
  results.offline = [];
  // One thread (the default on 2 cores: --jobs auto leaves one core to V8's helper threads) and
  // two threads (the default from 3 cores on).
  for (const [corpus, target] of [[typical, 0.8], [large, 0.85]] as const) {
    for (const jobs of ['1', '2']) {
      log(`offline: ${corpus.spec.name}, --jobs ${jobs} (${corpus.documents} documents, ${(corpus.bytes / 1e6).toFixed(1)} MB)`);
      results.offline.push(await runOffline(corpus, { jobs, repeats, throughputTarget: target, rssTarget: 1.3, cli, scratch, method, log }));
    }
  }
});

await part('rules', () => {
  const spec = (corpora as NonNullable<typeof corpora>).typical;
  typical ??= writeCorpus(spec, corpusDir(spec.name), flags.regenerate);
  log('rule cost: evaluate() vs parse per typical slice, in-process');
  results.ruleCost = measureRuleCost(typical, quick ? 5 : 20, quick ? 4 : 8);
});

await part('scaling', async () => {
  log('scaling: slices of 10, 100 and 1000 endpoints, in-process');
  const specs = scalingCorpora(seed, quick).map((spec) => ({ size: spec.group?.endpoints ?? 0, corpus: writeCorpus(spec, corpusDir(spec.name), flags.regenerate) }));
  results.scaling = await runScaling(specs, quick ? 2 : repeats);
});

await part('webhook', async () => {
  const available = serveAvailable(cli);
  if (available !== true) {
    results.webhookSkipped = available;
    log(`webhook: skipped (${available})`);
    return;
  }
  const tool = whichLoadTool(flags.load);
  results.loadTool = tool;
  log(`webhook: ${tool}, ${results.pinned ? 'server on core 0, load on core 1' : 'not pinned'}`);
  results.webhook = await runWebhook({
    seed,
    // Shorter runs, more of them: on a shared machine a median of five resists a noisy neighbour's burst.
    repeats: quick ? 1 : repeats,
    seconds: quick ? 2 : 5,
    warmSeconds: quick ? 1 : 2,
    connections: [1, 16, 64],
    tool,
    cli,
    scratch,
    cores: results.pinned ? { server: 0, load: 1 } : {},
    log,
  });
});

const list = tables(results);
const header = `sliceguard ${results.mode} benchmark, ${results.date.slice(0, 10)}: ${cores} cores (${results.machine.cpu}), Node ${process.version}, seed ${seed}, ${repeats} repeats, peak RSS via ${method}`;
process.stdout.write(`\n${header}\n\n${renderText(list)}\n`);
if (results.webhookSkipped) process.stdout.write(`\nWebhook: skipped (${results.webhookSkipped}).\n`);
for (const [name, message] of Object.entries(results.failures ?? {})) process.stdout.write(`\n${name}: FAILED: ${message}\n`);
writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(out, 'performance-table.md'), `${header}\n\n${renderMarkdown(list)}\n`);
log('\nwrote bench/results.json and bench/out/performance-table.md');
