/**
 * Fields of an endpoint that are Go pointers to structs (`*EndpointHints`, `*ObjectReference`):
 * for them `{}` is a non-nil value, different from absent. Every other object-valued field in an
 * EndpointSlice is a struct value (`conditions`) or a map (`deprecatedTopology`), where an empty
 * one equals an absent one.
 */
const POINTER_STRUCTS = new Set(['hints', 'targetRef']);

/** Deeper than any EndpointSlice field, shallow enough for the call stack (the webhook's JSON has no depth limit). */
const MAX_DEPTH = 1000;

/**
 * True when two decoded JSON values are equal the way apimachinery's `Semantic.DeepEqual` sees
 * the Go structs they decode into: absent and `null` are the same, an empty list or map equals an
 * absent one (nil and empty slices and maps compare equal), and so does an empty struct value,
 * but not an empty pointer struct. List order matters. Values nested deeper than `MAX_DEPTH` are
 * unequal: no EndpointSlice field nests that far, and "changed" is the safe answer (no ratchet).
 */
export function semanticEqual(a: unknown, b: unknown, field = '', depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH) return false;
  if (isNil(a) || isNil(b)) {
    const other = isNil(a) ? b : a;
    if (isNil(other)) return true;
    if (Array.isArray(other)) return other.length === 0;
    if (isObject(other)) return !POINTER_STRUCTS.has(field) && Object.keys(other).every((k) => semanticEqual(undefined, other[k], k, depth + 1));
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i], field, depth + 1)) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) if (!semanticEqual(a[k], b[k], k, depth + 1)) return false;
    for (const k of Object.keys(b)) if (!Object.hasOwn(a, k) && !semanticEqual(undefined, b[k], k, depth + 1)) return false;
    return true;
  }
  return false;
}

function isNil(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
