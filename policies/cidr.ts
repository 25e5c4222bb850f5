/**
 * CIDR blocks for the policy rules (`special-ip` and its configured ranges), on top of the API
 * server's IP parser in ip.ts. Addresses are 16-byte Go-style IPs (IPv4 held IPv4-mapped).
 */
import { isIPv4, parseIP } from './ip.ts';

/** A parsed CIDR block. */
export interface CIDR {
  /** The text as written in the policy. */
  text: string;
  v4: boolean;
  /** The network address, 16 bytes (IPv4-mapped for IPv4). */
  bytes: readonly number[];
  /** Prefix length within the family (0-32 for IPv4, 0-128 for IPv6). */
  bits: number;
}

/**
 * Returns the CIDR block for text such as `10.96.0.0/12` or `fd00::/108`, or undefined when it
 * is not one. Like Go's `netip.ParsePrefix`: no leading zeros, no IPv4-mapped IPv6 and a decimal
 * prefix length in range; host bits may be set (`10.0.0.1/8` means `10.0.0.0/8`).
 */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!ip || !ip.strict || !/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return undefined;
  const v4 = isIPv4(ip.bytes);
  if (v4 && ip.v6Text) return undefined;
  const bits = Number(lengthText);
  if (bits > (v4 ? 32 : 128)) return undefined;
  return { text, v4, bytes: ip.bytes, bits };
}

/** True when the 16-byte address `bytes` lies in `cidr` (never across families). */
export function cidrContains(cidr: CIDR, bytes: ArrayLike<number>): boolean {
  if (isIPv4(bytes) !== cidr.v4) return false;
  let remaining = cidr.bits;
  for (let i = cidr.v4 ? 12 : 0; i < 16 && remaining > 0; i++, remaining -= 8) {
    const mask = remaining >= 8 ? 0xff : (0xff << (8 - remaining)) & 0xff;
    if ((bytes[i] & mask) !== (cidr.bytes[i] & mask)) return false;
  }
  return true;
}

/** Returns the CIDR blocks for a list of texts; texts that do not parse are skipped (the schema checked them). */
export function parseCIDRs(texts: readonly string[] | undefined): CIDR[] {
  const out: CIDR[] = [];
  for (const t of texts ?? []) {
    const c = parseCIDR(t);
    if (c) out.push(c);
  }
  return out;
}
