/**
 * What every report must look like, whatever the input: the checks the property tests apply to
 * each evaluation, and the prototype-pollution guard they run after each one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compareFindings } from '../../policies/engine.ts';
import { parsePointer, pointerToPath } from '../../policies/pointer.ts';
import { RULES } from '../../policies/rules/index.ts';
import type { Report } from '../../policies/types.ts';

const RULES_DIR = fileURLToPath(new URL('../../policies/rules/', import.meta.url));

/** Rules whose sources pass `apiPath` (their path is not derived from the pointer), read from the files. */
export const API_PATH_RULES: ReadonlySet<string> = new Set(
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && readFileSync(RULES_DIR + f, 'utf8').includes('apiPath'))
    .map((f) => f.slice(0, -3)),
);

const BY_ID = new Map(RULES.map((r) => [r.meta.id, r.meta]));
/** Long enough for any sentence a rule writes; a message that echoes a 1 MiB input is not. */
const MAX_MESSAGE = 400;

/** Returns the problems with `report` as sentences (empty when it is well formed). */
export function reportProblems(object: unknown, report: Report): string[] {
  const out: string[] = [];
  const { findings } = report;
  for (let i = 1; i < findings.length; i++) {
    if (compareFindings(findings[i - 1], findings[i]) > 0) out.push(`findings ${i - 1} and ${i} are out of order`);
  }
  const anyDeny = findings.some((f) => f.severity === 'deny');
  if (report.allowed !== !anyDeny) out.push(`allowed is ${report.allowed} with deny findings: ${anyDeny}`);
  const o = object as Record<string, unknown> | null;
  const served = o !== null && typeof o === 'object' && !Array.isArray(o) && o.kind === 'EndpointSlice' && o.apiVersion === 'discovery.k8s.io/v1';
  if (report.judged !== served) out.push(`judged is ${report.judged} for a served slice: ${served}`);
  for (const f of findings) {
    const where = `${f.rule} at ${JSON.stringify(f.pointer)}`;
    const meta = BY_ID.get(f.rule);
    if (!meta) out.push(`${where}: unknown rule`);
    else if (meta.category !== f.category) out.push(`${where}: category ${f.category}, rule says ${meta.category}`);
    if (meta && !(f.messageId in meta.messages)) out.push(`${where}: unknown message id ${f.messageId}`);
    if (f.severity !== 'deny' && f.severity !== 'warn') out.push(`${where}: severity ${String(f.severity)}`);
    if (f.category === 'apiserver' && f.severity !== 'deny') out.push(`${where}: apiserver finding that does not deny`);
    if (f.pointer !== '' && !f.pointer.startsWith('/')) out.push(`${where}: not a JSON Pointer`);
    else if (API_PATH_RULES.has(f.rule)) {
      if (!pathCovers(f.path, f.pointer)) out.push(`${where}: path ${JSON.stringify(f.path)} and pointer name unrelated places`);
    } else if (f.path !== pointerToPath(f.pointer)) out.push(`${where}: path ${JSON.stringify(f.path)} is not pointerToPath(pointer)`);
    if (!/^[A-Z0-9"'].*\.$/s.test(f.message)) out.push(`${where}: message is not a sentence: ${JSON.stringify(f.message.slice(0, 200))}`);
    if (f.message.length > MAX_MESSAGE) out.push(`${where}: message of ${f.message.length} characters`);
    if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(f.message) && !inputMentions(object, f.message)) {
      out.push(`${where}: message leaks a JavaScript value: ${JSON.stringify(f.message.slice(0, 200))}`);
    }
    for (const op of f.fix ?? []) {
      if (typeof op.path !== 'string' || (op.path !== '' && !op.path.startsWith('/'))) out.push(`${where}: fix path ${String(op.path)}`);
    }
  }
  return out;
}

/**
 * True when the API path and the pointer name the same place or one an ancestor of the other
 * (list indexes dropped, map keys written as `[key]` joined with `.`).
 */
function pathCovers(path: string, ptr: string): boolean {
  const segs = parsePointer(ptr);
  // Keys with brackets make the API path ambiguous; then only the top-level field is compared.
  if (segs.some((s) => /[[\]]/.test(s))) return path.startsWith(segs[0]);
  const fromPath = path.replace(/\[(\d+)\]/g, '').replace(/\[(.*?)\](?=\.|\[|$)/g, '.$1');
  const fromPointer = segs.filter((s) => !/^\d+$/.test(s)).join('.');
  // A missing field is located at its nearest present parent, so either may be the longer.
  return fromPointer === fromPath || fromPointer.startsWith(fromPath + '.') || fromPath.startsWith(fromPointer + '.') || fromPointer === '';
}

/** True when a suspicious word in a message came from the input itself (a label value "undefined"). */
function inputMentions(object: unknown, message: string): boolean {
  const text = safeJson(object);
  return ['undefined', 'NaN', '[object Object]'].some((w) => message.includes(w) && text.includes(w));
}

const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['String.prototype', String.prototype],
  ['Function.prototype', Function.prototype],
];

/** Returns a snapshot of the built-in prototypes' own properties, to compare after a run. */
export function prototypeSnapshot(): Map<string, Map<string | symbol, unknown>> {
  return new Map(PROTOTYPES.map(([n, p]) => [n, new Map(Reflect.ownKeys(p).map((k) => [k, Object.getOwnPropertyDescriptor(p, k)?.value]))]));
}

/** Returns how the prototypes differ from `before` (empty when nothing was polluted). */
export function pollution(before: Map<string, Map<string | symbol, unknown>>): string[] {
  const out: string[] = [];
  const now = prototypeSnapshot();
  for (const [n, props] of now) {
    const old = before.get(n)!;
    for (const [k, v] of props) if (!old.has(k) || old.get(k) !== v) out.push(`${n}.${String(k)} changed`);
    for (const k of old.keys()) if (!props.has(k)) out.push(`${n}.${String(k)} removed`);
  }
  return out;
}

/** JSON of a value for a message, or a note when it is too deep for JSON.stringify. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '(too deep to print)';
  }
}

/** Returns `value` deep-frozen without recursion (inputs here nest 9000 levels deep). */
export function freezeAll<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const child of Object.values(v)) stack.push(child);
  }
  return value;
}
