/**
 * The decoding gate: what kube-apiserver's strict decoder refuses before validation runs
 * (unknown fields, wrong JSON types, int32 overflow). Compiled once with ajv.
 * STUB: the apiserver-parity work replaces this with the real ajv gate.
 */

/** One decoding problem, located by JSON Pointer. */
export interface DecodeProblem {
  kind: 'unknown-field' | 'field-type';
  pointer: string;
  message: string;
}

/** The decoding problems of one object. */
export interface DecodeResult {
  problems: DecodeProblem[];
}

/** Returns the decoding problems of an EndpointSlice object (empty when it decodes cleanly). */
export function decodeEndpointSlice(_object: unknown): DecodeResult {
  return { problems: [] };
}
