/**
 * The texts a review sends back: the denial message and the warnings. kubectl prints both, so they
 * are sentences about the object; both are bounded, because a 1000-endpoint slice can have 1000
 * findings of one rule.
 */
import type { Finding } from '../policies/types.ts';

/**
 * Kubernetes asks webhooks to keep each warning under 120 characters, and kube-apiserver ignores
 * warnings beyond 4096 characters in total (from all sources), so a cut-off list would hide the
 * end. https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#response
 */
export const MAX_WARNING_CHARS = 120;
export const MAX_WARNING_BYTES = 4096;
/** Findings named one by one in a denial message; the rest are counted. */
export const MAX_DENIAL_FINDINGS = 10;
/** Warnings per rule before the rest of that rule's findings are counted in one line. */
const WARNINGS_PER_RULE = 3;

/**
 * Returns the denial message for deny findings: the count and rule ids first (kubectl prints it
 * after "denied the request: "), then up to ten findings with their field paths, at least one per
 * rule, in path order.
 */
export function denialMessage(denials: readonly Finding[]): string {
  const rules = ruleIds(denials);
  const head = `${denials.length} ${denials.length === 1 ? 'problem' : 'problems'} (${rules.length === 1 ? 'rule' : 'rules'} ${rules.join(', ')}):`;
  const listed = pickListed(denials, MAX_DENIAL_FINDINGS).map((f) => `[${f.rule}] ${f.path}: ${f.message}`);
  const rest = denials.length - listed.length;
  return [head, ...listed, ...(rest > 0 ? [`And ${rest} more.`] : [])].join(' ');
}

/** Returns at most `max` findings, the first of every rule before the second of any, kept in order. */
function pickListed(findings: readonly Finding[], max: number): Finding[] {
  if (findings.length <= max) return [...findings];
  const chosen = new Set<Finding>();
  const seen = new Set<string>();
  for (const f of findings) {
    if (chosen.size < max && !seen.has(f.rule)) chosen.add(f);
    seen.add(f.rule);
  }
  for (const f of findings) if (chosen.size < max) chosen.add(f);
  return findings.filter((f) => chosen.has(f));
}

/** Returns the sorted, distinct rule ids of `findings`. */
export function ruleIds(findings: readonly Pick<Finding, 'rule'>[]): string[] {
  return [...new Set(findings.map((f) => f.rule))].sort();
}

/**
 * Returns the warnings for `findings`: each a whole string of at most 120 characters, at most three
 * per rule (then one line counting the rest), and at most 4096 bytes together, the last line
 * saying how many were left out. `extra` lines (such as an error notice) come first.
 */
export function warningsFor(findings: readonly Finding[], extra: readonly string[] = []): string[] {
  const lines = extra.map((t) => fit(t));
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  for (const rule of [...byRule.keys()].sort()) {
    const list = byRule.get(rule)!;
    for (const f of list.slice(0, WARNINGS_PER_RULE)) lines.push(warningLine(f));
    const rest = list.length - WARNINGS_PER_RULE;
    if (rest > 0) lines.push(fit(`${rule}: ${rest} more ${rest === 1 ? 'finding' : 'findings'} like these.`));
  }
  return capTotal(lines);
}

/**
 * Returns one finding as a warning, the first form that fits in 120 characters: with the rule id
 * and field path, with the rule id, the message alone (a whole sentence beats a cut one), else
 * the rule id and the message cut at a word.
 */
function warningLine(f: Finding): string {
  const clean = sanitize(f.message);
  for (const text of [`${f.rule} at ${f.path}: ${clean}`, `${f.rule}: ${clean}`, clean]) {
    if ([...text].length <= MAX_WARNING_CHARS) return text;
  }
  return fit(`${f.rule}: ${clean}`);
}

/** Returns `text` cut at a word boundary to at most 120 characters, marked with an ellipsis. */
export function fit(text: string): string {
  const chars = [...sanitize(text)];
  if (chars.length <= MAX_WARNING_CHARS) return chars.join('');
  const cut = chars.slice(0, MAX_WARNING_CHARS - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > MAX_WARNING_CHARS / 2 ? cut.slice(0, space) : cut}…`;
}

/** Control characters cannot travel in an HTTP Warning header; messages quote user text, but be sure. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function capTotal(lines: string[]): string[] {
  const out: string[] = [];
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const size = Buffer.byteLength(lines[i], 'utf8');
    // Room for the closing count line, whose longest form is well under 64 bytes.
    const reserve = i === lines.length - 1 ? 0 : 64;
    if (bytes + size + reserve > MAX_WARNING_BYTES) {
      const rest = lines.length - i;
      out.push(`${rest} more ${rest === 1 ? 'warning' : 'warnings'} not shown (4096-byte limit).`);
      return out;
    }
    out.push(lines[i]);
    bytes += size;
  }
  return out;
}
