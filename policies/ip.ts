/**
 * IP address parsing exactly as kube-apiserver does it (apiserver-rules.md §4), in plain code with
 * no dependency: Node's `net.isIP`/`isIPv6` accept zone suffixes (`fe80::1%eth0`) and must not be
 * trusted for this.
 *
 * - `parseIP` is Go 1.16's `net.ParseIP`, which Kubernetes keeps as `netutils.ParseIPSloppy`
 *   (k8s.io/utils `internal/third_party/forked/golang/net/ip.go`): IPv4 octets may carry any number
 *   of leading zeros and are read as decimal, IPv6 groups may have more than four hex digits when
 *   the value fits in 16 bits, IPv4-mapped and dotted IPv6 forms are accepted; zones, brackets,
 *   CIDR suffixes, whitespace and the empty string are rejected.
 * - `strict` says whether Go's `netip.ParseAddr` accepts the same text. The only inputs the sloppy
 *   parser accepts and netip refuses are leading zeros in an IPv4 octet and IPv6 groups of more
 *   than four digits; apimachinery reports both as "must not have leading 0s".
 * - `formatIP` is Go's `net.IP.String()`: dotted quad for IPv4 and IPv4-mapped, RFC 5952 for IPv6.
 */

/** A parsed address: the 16 bytes of Go's `net.IP`, plus how it was written. */
export interface ParsedIP {
  /**
   * IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`), as Go does. A plain array: it is
   * twice as fast to create as a Uint8Array, and this runs for every address of every slice.
   */
  bytes: readonly number[];
  /** Whether `netip.ParseAddr` accepts the text too (no leading zeros, no 5-digit groups). */
  strict: boolean;
  /** Whether the text was IPv6 syntax (it contains `:` before any `.`). */
  v6Text: boolean;
}

// Go's net package gives up on numbers this large (`big` in net/parse.go).
const BIG = 0xffffff;
const DOT = 46;
const COLON = 58;

/** Returns the Go 1.16 `net.ParseIP` result for `s`, or undefined when Go returns nil. */
export function parseIP(s: string): ParsedIP | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      const bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0];
      const r = parseIPv4Into(s, 0, bytes, 12);
      return r === 0 ? undefined : { bytes, strict: r === 1, v6Text: false };
    }
    if (c === COLON) return parseIPv6(s);
  }
  return undefined;
}

/**
 * Parses dotted decimal from `s[start..]` to the end into `out[off..off+3]`. Returns 0 on
 * failure, 1 when netip would accept it too, 2 when an octet has a leading zero.
 */
function parseIPv4Into(s: string, start: number, out: number[], off: number): 0 | 1 | 2 {
  let pos = start;
  let leadingZero = false;
  for (let k = 0; k < 4; k++) {
    if (pos >= s.length) return 0;
    if (k > 0) {
      if (s.charCodeAt(pos) !== DOT) return 0;
      pos++;
    }
    const begin = pos;
    let n = 0;
    for (; pos < s.length; pos++) {
      const c = s.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      if (n >= BIG) return 0;
    }
    if (pos === begin || n > 0xff) return 0;
    if (pos - begin > 1 && s.charCodeAt(begin) === 48) leadingZero = true;
    out[off + k] = n;
  }
  if (pos !== s.length) return 0;
  return leadingZero ? 2 : 1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Go 1.16 `parseIPv6` (no zones), step for step. */
function parseIPv6(s: string): ParsedIP | undefined {
  const ip = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let strict = true;
  let ellipsis = -1;
  let pos = 0;
  if (s.length >= 2 && s.charCodeAt(0) === COLON && s.charCodeAt(1) === COLON) {
    ellipsis = 0;
    pos = 2;
    if (pos === s.length) return { bytes: ip, strict, v6Text: true };
  }
  let i = 0;
  while (i < 16) {
    const begin = pos;
    let n = 0;
    for (; pos < s.length; pos++) {
      const h = hexValue(s.charCodeAt(pos));
      if (h < 0) break;
      n = n * 16 + h;
      if (n >= BIG) return undefined;
    }
    if (pos === begin || n > 0xffff) return undefined;
    if (pos < s.length && s.charCodeAt(pos) === DOT) {
      // A trailing IPv4 part, only in the last 32 bits or after an ellipsis.
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      const r = parseIPv4Into(s, begin, ip, i);
      if (r === 0) return undefined;
      if (r === 2) strict = false;
      pos = s.length;
      i += 4;
      break;
    }
    if (pos - begin > 4) strict = false;
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    if (pos === s.length) break;
    if (s.charCodeAt(pos) !== COLON || pos + 1 === s.length) return undefined;
    pos++;
    if (s.charCodeAt(pos) === COLON) {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      pos++;
      if (pos === s.length) break;
    }
  }
  if (pos !== s.length) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    // The ellipsis must stand for at least one group of zeros.
    return undefined;
  }
  return { bytes: ip, strict, v6Text: true };
}

/** What the rules ask of one parseable address; see `addressFacts`. */
export interface AddressFacts {
  ip: ParsedIP;
  /** Go's `To4() != nil`: IPv4, written as such or IPv4-mapped. */
  v4: boolean;
  /** Go's `net.IP.String()`. */
  canonical: string;
  /** The range the API server refuses the address for (`specialRange`), or undefined. */
  special: string | undefined;
}

// Four rules and the cross-slice index read every address of a slice; parsing each text once
// per slice halves their cost. A direct-mapped memo (a slot per hash of the text) rather than a
// Map: no clearing, and the rules pass the same string objects, so the comparison is usually by
// identity. It only ever holds what `parseIP` would compute again, so it is pure.
// Its size follows the largest slice seen (`fitAddressMemo`). Two addresses that share a slot
// evict each other and are parsed again on every review: for the 1,001 addresses of the
// benchmark's 1000-endpoint UPDATE, 4096 slots gave 197 such misses and 16384 gave 50. Small
// slices need few slots, and a large table costs memory where `validate` reads thousands of
// small slices: each entry (about 300 bytes) outlived two young-generation collections, so every
// address of the run went to the old generation, 11 MB of it on the typical benchmark corpus.
const MIN_SLOTS = 256;
const MAX_SLOTS = 16384;
let slots = MIN_SLOTS;
let memoText: (string | undefined)[] = new Array(slots).fill(undefined);
let memoFacts: (AddressFacts | null)[] = new Array(slots).fill(null);

/**
 * Grows the memo (never shrinks it) to at least 16 slots per address for a slice of `addresses`
 * addresses, up to 16384 slots; `addressesOf` calls it before it parses a slice's addresses.
 */
export function fitAddressMemo(addresses: number): void {
  if (addresses * 16 <= slots || slots === MAX_SLOTS) return;
  while (slots < addresses * 16 && slots < MAX_SLOTS) slots *= 2;
  memoText = new Array(slots).fill(undefined);
  memoFacts = new Array(slots).fill(null);
}

/** Returns the parsed address with its family, canonical text and special range; undefined when unparsable. */
export function addressFacts(s: string): AddressFacts | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let h = n;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  const slot = (h ^ (h >>> 15)) & (slots - 1);
  if (memoText[slot] === s) return memoFacts[slot] ?? undefined;
  const ip = parseIP(s);
  // Dotted decimal without leading zeros is its own canonical form: the text itself, not an equal
  // new string (which every comparison with the text would then have to read through).
  const facts = ip ? { ip, v4: isIPv4(ip.bytes), canonical: !ip.v6Text && ip.strict ? s : formatIP(ip.bytes), special: specialRange(ip.bytes) } : null;
  memoText[slot] = s;
  memoFacts[slot] = facts;
  return facts ?? undefined;
}

/** True when Go's `To4()` is non-nil: an IPv4 address, written as such or IPv4-mapped. */
export function isIPv4(bytes: ArrayLike<number>): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** True when netip's `Is4In6()` holds: IPv6 text for an IPv4-mapped address (`::ffff:1.2.3.4`). */
export function isIPv4Mapped(ip: ParsedIP): boolean {
  return ip.v6Text && ip.strict && isIPv4(ip.bytes);
}

/** Returns Go's `net.IP.String()`: dotted quad for IPv4, RFC 5952 text for IPv6. */
export function formatIP(bytes: ArrayLike<number>): string {
  if (isIPv4(bytes)) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  // The first longest run of two or more zero groups becomes "::".
  let e0 = -1;
  let e1 = -1;
  for (let i = 0; i < 16; i += 2) {
    let j = i;
    while (j < 16 && bytes[j] === 0 && bytes[j + 1] === 0) j += 2;
    if (j > i && j - i > e1 - e0) {
      e0 = i;
      e1 = j;
      i = j;
    }
  }
  if (e1 - e0 <= 2) e0 = e1 = -1;
  let out = '';
  for (let i = 0; i < 16; i += 2) {
    if (i === e0) {
      out += '::';
      i = e1;
      if (i >= 16) break;
    } else if (i > 0) out += ':';
    out += ((bytes[i] << 8) | bytes[i + 1]).toString(16);
  }
  return out;
}

/**
 * Returns the canonical (RFC 5952, Go `net.IP.String()`) form of an IPv6 address, or undefined
 * when `s` is not one the API server parses as IPv6 (unparsable, IPv4, or IPv4-mapped, whose Go
 * form is dotted IPv4).
 */
export function canonicalIPv6(s: string): string | undefined {
  const ip = parseIP(s);
  if (!ip || isIPv4(ip.bytes)) return undefined;
  return formatIP(ip.bytes);
}

/**
 * Returns the range `ValidateEndpointIP` refuses the address for, as the API server words it, or
 * undefined. The four ranges do not overlap, so there is at most one.
 */
export function specialRange(bytes: ArrayLike<number>): string | undefined {
  if (isIPv4(bytes)) {
    const [a, b, c, d] = [bytes[12], bytes[13], bytes[14], bytes[15]];
    if (a === 0 && b === 0 && c === 0 && d === 0) return UNSPECIFIED;
    if (a === 127) return LOOPBACK;
    if (a === 169 && b === 254) return LINK_LOCAL;
    if (a === 224 && b === 0 && c === 0) return LINK_LOCAL_MULTICAST;
    return undefined;
  }
  let high = 0; // OR of bytes 0..14, to spot :: and ::1
  for (let i = 0; i < 15; i++) high |= bytes[i];
  if (high === 0 && bytes[15] === 0) return UNSPECIFIED;
  if (high === 0 && bytes[15] === 1) return LOOPBACK;
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return LINK_LOCAL;
  if (bytes[0] === 0xff && (bytes[1] & 0x0f) === 0x02) return LINK_LOCAL_MULTICAST;
  return undefined;
}

// ValidateEndpointIP's wording (pkg/apis/core/validation).
const UNSPECIFIED = 'unspecified';
const LOOPBACK = 'in the loopback range (127.0.0.0/8, ::1/128)';
const LINK_LOCAL = 'in the link-local range (169.254.0.0/16, fe80::/10)';
const LINK_LOCAL_MULTICAST = 'in the link-local multicast range (224.0.0.0/24, ff02::/10)';
