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
  const active = policy.rules.filter((a) => appliesTo(a, kind, served, context));
  if (active.length === 0) return { allowed: true, findings: [], judged: served };

  const decode = served ? decodeEndpointSlice(obj) : NO_DECODE;
  const meta = isRecord(obj.metadata) ? obj.metadata : undefined;
  const ownNamespace = typeof meta?.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  const namespace = ownNamespace ?? context.namespace;
  const labels = isRecord(meta?.labels) ? meta.labels : undefined;
  const kubeVersion = context.kubeVersion ?? DEFAULT_KUBE_VERSION;
  const base = baseContext(context, kubeVersion, namespace, decode);

  const findings: Finding[] = [];
  let ratcheted: Finding[] | undefined;
  for (const a of active) {
    if (isExempt(policy, a, namespace, labels)) continue;
    const sink = a.rule.meta.ratchet === 'endpoints' && context.operation === 'UPDATE' ? (ratcheted ??= []) : findings;
    runRule(a, obj, base, policy.strict, sink);
  }
  if (ratcheted && !endpointsRatchet(obj, context, kubeVersion)) findings.push(...ratcheted);

  const result = dropCoveredByDecode(findings, decode);
  result.sort(compareFindings);
  return { allowed: !result.some((f) => f.severity === 'deny'), findings: result, judged: served };
}

function appliesTo(a: ActiveRule, kind: unknown, served: boolean, context: EvalContext): boolean {
  const { kinds, modes } = a.rule.meta;
  if (modes && !modes.includes(context.mode ?? 'offline')) return false;
  if (kinds) return typeof kind === 'string' && kinds.includes(kind);
  return served;
}

type BaseContext = Omit<RuleContext<unknown, string>, 'options' | 'report'>;

function baseContext(context: EvalContext, kubeVersion: KubeVersion, namespace: string | undefined, decode: DecodeResult): BaseContext {
  const rank = KUBE_VERSIONS.indexOf(kubeVersion);
  return {
    kubeVersion,
    atLeast: (v) => rank >= KUBE_VERSIONS.indexOf(v),
    operation: context.operation ?? 'CREATE',
    oldObject: context.oldObject,
    namespace,
    userInfo: context.userInfo,
    mode: context.mode ?? 'offline',
    services: context.services,
    decode,
  };
}

function runRule(a: ActiveRule, obj: Record<string, unknown>, base: BaseContext, strict: boolean, sink: Finding[]): void {
  const { meta } = a.rule;
  const severity = meta.category === 'apiserver' || strict ? 'deny' : a.severity;
  const report = (d: ReportDescriptor<string>): void => {
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
  try {
    // Spelled out, not `{ ...base, ... }`: object spread per rule per document was most of the
    // engine's time (5x slower over 2000 slices), and one literal shape keeps the call sites fast.
    const { kubeVersion, atLeast, operation, oldObject, namespace, userInfo, mode, services, decode } = base;
    a.rule.check(obj, { kubeVersion, atLeast, operation, oldObject, namespace, userInfo, mode, services, decode, options: a.options, report });
  } catch (err) {
    if (err instanceof SliceguardError) throw err;
    throw new SliceguardError('SG_INTERNAL', `Rule ${meta.id} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
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

function comparePointers(a: string, b: string): number {
  if (a === b) return 0;
  const as = a.split('/');
  const bs = b.split('/');
  const n = Math.min(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    if (as[i] === bs[i]) continue;
    const ai = Number(as[i]);
    const bi = Number(bs[i]);
    if (as[i] !== '' && bs[i] !== '' && Number.isInteger(ai) && Number.isInteger(bi)) return ai - bi;
    return as[i] < bs[i] ? -1 : 1;
  }
  return as.length - bs.length;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
