/**
 * The AdmissionReview v1 wire format: reading a request and writing the response, in the manner of
 * controller-runtime's admission helpers (allowed / denied / patched / errored). Pure data in and
 * out; the decisions are made in review.ts.
 */
import type { PatchOperation, UserInfo } from '../policies/types.ts';

/** The only AdmissionReview version sliceguard reads (the webhook configurations ask for v1 only). */
export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_KIND = 'AdmissionReview';

/** An operation as kube-apiserver names it in `request.operation`. */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

/** The parts of `request` that sliceguard reads, checked for type. */
export interface AdmissionRequest {
  uid: string;
  operation: Operation;
  /** `request.name`; empty on a CREATE through `metadata.generateName`. */
  name: string;
  namespace: string;
  object: unknown;
  oldObject: unknown;
  userInfo: UserInfo | undefined;
  dryRun: boolean;
}

/** An HTTP status and the JSON body that goes with it. */
export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Returns the checked request of an AdmissionReview v1, or the sentence that says why the body is
 * not one (the server answers 400 with it). Required: apiVersion, kind, a request with a non-empty
 * string uid and a known operation, an object for CREATE and UPDATE, an oldObject for UPDATE (the
 * API server always sends them). Optional fields of the wrong type are ignored.
 */
export function parseAdmissionReview(body: unknown): { request: AdmissionRequest } | { problem: string } {
  if (!isRecord(body)) return { problem: `Expected an AdmissionReview object, got ${describe(body)}.` };
  if (body.apiVersion !== ADMISSION_API_VERSION) {
    return { problem: `apiVersion is ${describe(body.apiVersion)}; sliceguard reads ${ADMISSION_API_VERSION} only (admissionReviewVersions: [v1]).` };
  }
  if (body.kind !== ADMISSION_KIND) return { problem: `kind is ${describe(body.kind)}; expected ${ADMISSION_KIND}.` };
  const r = body.request;
  if (!isRecord(r)) return { problem: `request is ${describe(r)}; expected an object.` };
  if (typeof r.uid !== 'string' || r.uid === '') return { problem: `request.uid is ${describe(r.uid)}; expected a non-empty string.` };
  if (typeof r.operation !== 'string' || !OPERATIONS.includes(r.operation)) {
    return { problem: `request.operation is ${describe(r.operation)}; expected one of ${OPERATIONS.join(', ')}.` };
  }
  const operation = r.operation as Operation;
  if ((operation === 'CREATE' || operation === 'UPDATE') && !isRecord(r.object)) {
    return { problem: `request.object is ${describe(r.object)}; a ${operation} carries the object.` };
  }
  if (operation === 'UPDATE' && !isRecord(r.oldObject)) {
    return { problem: `request.oldObject is ${describe(r.oldObject)}; an UPDATE carries the stored object.` };
  }
  return {
    request: {
      uid: r.uid,
      operation,
      name: typeof r.name === 'string' ? r.name : '',
      namespace: typeof r.namespace === 'string' ? r.namespace : '',
      object: r.object ?? null,
      oldObject: r.oldObject ?? null,
      userInfo: isRecord(r.userInfo) ? userInfoOf(r.userInfo) : undefined,
      dryRun: r.dryRun === true,
    },
  };
}

function userInfoOf(u: Record<string, unknown>): UserInfo {
  const info: UserInfo = {};
  if (typeof u.username === 'string') info.username = u.username;
  if (typeof u.uid === 'string') info.uid = u.uid;
  if (Array.isArray(u.groups)) info.groups = u.groups.filter((g): g is string => typeof g === 'string');
  return info;
}

/** What goes into `response` besides the uid. */
export interface ResponseParts {
  allowed: boolean;
  /** `status` of the response (a metav1.Status); absent on a plain allow. */
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
  patch?: readonly PatchOperation[];
}

/**
 * Returns the AdmissionReview answer to `request`: HTTP 200, the same apiVersion and kind, the
 * request's uid. `warnings` and `patch` appear only when non-empty; the patch is base64 JSON Patch.
 */
export function admissionResponse(request: Pick<AdmissionRequest, 'uid'>, parts: ResponseParts): HttpAnswer {
  const response: Record<string, unknown> = { uid: request.uid, allowed: parts.allowed };
  if (parts.status) response.status = parts.status;
  if (parts.warnings && parts.warnings.length > 0) response.warnings = parts.warnings;
  if (parts.patch && parts.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(JSON.stringify(parts.patch), 'utf8').toString('base64');
  }
  return { status: 200, body: { apiVersion: ADMISSION_API_VERSION, kind: ADMISSION_KIND, response } };
}

/** Reasons of the non-review answers, as metav1.Status names them. */
const REASONS: Record<number, string> = {
  400: 'BadRequest',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** The message for a bug in sliceguard's own code (never the request's fault): `Internal error: …`. */
export function internalError(err: unknown): string {
  return `Internal error: ${err instanceof Error ? err.message : String(err)}`;
}

/** Returns a non-review answer: a metav1.Status body, as kube-apiserver itself writes errors. */
export function statusAnswer(code: number, message: string): HttpAnswer {
  return {
    status: code,
    body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', message, reason: REASONS[code] ?? 'Unknown', code },
  };
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/** True for a plain JSON object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
