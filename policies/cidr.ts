/**
 * CIDR blocks for the policy rules (`special-ip` and its configured ranges), on top of the API
 * server's IP parser in ip.ts. Addresses are 16-byte Go-style IPs (IPv4 held IPv4-mapped).
 */
import { formatIP, isIPv4, parseIP } from './ip.ts';

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

// Node-local cloud endpoints that are NOT link-local, so the API server accepts them as endpoints.
const METADATA: Record<string, string> = {
  '100.100.100.200': 'the Alibaba Cloud metadata address',
  '192.0.0.192': 'the Oracle Cloud Classic metadata address',
  '168.63.129.16': 'the Azure WireServer address',
  'fd00:ec2::254': 'the AWS instance metadata address',
  'fd00:ec2::23': 'the Amazon EKS Pod Identity Agent address',
  'fd20:ce::254': 'the Google Cloud metadata address',
  'fd00:42::42': 'the Scaleway metadata address',
};

/**
 * Returns why an address must never be an endpoint although the API server accepts it
 * (multicast, broadcast, `0.0.0.0/8`, `240.0.0.0/4`, cloud metadata), or undefined. The ranges the
 * API server refuses itself (loopback, link-local, unspecified) are not repeated here.
 */
export function reservedUse(bytes: ArrayLike<number>, canonical?: string): string | undefined {
  if (isIPv4(bytes)) {
    const a = bytes[12];
    if (a === 0) return 'in 0.0.0.0/8, which is not a destination';
    if (a >= 224 && a <= 239) return 'a multicast address';
    if (a === 255 && bytes[13] === 255 && bytes[14] === 255 && bytes[15] === 255) return 'the broadcast address';
    if (a >= 240) return 'in the reserved range 240.0.0.0/4';
    return a === 100 || a === 192 || a === 168 ? METADATA[canonical ?? formatIP(bytes)] : undefined;
  }
  if (bytes[0] === 0xff) return 'a multicast address';
  return bytes[0] === 0xfd ? METADATA[canonical ?? formatIP(bytes)] : undefined;
}
