/**
 * Errors that sliceguard throws: misconfiguration and bugs only. Problems in the input are findings.
 * Every code is documented in docs/errors.md.
 */

/** Codes of `SliceguardError`; each has an entry in docs/errors.md. */
export type ErrorCode =
  | 'SG_POLICY_INVALID'
  | 'SG_POLICY_UNREADABLE'
  | 'SG_USAGE'
  | 'SG_INPUT_UNREADABLE'
  | 'SG_CERT_INVALID'
  | 'SG_CERT_UNREADABLE'
  | 'SG_CERT_UNWRITABLE'
  | 'SG_KUBE_API'
  | 'SG_SERVICES_INVALID'
  | 'SG_FIX_UNWRITABLE'
  | 'SG_LISTEN_FAILED'
  | 'SG_INTERNAL';

/** An error with a documented code; the CLI prints `message` on one line and exits 2. */
export class SliceguardError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SliceguardError';
    this.code = code;
  }
}
