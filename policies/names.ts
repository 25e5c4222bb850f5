/**
 * The API server's name rules (apimachinery `pkg/util/validation`), as apiserver-rules.md §3 lists
 * them. Each function returns the problems as sentences (empty when valid). All regexes are ASCII;
 * lengths are UTF-8 byte lengths, as Go counts them.
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
// A valid qualified name in one test: an optional subdomain prefix and `/`, then the name. At 63
// characters or fewer (all ASCII, as the pattern is) both parts are within their limits.
const QUALIFIED_NAME_WHOLE = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
// What the functions below return for a valid value: nearly every value is, and each runs for
// every label, name and port of every slice. Shared, so frozen.
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** Returns the length of `s` in UTF-8 bytes (Go's `len`). */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 2; // a surrogate pair is 4 bytes; the pair's two code units already count 2
      i++;
    } else n += 2; // 3 bytes; a lone surrogate becomes U+FFFD (3 bytes) when Go decodes it
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Problems of a DNS-1123 label (≤63; namespace, hostname, port name). */
export function dns1123LabelProblems(value: string): string[] {
  // The pattern is ASCII, so the length in characters is the length in bytes.
  if (value.length <= 63 && LABEL.test(value)) return NONE;
  const out: string[] = [];
  if (byteLength(value) > 63) out.push('must be no more than 63 characters');
  if (!LABEL.test(value)) {
    out.push(
      // apimachinery says "dots" only for a valid subdomain (the one thing wrong is the dots).
      SUBDOMAIN.test(value)
        ? 'must not contain dots'
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  }
  return out;
}

/** Problems of a DNS-1123 subdomain (≤253; names, nodeName, forNodes names). */
export function dns1123SubdomainProblems(value: string): string[] {
  if (value.length <= 253 && SUBDOMAIN.test(value)) return NONE;
  const out: string[] = [];
  if (byteLength(value) > 253) out.push('must be no more than 253 characters');
  if (!SUBDOMAIN.test(value)) {
    out.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/** Problems of a qualified name (`[prefix/]name`: label and annotation keys, finalizers, appProtocol). */
export function qualifiedNameProblems(value: string): string[] {
  if (value.length <= 63 && QUALIFIED_NAME_WHOLE.test(value)) return NONE;
  const parts = value.split('/');
  let name: string;
  const out: string[] = [];
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const p of dns1123SubdomainProblems(prefix)) out.push(`prefix part ${p}`);
  } else {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'"];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (byteLength(name) > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) {
    out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/** Problems of a label value (≤63, may be empty; label values, forZones names). */
export function labelValueProblems(value: string): string[] {
  if (value.length <= 63 && LABEL_VALUE.test(value)) return NONE;
  const out: string[] = [];
  if (byteLength(value) > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/** Go's `strings.ToLower` for what matters here: JS lowercases U+0130 to two code points, Go to `i`. */
export function goToLower(s: string): string {
  return s.replace(/\u0130/g, 'i').toLowerCase();
}

/**
 * Returns what apimachinery's `maskTrailingDash` makes of a generateName before validating it as a
 * subdomain prefix: a trailing `-` and the byte before it become one `a` (`slice-` is checked as
 * `slica`). Go slices bytes; when a multi-byte character precedes the dash, Go keeps its leading
 * bytes, which fail the ASCII regex anyway, so dropping only the dash gives the same problems.
 */
export function maskTrailingDash(prefix: string): string {
  if (byteLength(prefix) <= 1 || !prefix.endsWith('-')) return prefix;
  const before = prefix.charCodeAt(prefix.length - 2);
  return before < 0x80 ? prefix.slice(0, -2) + 'a' : prefix.slice(0, -1);
}

/** Longest generateName prefix kept: 63 - 5 random characters (apiserver `names.SimpleNameGenerator`). */
export const MAX_GENERATED_PREFIX = 58;

/**
 * Returns a name as the API server generates it from `generateName`: the first 58 bytes plus 5
 * characters from `bcdfghjklmnpqrstvwxz2456789`. The random part is always a valid label tail, so a
 * fixed stand-in gives the same validation result.
 */
export function generatedName(prefix: string): string {
  const bytes = byteLength(prefix);
  if (bytes <= MAX_GENERATED_PREFIX) return prefix + 'bcdfg';
  if (bytes === prefix.length) return prefix.slice(0, MAX_GENERATED_PREFIX) + 'bcdfg';
  // Go cuts bytes, possibly inside a character; the decoder turns a cut character into U+FFFD,
  // which fails the ASCII rules just as Go's partial bytes do.
  return new TextDecoder().decode(new TextEncoder().encode(prefix).slice(0, MAX_GENERATED_PREFIX)) + 'bcdfg';
}
