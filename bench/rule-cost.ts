/**
 * In-process cost of judging one typical slice (issue 13: evaluating all rules must cost less than
 * parsing the slice's YAML). Parse: the CLI's own `parseChunk` (js-yaml with kubectl's YAML 1.1
 * schema) on the slice's text, and plain js-yaml `load` for reference. Evaluation: `evaluate()`
 * with the default policy and the corpus's Services; the schema gate alone; and each rule's
 * `check` alone on a prepared context, to name the rules that cost the most.
 */
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChunk, splitYamlStream, type Chunk } from '../cli/documents.ts';
import { evaluate } from '../policies/engine.ts';
import { createPolicy } from '../policies/policy.ts';
import { decodeEndpointSlice } from '../policies/schema.ts';
import { ServiceIndex, serviceInfoFrom } from '../policies/services.ts';
import type { RuleContext } from '../policies/define-rule.ts';
import type { EvalContext } from '../policies/types.ts';
import type { WrittenCorpus } from './generate.ts';
import { spread, verdict, type Spread, type Verdict } from './stats.ts';

/** The per-slice costs, in microseconds (medians over the rounds). */
export interface RuleCostResult {
  slices: number;
  /** The CLI's own parse (the fast reader; js-yaml for what it leaves). */
  parseUs: Spread;
  /** js-yaml 4.1 `load`, the parser of the benchmark's floor. */
  plainLoadUs: Spread;
  evaluateUs: Spread;
  /** The schema gate (ajv, precompiled) that `evaluate` runs once per slice before the rules. */
  decodeUs: Spread;
  /** Evaluation over the js-yaml parse of the slice (issue 13: below 1). */
  ratio: Verdict;
  /** Evaluation over the CLI's own, faster parse (for information). */
  ratioToCliParse: number;
  /** evaluate() less the schema gate and the checks timed alone: the engine, findings, megamorphic calls. */
  engineUs: number;
  /** Each rule's `check` alone per slice, most expensive first; share is of `evaluateUs`. */
  rules: { rule: string; us: number; share: number }[];
}

interface Loaded {
  chunks: Chunk[];
  objects: Record<string, unknown>[];
  services: ServiceIndex;
}

function load(corpus: WrittenCorpus, fileCount: number): Loaded {
  const loaded: Loaded = { chunks: [], objects: [], services: new ServiceIndex() };
  for (let i = 0; i < Math.min(fileCount, corpus.files); i++) {
    const text = readFileSync(join(corpus.manifests, `${corpus.spec.prefix}-${String(i).padStart(3, '0')}.yaml`), 'utf8');
    splitYamlStream(text).forEach((chunk, index) => {
      const value = parseChunk(chunk, index).value as Record<string, unknown> | null;
      const info = serviceInfoFrom(value, 'default');
      if (info) loaded.services.set(info);
      else if (value?.kind === 'EndpointSlice') (loaded.chunks.push(chunk), loaded.objects.push(value));
    });
  }
  return loaded;
}

/** Returns the per-slice time of each function: `rounds` rounds (after one warm-up), each running all in turn. */
function interleaved(count: number, rounds: number, fns: (() => void)[]): Spread[] {
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r <= rounds; r++) {
    fns.forEach((fn, k) => {
      const t = performance.now();
      fn();
      if (r > 0) times[k].push(((performance.now() - t) * 1000) / count);
    });
  }
  return times.map(spread);
}

/** Measures the slices of the first `fileCount` files of the typical corpus over `rounds` rounds. */
export function measureRuleCost(corpus: WrittenCorpus, fileCount: number, rounds: number): RuleCostResult {
  const { chunks, objects, services } = load(corpus, fileCount);
  const n = objects.length;
  const context: EvalContext = { kubeVersion: '1.37', mode: 'offline', namespace: 'default', services };
  const policy = createPolicy();
  // The four main figures are taken in the same rounds, so that a slow moment hits them all.
  const [parseUs, plainLoadUs, evaluateUs, decodeUs] = interleaved(n, rounds, [
    () => chunks.forEach((c, i) => parseChunk({ text: c.text, startLine: c.startLine }, i)),
    () => chunks.forEach((c) => yaml.load(c.text)),
    () => objects.forEach((o) => evaluate(o, policy, context)),
    () => objects.forEach((o) => decodeEndpointSlice(o)),
  ]);
  const contexts = objects.map((o) => ruleContext(o, services));
  const rules = policy.rules
    .filter((a) => !a.rule.meta.kinds && (!a.rule.meta.modes || a.rule.meta.modes.includes('offline')))
    .map((a) => {
      const check = (): void =>
        objects.forEach((o, i) => {
          contexts[i].options = a.options;
          a.rule.check(o, contexts[i]);
        });
      const us = interleaved(n, rounds, [check])[0].median;
      return { rule: a.rule.meta.id, us, share: us / evaluateUs.median };
    })
    .sort((a, b) => b.us - a.us);
  const sum = rules.reduce((t, r) => t + r.us, 0);
  return {
    slices: n,
    parseUs,
    plainLoadUs,
    evaluateUs,
    decodeUs,
    ratio: verdict(evaluateUs.median / plainLoadUs.median, 1, 'atMost'),
    ratioToCliParse: evaluateUs.median / parseUs.median,
    engineUs: Math.max(0, evaluateUs.median - decodeUs.median - sum),
    rules,
  };
}

/** A rule context as the engine builds it for an offline CREATE; findings are dropped. */
function ruleContext(object: Record<string, unknown>, services: ServiceIndex): RuleContext<unknown, string> {
  const meta = object.metadata as { namespace?: string } | undefined;
  return {
    kubeVersion: '1.37',
    atLeast: () => true,
    operation: 'CREATE',
    oldObject: undefined,
    namespace: meta?.namespace || 'default',
    userInfo: undefined,
    mode: 'offline',
    services,
    decode: decodeEndpointSlice(object),
    options: undefined,
    report: () => {},
  };
}
