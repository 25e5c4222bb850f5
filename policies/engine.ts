import type { ActiveRule, Policy } from './policy.ts';
import { isExempt } from './policy.ts';
import type { RuleContext, ReportDescriptor } from './define-rule.ts';
import type { EvalContext, Finding, KubeVersion, Report } from './types.ts';
import { DEFAULT_KUBE_VERSION, KUBE_VERSIONS } from './types.ts';
import { decodeEndpointSlice, type DecodeResult } from './schema.ts';
import { pointerToPath } from './pointer.ts';
import { fillTemplate } from './format.ts';
import { semanticEqual } from './semantic-equal.ts';
import { SliceguardError } from './errors.ts';

/** The only apiVersion in which EndpointSlices are served (v1beta1 was removed in 1.25). */
export const SERVED_API_VERSION = 'discovery.k8s.io/v1';
const NO_DECODE: DecodeResult = { problems: [] };

/**
 * Returns the findings and decision for one object under `policy`. Pure and synchronous: no file
 * system, network, clock or `process`. Objects of kinds no rule runs on give an empty report.
 * Throws `SG_INTERNAL` only when a rule itself fails (a bug), naming the rule.
 */
export function evaluate(object: unknown, policy: Policy, context: EvalContext = {}): Report {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    return { allowed: true, findings: [], judged: false };
  }
  const obj = object as Record<string, unknown>;
  const kind = obj.kind;
  const served = kind === 'EndpointSlice' && obj.apiVersion === SERVED_API_VERSION;
  const active = activeRules(policy, kind, served, context.mode ?? 'offline');
  if (active.length === 0) return { allowed: true, findings: [], judged: served };

  const decode = served ? decodeEndpointSlice(obj) : NO_DECODE;
  const meta = isRecord(obj.metadata) ? obj.metadata : undefined;
  const ownNamespace = typeof meta?.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const namespace = ownNamespace ?? context.namespace;
  const labels = isRecord(meta?.labels) ? meta.labels : undefined;
  const kubeVersion = context.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const rank = KUBE_VERSIONS.indexOf(kubeVersion);

  const findings: Finding[] = [];
  let ratcheted: Finding[] | undefined;
  let sink = findings;
  let current = active[0];
  let severity: Finding['severity'] = 'deny';
  const report = (d: ReportDescriptor<string>): void => {
    const meta = current.rule.meta;
    const template = meta.messages[d.messageId];
    if (template === undefined) throw new SliceguardError('SG_INTERNAL', `Rule ${meta.id} reported unknown message id ${d.messageId}.`);
    const finding: Finding = {
      rule: meta.id,
      category: meta.category,
      severity,
      pointer: d.path,
      path: d.apiPath ?? pointerToPath(d.path),
      message: fillTemplate(template, d.data),
      messageId: d.messageId,
    };
    if (d.fix && d.fix.length > 0) finding.fix = d.fix;
    sink.push(finding);
  };
  // One context object per evaluation, its `options` swapped per rule: rules run one at a time,
  // and allocating a context and a closure per rule per document was most of the engine's cost.
  const ctx: RuleContext<unknown, string> = {
    kubeVersion,
    atLeast: (v) => rank >= KUBE_VERSIONS.indexOf(v),
    operation: context.operation ?? 'CREATE',
    oldObject: context.oldObject,
    namespace,
    userInfo: context.userInfo,
    mode: context.mode ?? 'offline',
    services: context.services,
    decode,
    options: undefined,
    report,
  };
  for (let i = 0; i < active.length; i++) {
    const a = active[i];
    if (a.rule.meta.category !== 'apiserver' && isExempt(policy, a, namespace, labels)) continue;
    current = a;
    severity = a.rule.meta.category === 'apiserver' || policy.strict ? 'deny' : a.severity;
    sink = a.rule.meta.ratchet === 'endpoints' && context.operation === 'UPDATE' ? (ratcheted ??= []) : findings;
    ctx.options = a.options;
    try {
      a.rule.check(obj, ctx);
    } catch (err) {
      if (err instanceof SliceguardError) throw err;
      throw new SliceguardError('SG_INTERNAL', `Rule ${a.rule.meta.id} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    }
  }
  // A loop, not push(...): a 3 MiB slice can carry more findings than a call has arguments.
  if (ratcheted && !endpointsRatchet(obj, context, kubeVersion)) for (const f of ratcheted) findings.push(f);

  const result = dropCoveredByDecode(findings, decode);
  if (result.length > 1) result.sort(compareFindings);
  return { allowed: !result.some((f) => f.severity === 'deny'), findings: result, judged: served };
}

const activeCache = new WeakMap<Policy, Map<string, ActiveRule[]>>();

/** Returns the policy's rules that run on this kind in this door, computed once per policy. */
function activeRules(policy: Policy, kind: unknown, served: boolean, mode: 'offline' | 'webhook'): ActiveRule[] {
  // Nearly every call: a served EndpointSlice under the same policy and mode as the call before.
  if (served && policy === lastPolicy && mode === lastMode) return lastServed;
  const list = activeRulesFor(policy, kind, served, mode);
  if (served) (lastPolicy = policy), (lastMode = mode), (lastServed = list);
  return list;
}

let lastPolicy: Policy | undefined;
let lastMode: 'offline' | 'webhook' | undefined;
let lastServed: ActiveRule[] = [];

function activeRulesFor(policy: Policy, kind: unknown, served: boolean, mode: 'offline' | 'webhook'): ActiveRule[] {
  let byKey = activeCache.get(policy);
  if (!byKey) activeCache.set(policy, (byKey = new Map()));
  const key = `${served ? 'v1' : '-'}|${mode}|${typeof kind === 'string' ? kind : ''}`;
  let list = byKey.get(key);
  if (!list) {
    list = policy.rules.filter((a) => appliesTo(a, kind, served, mode));
    if (byKey.size < 64) byKey.set(key, list); // kinds come from input: keep the cache small
  }
  return list;
}

function appliesTo(a: ActiveRule, kind: unknown, served: boolean, mode: 'offline' | 'webhook'): boolean {
  const { kinds, modes } = a.rule.meta;
  if (modes && !modes.includes(mode)) return false;
  if (kinds) return typeof kind === 'string' && kinds.includes(kind);
  return served;
}

/** U-2: on UPDATE (1.33+), endpoint errors are discarded when `endpoints` is semantically unchanged. */
function endpointsRatchet(obj: Record<string, unknown>, context: EvalContext, kubeVersion: KubeVersion): boolean {
  if (KUBE_VERSIONS.indexOf(kubeVersion) < KUBE_VERSIONS.indexOf('1.33')) return false;
  const old = context.oldObject;
  if (!isRecord(old)) return false;
  return semanticEqual(obj.endpoints, old.endpoints);
}

/** Where the decoder and a validation rule see the same field, the decoder's finding stands alone. */
function dropCoveredByDecode(findings: Finding[], decode: DecodeResult): Finding[] {
  if (decode.problems.length === 0) return findings;
  const covered = decode.problems.map((p) => p.pointer);
  return findings.filter(
    (f) => f.rule === 'unknown-field' || f.rule === 'field-type' || !covered.some((c) => f.pointer === c || f.pointer.startsWith(c + '/')),
  );
}

/** Orders findings by pointer (list indexes numerically), then rule id, then message. */
export function compareFindings(a: Pick<Finding, 'pointer' | 'rule' | 'message'>, b: Pick<Finding, 'pointer' | 'rule' | 'message'>): number {
  const c = comparePointers(a.pointer, b.pointer);
  if (c !== 0) return c;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/**
 * Compares two pointers segment by segment, numbers numerically: `/endpoints/2` before
 * `/endpoints/10`. Walks the strings in place (sorting findings split every pointer twice per
 * comparison before).
 */
export function comparePointers(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  for (;;) {
    // i is the start of a segment in both (just after a '/' or at 0), and the texts agree before it.
    const ae = segmentEnd(a, i);
    const be = segmentEnd(b, i);
    if (ae !== be || a.slice(i, ae) !== b.slice(i, be)) return compareSegments(a.slice(i, ae), b.slice(i, be));
    if (ae >= a.length || be >= b.length) return ae >= a.length ? (be >= b.length ? 0 : -1) : 1;
    i = ae + 1;
  }
}

function segmentEnd(s: string, from: number): number {
  const e = s.indexOf('/', from);
  return e === -1 ? s.length : e;
}

function compareSegments(x: string, y: string): number {
  const xi = Number(x);
  const yi = Number(y);
  if (x !== '' && y !== '' && Number.isInteger(xi) && Number.isInteger(yi)) return xi - yi;
  return x < y ? -1 : 1;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
