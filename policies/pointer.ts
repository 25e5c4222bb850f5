/**
 * JSON Pointers (RFC 6901) inside the core, API-server field paths outside. This file is the one
 * place that converts between them.
 */

/** Returns the JSON Pointer for the given segments, escaping `~` and `/` (label keys have `/`). */
export function pointer(...segments: (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + escapeSegment(String(s));
  return out;
}

/** Returns a JSON Pointer for `child` segments appended to the pointer `base`. */
export function childPointer(base: string, ...segments: (string | number)[]): string {
  return base + pointer(...segments);
}

function escapeSegment(s: string): string {
  return s.indexOf('~') === -1 && s.indexOf('/') === -1 ? s : s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Returns the unescaped segments of a JSON Pointer (`''` is the whole document). */
export function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (ptr[0] !== '/') throw new Error(`Not a JSON Pointer: ${ptr}`);
  return ptr
    .slice(1)
    .split('/')
    .map((s) => (s.indexOf('~') === -1 ? s : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Returns the API server's field path for a pointer: `/endpoints/0/addresses/1` becomes
 * `endpoints[0].addresses[1]`. Numeric segments are list indexes; other segments under a map are
 * joined with `.` as `field.Path` does for struct fields. Map keys (`[key]`) never reach here:
 * the API server reports label and annotation errors at the map's own path.
 */
export function pointerToPath(ptr: string): string {
  if (ptr === '') return '';
  // The common pointers (no escapes) are walked in place; a finding is made for each of them.
  if (ptr[0] !== '/' || ptr.indexOf('~') !== -1) return parsePointer(ptr).reduce(appendSegment, '');
  let out = '';
  for (let i = 1; i <= ptr.length; ) {
    let e = ptr.indexOf('/', i);
    if (e === -1) e = ptr.length;
    out = appendSegment(out, ptr.slice(i, e));
    i = e + 1;
  }
  return out;
}

/** Appends one segment to a field path: a list index as `[n]`, a field as `.name`. */
function appendSegment(path: string, seg: string): string {
  if (INDEX.test(seg)) return `${path}[${seg}]`;
  return path === '' ? seg : `${path}.${seg}`;
}

/** Returns the value at a pointer, or undefined when any step is missing. */
export function getAt(root: unknown, ptr: string): unknown {
  let cur: unknown = root;
  for (const seg of parsePointer(ptr)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
