/**
 * Prints where a V8 CPU profile spends its time: the top functions by self time, and by total
 * time (self plus callees, each function counted once per stack), with their source locations.
 * Usage: node bench/profile-top.ts FILE.cpuprofile [--top N] [--json] [--callers NAME]
 * Make a profile with: node --cpu-prof --cpu-prof-dir=bench/out/profiles dist/cli/main.js validate ...
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One function's share of a profile. */
export interface FunctionCost {
  name: string;
  location: string;
  selfMs: number;
  selfPct: number;
  totalMs: number;
  totalPct: number;
}

/** Returns the functions of a CPU profile with their self and total time, by self time first. */
export function summarizeProfile(profile: CpuProfile): FunctionCost[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const label = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}\t${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (!leaf) return;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) {
      const key = label(n);
      if (seen.has(key)) continue; // recursion counts once per stack
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  const all = (profile.endTime - profile.startTime) / 1000;
  return [...total.keys()]
    .map((key) => {
      const [name, location] = key.split('\t');
      const s = self.get(key) ?? 0;
      const t = total.get(key) ?? 0;
      return { name, location, selfMs: s, selfPct: (100 * s) / all, totalMs: t, totalPct: (100 * t) / all };
    })
    .sort((a, b) => b.selfMs - a.selfMs);
}

function shortUrl(url: string): string {
  const i = url.indexOf('/dist/');
  if (i !== -1) return url.slice(i + 1);
  const m = /node_modules\/.*$/.exec(url);
  if (m) return m[0];
  return url.replace(/^file:\/\//, '') || '(native)';
}

/** Returns who calls `name` (its stacks' nearest named callers), weighted by `name`'s self time, in ms. */
export function callersOf(profile: CpuProfile, name: string): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const leaf = byId.get(id);
    if (!leaf || leaf.callFrame.functionName !== name) return;
    const chain: string[] = [];
    for (let n = byId.get(parent.get(leaf.id) ?? -1); n && chain.length < 3; n = byId.get(parent.get(n.id) ?? -1)) {
      if (n.callFrame.functionName) chain.push(`${n.callFrame.functionName} (${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1})`);
    }
    const key = chain.join(' < ') || '(root)';
    out.set(key, (out.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...out].sort((a, b) => b[1] - a[1]);
}

/** Returns a printable table of the top `n` functions by self time and by total time. */
export function formatProfile(costs: FunctionCost[], n: number): string {
  const row = (c: FunctionCost): string =>
    `${c.selfPct.toFixed(1).padStart(5)}% ${c.selfMs.toFixed(0).padStart(6)} ms  ${c.totalPct.toFixed(1).padStart(5)}%  ${c.name.slice(0, 40).padEnd(40)} ${c.location}`;
  const head = ' self%  self ms  total%  function                                 location';
  const byTotal = [...costs].sort((a, b) => b.totalMs - a.totalMs).filter((c) => !c.name.startsWith('('));
  return [`By self time:`, head, ...costs.slice(0, n).map(row), '', 'By total time:', head, ...byTotal.slice(0, n).map(row)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: node bench/profile-top.ts FILE.cpuprofile [--top N] [--json]\n');
    process.exit(2);
  }
  const topAt = args.indexOf('--top');
  const top = topAt === -1 ? 25 : Number(args[topAt + 1]);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const callersAt = args.indexOf('--callers');
  if (callersAt !== -1) {
    for (const [chain, ms] of callersOf(profile, args[callersAt + 1]).slice(0, top)) process.stdout.write(`${ms.toFixed(0).padStart(7)} ms  ${chain}\n`);
    process.exit(0);
  }
  const costs = summarizeProfile(profile);
  process.stdout.write(args.includes('--json') ? JSON.stringify(costs.slice(0, top), null, 2) + '\n' : formatProfile(costs, top) + '\n');
}
