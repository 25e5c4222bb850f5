/**
 * Differential testing of policies/ip.ts against ipaddr.js, an independent parser (issue 9).
 * Generates address-like strings from a seeded PRNG, compares both parsers, and sorts every
 * disagreement into a known quirk (with its apiserver-rules.md reference) or a bug. Shared by
 * test/policies/ip-differential.test.ts (200k strings per family) and bench/ip-differential.ts
 * (millions).
 */
import ipaddr from 'ipaddr.js';
import { formatIP, isIPv4, parseIP, type ParsedIP } from '../../policies/ip.ts';

/** A documented reason why Go (and so kube-apiserver) and ipaddr.js disagree on a string. */
export interface Quirk {
  id: string;
  /** Where the behaviour is written down. */
  ref: string;
  description: string;
}

/** Every disagreement the differential accepts; anything else is a bug in one of the parsers. */
export const QUIRKS: Record<string, Quirk> = {
  leadingZeroDecimal: {
    id: 'leadingZeroDecimal',
    ref: 'apiserver-rules.md §4 (sloppy parse); k8s.io/utils forked net/ip.go, issue kubernetes#100895',
    description: 'Go 1.16 reads IPv4 octets with leading zeros as decimal; ipaddr.js reads them as octal (or refuses 08, 09).',
  },
  inetAton: {
    id: 'inetAton',
    ref: 'apiserver-rules.md §4 (only four decimal octets parse)',
    description: 'ipaddr.js accepts inet_aton shorthands (hex, fewer than four parts, 32-bit numbers) that Go refuses.',
  },
  zone: {
    id: 'zone',
    ref: 'apiserver-rules.md §4 (zone suffixes are rejected)',
    description: 'ipaddr.js accepts an IPv6 zone suffix (%eth0); the API server refuses it.',
  },
  longGroup: {
    id: 'longGroup',
    ref: 'Go 1.16 net.ParseIP xtoi (k8s.io/utils forked net/ip.go); not in apiserver-rules.md, reported',
    description: 'Go 1.16 accepts IPv6 groups of more than four hex digits whose value fits 16 bits (00001::); netip and ipaddr.js refuse them.',
  },
  laxV4Tail: {
    id: 'laxV4Tail',
    ref: 'apiserver-rules.md §4; ipaddr.js parses an embedded IPv4 tail with its lenient IPv4 parser',
    description: 'ipaddr.js accepts an embedded IPv4 tail in shorthand or with leading zeros that Go refuses or reads differently.',
  },
  compatAsMapped: {
    id: 'compatAsMapped',
    ref: 'ipaddr.js bug; Go (§4 canonical, net.IP.String) keeps ::a.b.c.d as ::0:0 + a.b.c.d',
    description: 'ipaddr.js parses "::a.b.c.d" (IPv4-compatible) as "::ffff:a.b.c.d" (IPv4-mapped).',
  },
  mappedAsIPv4: {
    id: 'mappedAsIPv4',
    ref: 'apiserver-rules.md §4 (canonical is Go net.IP.String, which prints IPv4-mapped addresses as IPv4)',
    description: 'Go prints ::ffff:a.b.c.d as a.b.c.d; ipaddr.js prints ::ffff:xxxx:xxxx.',
  },
};

/** The outcome of one comparison: undefined when the parsers agree. */
export type Verdict = undefined | { quirk: string } | { bug: string };

/** Returns a seeded PRNG giving floats in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, xs: ArrayLike<T>): T => xs[Math.floor(rand() * xs.length)];
const int = (rand: () => number, n: number): number => Math.floor(rand() * n);

/** Inserts, deletes or replaces one character, so that near-valid strings are common. */
function mutate(rand: () => number, s: string, alphabet: string): string {
  const at = int(rand, s.length + 1);
  const c = pick(rand, alphabet);
  switch (int(rand, 3)) {
    case 0: return s.slice(0, at) + c + s.slice(at);
    case 1: return s.slice(0, at) + s.slice(at + 1);
    default: return s.slice(0, at) + c + s.slice(at + 1);
  }
}

function octet(rand: () => number): string {
  const n = rand() < 0.1 ? 256 + int(rand, 800) : rand() < 0.3 ? pick(rand, [0, 1, 9, 10, 99, 100, 127, 169, 224, 254, 255]) : int(rand, 256);
  const zeros = rand() < 0.12 ? '0'.repeat(1 + int(rand, 3)) : '';
  return rand() < 0.02 ? `0x${n.toString(16)}` : zeros + String(n);
}

/** Returns an IPv4-like string: mostly four octets, some malformed, some mutated. */
export function generateIPv4(rand: () => number): string {
  const r = rand();
  if (r < 0.15) return Array.from({ length: int(rand, 14) }, () => pick(rand, '0123456789.')).join('');
  const parts = rand() < 0.9 ? 4 : pick(rand, [1, 2, 3, 5]);
  const s = Array.from({ length: parts }, () => octet(rand)).join('.');
  return r < 0.45 ? mutate(rand, s, '0123456789..:/% x-+a') : s;
}

function group(rand: () => number, value: number): string {
  let h = value.toString(16);
  // Mostly spellings netip accepts (up to 4 digits, so canonical form is what differs); a few
  // groups of 5+ digits, which only Go 1.16 accepts.
  if (rand() < 0.2) h = h.padStart(1 + int(rand, 4), '0');
  else if (rand() < 0.02) h = '0'.repeat(1 + int(rand, 3)) + h;
  return rand() < 0.1 ? h.toUpperCase() : h;
}

/** Returns IPv6 text for 8 random groups (zeros likely), compressed at a random zero run or not. */
function formatRandomIPv6(rand: () => number): string {
  const groups = Array.from({ length: 8 }, () => (rand() < 0.45 ? 0 : rand() < 0.3 ? int(rand, 16) : int(rand, 0x10000)));
  if (rand() < 0.08) groups.splice(0, 6, 0, 0, 0, 0, 0, 0xffff);
  if (rand() < 0.05) groups[0] = pick(rand, [0xfe80, 0xfebf, 0xfec0, 0xff02, 0xff12, 0xff05, 0xfd00]);
  const v4Tail = rand() < 0.15;
  const texts = groups.map((g) => group(rand, g));
  if (v4Tail) texts.splice(6, 2, [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].map((n) => (rand() < 0.1 ? '0' : '') + n).join('.'));
  const zeroRuns: [number, number][] = [];
  for (let i = 0; i < texts.length; i++) {
    if (groups[i] !== 0 || (v4Tail && i >= 6)) continue;
    let j = i;
    while (j < texts.length && groups[j] === 0 && !(v4Tail && j >= 6)) j++;
    zeroRuns.push([i, j]);
  }
  if (zeroRuns.length > 0 && rand() < 0.75) {
    const [i, j0] = pick(rand, zeroRuns);
    const j = i + 1 + int(rand, j0 - i);
    return `${texts.slice(0, i).join(':')}::${texts.slice(j).join(':')}`;
  }
  return texts.join(':');
}

/** Returns an IPv6-like string: random addresses in many spellings, some malformed or mutated. */
export function generateIPv6(rand: () => number): string {
  const r = rand();
  if (r < 0.1) return Array.from({ length: int(rand, 20) }, () => pick(rand, '0123456789abcdef:.')).join('');
  let s = formatRandomIPv6(rand);
  if (rand() < 0.03) s += `%${pick(rand, ['eth0', '1', 'lo'])}`;
  if (rand() < 0.01) s = `[${s}]`;
  return r < 0.4 ? mutate(rand, s, '0123456789abcdefABCDEF::..%[]/ gx') : s;
}

const FOUR_DECIMALS = /^\d+\.\d+\.\d+\.\d+$/;
// ipaddr.js's own definition in IPv4.isValidFourPartDecimal (valid, and this shape).
const FOUR_PART_DECIMAL = /^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/;
const LEADING_ZERO_OCTET = /(^|\.)0\d/;

/** ipaddr.js's IPv4 octets, or undefined when it refuses the string. */
function ipaddrV4(s: string): number[] | undefined {
  try {
    return ipaddr.IPv4.parse(s).octets;
  } catch {
    return undefined;
  }
}

/** Compares IPv4 parsing (text Go dispatches as IPv4) with ipaddr.js, strict and sloppy. */
export function compareIPv4(s: string): Verdict {
  const ours = parseIP(s);
  const sloppy = ours && !ours.v6Text ? [...ours.bytes.slice(12)] : undefined;
  const strict = ours && !ours.v6Text && ours.strict ? sloppy : undefined;
  const theirs = ipaddrV4(s);
  const theirsStrict = theirs && FOUR_PART_DECIMAL.test(s) ? theirs : undefined;
  // netip.ParseAddr and ipaddr's four-part-decimal form must agree exactly.
  if (String(strict) !== String(theirsStrict)) return { bug: `strict: ours ${strict} ipaddr ${theirsStrict}` };
  if (String(sloppy) === String(theirs)) return undefined;
  if (FOUR_DECIMALS.test(s) && LEADING_ZERO_OCTET.test(s)) {
    // Go reads every octet as decimal, whatever its zeros: hold ours to exactly that.
    const decimal = s.split('.').map(Number);
    const want = decimal.every((n) => n <= 255) ? decimal : undefined;
    return String(sloppy) === String(want) ? { quirk: 'leadingZeroDecimal' } : { bug: `sloppy: ours ${sloppy}, decimal reading ${want}` };
  }
  if (!sloppy && theirs && !FOUR_DECIMALS.test(s)) return { quirk: 'inetAton' };
  return { bug: `sloppy: ours ${sloppy} ipaddr ${theirs}` };
}

/** ipaddr.js's parse, or undefined when it refuses the string. */
function ipaddrV6(s: string): ipaddr.IPv6 | undefined {
  try {
    return ipaddr.IPv6.parse(s);
  } catch {
    return undefined;
  }
}

/** Explains an accept/reject disagreement on IPv6 text, or returns undefined when nothing does. */
function explainV6Acceptance(s: string, ours: ParsedIP | undefined, strictOnly: boolean): string | undefined {
  const tail = s.slice(s.lastIndexOf(':') + 1);
  if (!ours && s.includes('%')) return 'zone';
  if (!ours && tail.includes('.') && (!FOUR_DECIMALS.test(tail.split('%')[0]) || LEADING_ZERO_OCTET.test(tail))) return 'laxV4Tail';
  if (ours && !strictOnly && /(^|:)[0-9a-fA-F]{5,}(:|$)/.test(s)) return 'longGroup';
  if (ours && !strictOnly && /(^|:)0\d+\.|\.0\d/.test(tail)) return 'leadingZeroDecimal';
  return undefined;
}

/** Compares IPv6 parsing (text Go dispatches as IPv6) with ipaddr.js: acceptance, bytes and canonical text. */
export function compareIPv6(s: string): Verdict {
  const parsed = parseIP(s);
  const sloppy = parsed?.v6Text ? parsed : undefined;
  const strict = sloppy?.strict ? sloppy : undefined;
  const theirs = ipaddrV6(s);
  for (const [ours, strictOnly] of [[strict, true], [sloppy, false]] as const) {
    if (!!ours === !!theirs) continue;
    const quirk = explainV6Acceptance(s, ours, strictOnly);
    return quirk ? { quirk } : { bug: `${strictOnly ? 'strict' : 'sloppy'}: ours ${ours ? formatIP(ours.bytes) : 'rejects'} ipaddr ${theirs ? theirs.toString() : 'rejects'}` };
  }
  if (!sloppy || !theirs) return undefined;
  const theirBytes = theirs.toByteArray();
  if (String([...sloppy.bytes]) !== String(theirBytes)) {
    const unmapped = theirBytes.map((b, i) => (i === 10 || i === 11 ? 0 : b));
    if (/^::\d+\./.test(s) && theirBytes[10] === 0xff && theirBytes[11] === 0xff && String([...sloppy.bytes]) === String(unmapped)) {
      return { quirk: 'compatAsMapped' };
    }
    if (LEADING_ZERO_OCTET.test(s.slice(s.lastIndexOf(':') + 1))) return { quirk: 'leadingZeroDecimal' };
    return { bug: `bytes: ours ${formatIP(sloppy.bytes)} ipaddr ${theirs.toString()}` };
  }
  const goText = formatIP(sloppy.bytes);
  const rfc5952 = theirs.toRFC5952String();
  if (goText === rfc5952) return undefined;
  if (isIPv4(sloppy.bytes) && rfc5952.startsWith('::ffff:')) return { quirk: 'mappedAsIPv4' };
  return { bug: `canonical: ours ${goText} ipaddr ${rfc5952}` };
}

/** The tally of one differential run. */
export interface DifferentialResult {
  strings: number;
  /** How many strings our sloppy parser accepted in that family (a run that accepts nothing proves nothing). */
  accepted: number;
  quirks: Record<string, number>;
  /** The first disagreements nothing explains, with the string. */
  bugs: string[];
}

/** Runs `count` generated strings of one family through both parsers. */
export function runDifferential(family: 'IPv4' | 'IPv6', count: number, seed: number): DifferentialResult {
  const rand = prng(seed);
  const generate = family === 'IPv4' ? generateIPv4 : generateIPv6;
  const compare = family === 'IPv4' ? compareIPv4 : compareIPv6;
  const result: DifferentialResult = { strings: count, accepted: 0, quirks: {}, bugs: [] };
  // ipaddr.js reports refusals by throwing; without stack traces that costs a tenth as much.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (let n = 0; n < count; n++) tally(result, family, generate(rand), compare);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return result;
}

/** Adds one string's comparison to the tally. */
function tally(result: DifferentialResult, family: 'IPv4' | 'IPv6', s: string, compare: (s: string) => Verdict): void {
  const parsed = parseIP(s);
  if (parsed && parsed.v6Text === (family === 'IPv6')) result.accepted++;
  const v = compare(s);
  if (!v) return;
  if ('quirk' in v) result.quirks[v.quirk] = (result.quirks[v.quirk] ?? 0) + 1;
  else if (result.bugs.length < 20) result.bugs.push(`${JSON.stringify(s)}: ${v.bug}`);
}
