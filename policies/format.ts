/** Returns a message template with `{{name}}` placeholders filled from `data`. */
export function fillTemplate(template: string, data: Record<string, unknown> | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(data, key) ? String(data[key]) : whole,
  );
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
