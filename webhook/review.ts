/**
 * The admission decision: an AdmissionReview body in, the whole HTTP answer out. Pure and
 * synchronous (no clock, no I/O), so that every answer can be tested without a server, and
 * `dryRun` requests have no side effects by construction.
 */
import { evaluate } from '../policies/engine.ts';
import { fixObject } from '../policies/fix.ts';
import type { Policy } from '../policies/policy.ts';
import { CONTROLLER_MANAGERS, CONTROLLER_USERS, labelOf, MANAGED_BY_LABEL } from '../policies/slice-policy.ts';
import type { EvalContext, Finding, KubeVersion, ServiceLookup } from '../policies/types.ts';
import type { ServiceVerdict } from './service-gate.ts';
import { SliceguardError } from '../policies/errors.ts';
import { admissionResponse, internalError, isRecord, parseAdmissionReview, statusAnswer, type AdmissionRequest, type HttpAnswer } from './admission.ts';
import { denialMessage, fit, ruleIds, warningsFor } from './messages.ts';

/** `/validate` judges the final object; `/mutate` applies the policy's fixes. */
export type ReviewKind = 'validate' | 'mutate';

/** What to answer when a rule fails internally (`--on-error`). */
export type OnError = 'allow' | 'deny';

/** What a review needs besides the request; the server builds it per request (policy reloads). */
export interface ReviewDeps {
  policy: Policy;
  /** Known Services; undefined keeps the Service-aware rules silent. */
  services?: ServiceLookup;
  kubeVersion?: KubeVersion;
  onError: OnError;
  /**
   * The live Service cache's view for this review (webhook/service-gate.ts); it replaces
   * `services` and may add warnings or a denial while the cache is stale.
   */
  serviceVerdict?: ServiceVerdict;
}

/** What the access log and the metrics record about one review; never object contents. */
export interface ReviewSummary {
  uid?: string;
  operation?: string;
  namespace?: string;
  name?: string;
  user?: string;
  dryRun?: boolean;
  /** `invalid`: not an AdmissionReview (HTTP 400). `error`: a rule failed; `allowed` says what was answered. */
  decision: 'allowed' | 'denied' | 'patched' | 'error' | 'invalid';
  allowed?: boolean;
  /** Rule ids with deny findings. */
  denied: string[];
  /** Rule ids with warn findings. */
  warned: string[];
  /** The number of patch operations sent. */
  patchOps?: number;
  /** The internal error or the 400 reason. */
  error?: string;
}

/** The answer to one review: HTTP status and body, plus the summary for logs and metrics. */
export interface ReviewResult extends HttpAnswer {
  summary: ReviewSummary;
}

/**
 * Returns the answer to an AdmissionReview body (already parsed from JSON): 400 with a metav1.Status
 * when it is not an AdmissionReview v1, else 200 with an AdmissionReview whose response carries the
 * request's uid. An internal rule error is answered per `deps.onError`, with the error in the message.
 */
export function reviewAdmission(body: unknown, kind: ReviewKind, deps: ReviewDeps): ReviewResult {
  const parsed = parseAdmissionReview(body);
  if ('problem' in parsed) {
    return { ...statusAnswer(400, `Not an AdmissionReview v1: ${parsed.problem}`), summary: { decision: 'invalid', denied: [], warned: [], error: parsed.problem } };
  }
  const request = parsed.request;
  try {
    return kind === 'mutate' ? mutate(request, deps) : validate(request, deps);
  } catch (err) {
    return errored(request, err, deps.onError);
  }
}

function validate(request: AdmissionRequest, deps: ReviewDeps): ReviewResult {
  // DELETE carries no new object (oldObject only) and CONNECT none at all: nothing to judge.
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return answer(request, true, [], []);
  const verdict = deps.serviceVerdict;
  if (verdict?.deny) return answer(request, false, [staleDenial(verdict.deny)], []);
  const report = evaluate(request.object, deps.policy, contextOf(request, deps));
  const findings = verdict ? report.findings.map(notFoundWarnsOnly) : report.findings;
  const denials = findings.filter((f) => f.severity === 'deny');
  const warnings = findings.filter((f) => f.severity === 'warn');
  return answer(request, denials.length === 0, denials, warnings, verdict?.warnings);
}

/**
 * With a live cache, a Service it does not hold (even after the gate's short wait) may still be
 * on its way: a Service and its slice applied together can reach the webhook in either order, and
 * denying the slice would break that apply. So the webhook warns; `validate` in CI still denies.
 */
function notFoundWarnsOnly(f: Finding): Finding {
  if (f.rule !== 'service-not-found' || f.severity !== 'deny') return f;
  return { ...f, severity: 'warn', message: `${f.message} (Not yet seen by the webhook; it only warns.)` };
}

function staleDenial(message: string): Finding {
  return { rule: 'service-cache', category: 'policy', severity: 'deny', pointer: '/metadata/labels', path: 'metadata.labels', message, messageId: 'stale' };
}

function mutate(request: AdmissionRequest, deps: ReviewDeps): ReviewResult {
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return answer(request, true, [], []);
  if (isControllerManaged(request, deps.policy)) return answer(request, true, [], []);
  // Fixes are computed from the raw request object, so the patch applies to what the API server
  // holds. /mutate never denies and never warns: /validate judges the final object and says so.
  const fixed = fixObject(request.object, deps.policy, contextOf(request, deps));
  const result = admissionResponse(request, { allowed: true, patch: fixed.patch });
  const decision = fixed.patch.length > 0 ? 'patched' : 'allowed';
  return { ...result, summary: { ...summaryOf(request), decision, allowed: true, denied: [], warned: [], patchOps: fixed.patch.length } };
}

function answer(request: AdmissionRequest, allowed: boolean, denials: Finding[], warnings: Finding[], extraWarnings: string[] = []): ReviewResult {
  const status = allowed ? undefined : { code: 403, reason: 'Forbidden', message: denialMessage(denials) };
  const result = admissionResponse(request, { allowed, status, warnings: warningsFor(warnings, extraWarnings) });
  return {
    ...result,
    summary: { ...summaryOf(request), decision: allowed ? 'allowed' : 'denied', allowed, denied: ruleIds(denials), warned: ruleIds(warnings) },
  };
}

/** A failed rule is a bug in sliceguard: answer per --on-error, and say so in the message and a warning. */
function errored(request: AdmissionRequest, err: unknown, onError: OnError): ReviewResult {
  const detail = err instanceof SliceguardError ? err.message : internalError(err);
  const allowed = onError === 'allow';
  const message = `sliceguard could not check this object: ${detail} ${allowed ? 'Allowed' : 'Denied'} by --on-error ${onError}.`;
  const result = admissionResponse(request, {
    allowed,
    status: allowed ? { code: 200, message } : { code: 500, reason: 'InternalError', message },
    // An allowed answer's status message is not shown to the client; a warning is.
    warnings: allowed ? [fit(`sliceguard could not check this object (${detail}); allowed by --on-error allow.`)] : [],
  });
  return { ...result, summary: { ...summaryOf(request), decision: 'error', allowed, denied: [], warned: [], error: detail } };
}

/** Returns the evaluation context of a request: its operation, stored object, namespace and user. */
export function contextOf(request: AdmissionRequest, deps: ReviewDeps): EvalContext {
  const services = deps.serviceVerdict ? deps.serviceVerdict.services : deps.services;
  const context: EvalContext = { operation: request.operation, mode: 'webhook', kubeVersion: deps.kubeVersion, services };
  if (request.operation === 'UPDATE') context.oldObject = request.oldObject;
  // The API server puts the URL's namespace in request.namespace; the object may lack its own.
  if (request.namespace !== '') context.namespace = request.namespace;
  if (request.userInfo) context.userInfo = request.userInfo;
  return context;
}

/**
 * True when the EndpointSlice or mirroring controller writes the slice (by the request's user) or
 * owns it (by its managed-by label): /mutate never changes those, or the two would fight.
 */
export function isControllerManaged(request: AdmissionRequest, policy: Policy): boolean {
  const user = request.userInfo?.username;
  if (user !== undefined && (CONTROLLER_USERS.includes(user) || extraControllerUsers(policy).includes(user))) return true;
  const managedBy = isRecord(request.object) ? labelOf(request.object, MANAGED_BY_LABEL) : undefined;
  return managedBy !== undefined && CONTROLLER_MANAGERS.includes(managedBy);
}

/** The `controllerUsers` options of the enabled rules: identities the operator added as controllers. */
function extraControllerUsers(policy: Policy): string[] {
  const users: string[] = [];
  for (const a of policy.rules) {
    const opts = a.options as { controllerUsers?: unknown } | undefined;
    if (Array.isArray(opts?.controllerUsers)) users.push(...opts.controllerUsers.filter((u): u is string => typeof u === 'string'));
  }
  return users;
}

function summaryOf(request: AdmissionRequest): Pick<ReviewSummary, 'uid' | 'operation' | 'namespace' | 'name' | 'user' | 'dryRun'> {
  return {
    uid: request.uid,
    operation: request.operation,
    namespace: request.namespace,
    name: request.name || nameOf(request.object) || nameOf(request.oldObject),
    user: request.userInfo?.username,
    dryRun: request.dryRun,
  };
}

/** The object's name, or `generateName` followed by `*` on a CREATE through generateName. */
function nameOf(object: unknown): string | undefined {
  const meta = isRecord(object) && isRecord(object.metadata) ? object.metadata : undefined;
  if (typeof meta?.name === 'string' && meta.name !== '') return meta.name;
  return typeof meta?.generateName === 'string' && meta.generateName !== '' ? `${meta.generateName}*` : undefined;
}
