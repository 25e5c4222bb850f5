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
 * Returns `[item, index]` pairs of a list field for per-item checks. Empty when the field is not a
 * list or holds more than `max` items (the API server then stops validating that list).
 */
export function itemsToCheck(list: unknown, max: number): [Record<string, unknown>, number][] {
  if (!Array.isArray(list) || list.length > max) return [];
  const out: [Record<string, unknown>, number][] = [];
  for (let i = 0; i < list.length; i++) {
    const item = asItem(list[i]);
    if (item) out.push([item, i]);
  }
  return out;
}

/** Returns the endpoints to validate one by one: none when there are more than 1000 (C-E1). */
export function endpointsToCheck(slice: Readonly<Record<string, unknown>>): [Record<string, unknown>, number][] {
  return itemsToCheck(slice.endpoints, MAX_ENDPOINTS);
}

/** Returns the ports to validate one by one: none when there are more than 20000 (C-P1). */
export function portsToCheck(slice: Readonly<Record<string, unknown>>): [Record<string, unknown>, number][] {
  return itemsToCheck(slice.ports, MAX_PORTS);
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
