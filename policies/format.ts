const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
// Templates are the rules' own message strings, a few hundred at most: each is split once into
// text and names (odd indexes are names; each with its whole `{{ name }}` for when data lacks it).
const compiled = new Map<string, string[]>();

function partsOf(template: string): string[] {
  let parts = compiled.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      parts.push(template.slice(last, m.index), m[1], m[0]);
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    if (compiled.size < 1024) compiled.set(template, parts);
  }
  return parts;
}

/** Returns a message template with `{{name}}` placeholders filled from `data`. */
export function fillTemplate(template: string, data: Record<string, unknown> | undefined): string {
  if (!data) return template;
  const parts = partsOf(template);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 3) {
    const key = parts[i];
    out += (Object.prototype.hasOwnProperty.call(data, key) ? String(data[key]) : parts[i + 1]) + parts[i + 2];
  }
  return out;
}

/** Returns `value` quoted for a message, shortened to `max` characters so messages stay short. */
export function quote(value: unknown, max = 40): string {
  const s = typeof value === 'string' ? value : jsonOf(value);
  return JSON.stringify(s.length > max ? s.slice(0, max - 1) + '…' : s);
}

/** JSON for a message; a value nested too deeply for JSON.stringify's recursion is shown as `[…]` or `{…}`. */
function jsonOf(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

/**
 * Returns `s` as a string of its own. V8 makes a slice of 13 or more characters a view into its
 * parent, so a name or address kept for long would keep the whole text it was cut from alive
 * (every input file stayed in memory). A one-character concatenation, sliced back, costs one
 * short copy.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}
