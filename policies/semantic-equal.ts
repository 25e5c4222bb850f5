/**
 * True when two decoded JSON values are equal the way apimachinery's `Semantic.DeepEqual` sees
 * the Go structs they decode into: absent and `null` are the same, and an empty list or map equals
 * an absent one (nil and empty slices and maps compare equal). List order matters.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object' && !Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of Object.keys(ra)) if (!semanticEqual(ra[k], rb[k])) return false;
    for (const k of Object.keys(rb)) if (!(k in ra) && !semanticEqual(undefined, rb[k])) return false;
    return true;
  }
  return false;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}
