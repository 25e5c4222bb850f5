/**
 * Safe readers for the parts of an EndpointSlice that the API-server rules walk. They never throw
 * on wrong-typed input: the decode gate reports type errors, and the rules simply skip what they
 * cannot read. The limits are kube-apiserver's (apiserver-rules.md §6).
 */

/** More endpoints than this: TooMany at `endpoints`, and no other endpoint is validated (C-E1). */
export const MAX_ENDPOINTS = 1000;
/** More ports than this: TooMany at `ports`, and no port is validated (C-P1; the documented 100 is stale). */
export const MAX_PORTS = 20000;
/** Addresses per endpoint (C-E2). */
export const MAX_ADDRESSES = 100;

/** True for a plain JSON object (not null, not a list). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Returns a list item as an object. A JSON `null` item decodes into Go's zero-value struct, so it
 * reads as `{}`; any other non-object is a type error for the decode gate and gives undefined.
 */
export function asItem(v: unknown): Record<string, unknown> | undefined {
  if (v === null) return {};
  return isRecord(v) ? v : undefined;
}

/** Returns the number of items in a list field, 0 when absent or null, undefined when not a list. */
export function listLength(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return Array.isArray(v) ? v.length : undefined;
}

/**
 * Calls `fn` for each object item of a list field (null items read as `{}`). Does nothing when the
 * field is not a list or holds more than `max` items: the API server then stops validating it.
 * A callback rather than an array of pairs, since it runs for every endpoint of every slice.
 */
export function forEachItem(list: unknown, max: number, fn: (item: Record<string, unknown>, index: number) => void): void {
  if (!Array.isArray(list) || list.length > max) return;
  for (let i = 0; i < list.length; i++) {
    const item = asItem(list[i]);
    if (item) fn(item, i);
  }
}

/** Calls `fn` for each endpoint to validate one by one: none when there are more than 1000 (C-E1). */
export function forEachEndpoint(slice: Readonly<Record<string, unknown>>, fn: (endpoint: Record<string, unknown>, index: number) => void): void {
  forEachItem(slice.endpoints, MAX_ENDPOINTS, fn);
}

/** Calls `fn` for each port to validate one by one: none when there are more than 20000 (C-P1). */
export function forEachPort(slice: Readonly<Record<string, unknown>>, fn: (port: Record<string, unknown>, index: number) => void): void {
  forEachItem(slice.ports, MAX_PORTS, fn);
}

/**
 * Returns an optional string field as the API server sees it: `null` for a missing or null field
 * (a nil pointer), the string when it is one, and undefined when it has another type (the decode
 * gate reports that).
 */
export function optionalString(item: Readonly<Record<string, unknown>>, key: string): string | null | undefined {
  const v = item[key];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : undefined;
}

/** Returns the slice's addressType as a string ("" when absent or null), or undefined when wrong-typed. */
export function addressTypeOf(slice: unknown): string | undefined {
  if (!isRecord(slice)) return undefined;
  const v = slice.addressType;
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : undefined;
}
