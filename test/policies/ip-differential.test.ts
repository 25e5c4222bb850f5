/**
 * Differential test of the Go-compatible IP parser against ipaddr.js (issue 9): 200,000 generated
 * strings per family, every disagreement either a documented quirk (QUIRKS, with its rules-document
 * reference) or a failure. `node bench/ip-differential.ts` runs millions.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { QUIRKS, runDifferential } from '../helpers/ip-differential.ts';
import { canonicalIPv6, formatIP, isIPv4, parseIP } from '../../policies/ip.ts';

const STRINGS = 200_000;

describe('IP parsing, differential against ipaddr.js', function () {
  this.timeout(60_000);

  for (const [family, seed] of [['IPv4', 0x5eed4], ['IPv6', 0x5eed6]] as const) {
    it(`${family}: ${STRINGS} generated strings, every disagreement a documented quirk`, () => {
      const r = runDifferential(family, STRINGS, seed);
      expect(r.bugs, r.bugs.join('\n')).to.deep.equal([]);
      for (const id of Object.keys(r.quirks)) expect(QUIRKS, id).to.have.property(id);
      // A generator that produced no valid addresses would prove nothing.
      expect(r.accepted, 'strings the API server parses').to.be.greaterThan(STRINGS / 4);
      expect(r.strings - r.accepted, 'strings the API server refuses').to.be.greaterThan(STRINGS / 10);
    });
  }

  it('IPv6: any 16 bytes, in RFC 5952 text and uncompressed, parse back and print as ipaddr.js prints them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (raw, zeros) => {
        const bytes = zeros ? raw.map((b, i) => (i % 4 < 2 ? 0 : b)) : raw;
        const addr = ipaddr.fromByteArray([...bytes]) as ipaddr.IPv6;
        const rfc = addr.toRFC5952String();
        const fixed = addr.parts.map((p) => p.toString(16).padStart(4, '0')).join(':');
        for (const text of [rfc, addr.toNormalizedString(), fixed, fixed.toUpperCase()]) {
          const ip = parseIP(text);
          expect(ip && [...ip.bytes], text).to.deep.equal([...bytes]);
          if (!isIPv4(bytes)) expect(canonicalIPv6(text), text).to.equal(rfc);
        }
        if (!isIPv4(bytes)) expect(formatIP(bytes)).to.equal(rfc);
      }),
      { numRuns: 10_000, seed: 42 },
    );
  });

  it('IPv4: any 4 bytes parse strictly; with leading zeros only sloppily, still as decimal', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.nat(3), fc.integer({ min: 1, max: 3 }), (octets, k, zeros) => {
        const text = octets.join('.');
        expect(ipaddr.IPv4.isValidFourPartDecimal(text)).to.equal(true);
        const ip = parseIP(text)!;
        expect([...ip.bytes.slice(12)], text).to.deep.equal(octets);
        expect(ip.strict).to.equal(true);
        const padded = octets.map((o, i) => (i === k ? '0'.repeat(zeros) + o : String(o))).join('.');
        const sloppy = parseIP(padded)!;
        expect([...sloppy.bytes.slice(12)], padded).to.deep.equal(octets);
        expect(sloppy.strict, padded).to.equal(false);
        expect(formatIP(sloppy.bytes)).to.equal(text);
      }),
      { numRuns: 10_000, seed: 42 },
    );
  });
});
