import { expect } from 'chai';
import { addressFacts, canonicalIPv6, fitAddressMemo, formatIP, isIPv4, isIPv4Mapped, parseIP, specialRange } from '../../policies/ip.ts';

/** Go's textual form of the parse, or null when Go's ParseIP returns nil. */
function goString(s: string): string | null {
  const ip = parseIP(s);
  return ip ? formatIP(ip.bytes) : null;
}

describe('parseIP (Go 1.16 net.ParseIP, as netutils.ParseIPSloppy)', () => {
  // k8s.io/utils internal/third_party/forked/golang/net/ip_test.go parseIPTests, verbatim.
  const forkedTests: [string, string | null][] = [
    ['127.0.1.2', '127.0.1.2'],
    ['127.0.0.1', '127.0.0.1'],
    ['127.001.002.003', '127.1.2.3'],
    ['127.007.008.009', '127.7.8.9'],
    ['127.010.020.030', '127.10.20.30'],
    ['::ffff:127.1.2.3', '127.1.2.3'],
    ['::ffff:127.001.002.003', '127.1.2.3'],
    ['::ffff:127.007.008.009', '127.7.8.9'],
    ['::ffff:127.010.020.030', '127.10.20.30'],
    ['::ffff:7f01:0203', '127.1.2.3'],
    ['0:0:0:0:0000:ffff:127.1.2.3', '127.1.2.3'],
    ['0:0:0:0:000000:ffff:127.1.2.3', '127.1.2.3'],
    ['0:0:0:0::ffff:127.1.2.3', '127.1.2.3'],
    ['2001:4860:0:2001::68', '2001:4860:0:2001::68'],
    ['2001:4860:0000:2001:0000:0000:0000:0068', '2001:4860:0:2001::68'],
    ['-0.0.0.0', null],
    ['0.-1.0.0', null],
    ['0.0.-2.0', null],
    ['0.0.0.-3', null],
    ['127.0.0.256', null],
    ['abc', null],
    ['123:', null],
    ['fe80::1%lo0', null],
    ['fe80::1%911', null],
    ['', null],
    ['a1:a2:a3:a4::b1:b2:b3:b4', null],
  ];
  // apimachinery ip_test.go TestIsValidIP bad values, and §4's list of what the sloppy parse refuses.
  const refused = ['aaaaaaa', 'myhost.mydomain', '1.2.3.0/24', '1.2.3.400', '2001:db8::10005', '1.2.3.4:80', '[2001:db8::1]',
    '[2001:db8::1]:80', 'example.com:80', '1234::abcd%eth0', '169.254.0.0%eth0', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4\n', '\t::1',
    '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '0x1.2.3.4', '+1.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', ':::', '1:::2', ':1::', '1:',
    '1::2:3:4:5:6:7:8', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4::', '::ffff:1.2.3.4.5', '１.2.3.4', '::g', '1111111111.1.1.1'];
  const accepted: [string, string][] = [
    ['1.2.3.4', '1.2.3.4'], ['0.0.0.0', '0.0.0.0'], ['255.255.255.255', '255.255.255.255'], ['1234::abcd', '1234::abcd'], ['::', '::'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], ['0:0:0:0:0:0:0:0', '::'],
    ['0001:002:03:4::', '1:2:3:4::'], ['1234::ABCD', '1234::abcd'], ['1.1.1.01', '1.1.1.1'], ['0000000001.2.3.4', '1.2.3.4'],
    ['00000000000001::', '1::'], ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'], ['::1:2:3:4:5:6:7', '0:1:2:3:4:5:6:7'],
    ['::1.2.3.4', '::102:304'], ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'], ['::fff:1.1.1.1', '::fff:101:101'],
  ];

  for (const [input, want] of forkedTests) it(`forked Go test ${JSON.stringify(input)}`, () => expect(goString(input)).to.equal(want));
  it('refuses zones, brackets, CIDR suffixes, whitespace, ports and malformed text', () => {
    expect(refused.filter((s) => parseIP(s) !== undefined)).to.deep.equal([]);
  });
  it('accepts what Go 1.16 accepts, with Go\'s String() form', () => {
    expect(accepted.map(([s]) => goString(s))).to.deep.equal(accepted.map(([, w]) => w));
  });
});

describe('strict checks (netip.ParseAddr)', () => {
  const cases: [string, boolean, boolean][] = [
    // [input, netip accepts, Is4In6]
    ['1.2.3.4', true, false],
    ['1.1.1.01', false, false],
    ['01.2.3.4', false, false],
    ['0.0.0.0', true, false],
    ['::ffff:1.1.1.1', true, true],
    ['::ffff:0101:0101', true, true],
    ['::ffff:01.1.1.1', false, false],
    ['0001:002:03:4::', true, false],
    ['00001::', false, false],
    ['::1.2.3.4', true, false],
  ];
  for (const [input, strict, mapped] of cases) {
    it(`${JSON.stringify(input)}: strict ${strict}, IPv4-mapped ${mapped}`, () => {
      const ip = parseIP(input);
      expect(ip, 'sloppy parse').not.to.equal(undefined);
      expect(ip!.strict).to.equal(strict);
      expect(isIPv4Mapped(ip!)).to.equal(mapped);
    });
  }
  it('treats IPv4 and IPv4-mapped text as IPv4 (Go To4), and nothing else', () => {
    expect(['1.2.3.4', '::ffff:1.2.3.4', '::ffff:102:304'].every((s) => isIPv4(parseIP(s)!.bytes))).to.equal(true);
    expect(['::1.2.3.4', '::fffe:1.2.3.4', '1::ffff:1.2.3.4', '::'].some((s) => isIPv4(parseIP(s)!.bytes))).to.equal(false);
  });
});

describe('canonicalIPv6 (Go net.IP.String, RFC 5952)', () => {
  const cases: [string, string | undefined][] = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // the first of two equally long runs
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run
    ['2001:db8:0:1:0:1:0:1', '2001:db8:0:1:0:1:0:1'], // a single zero group is not compressed
    ['2001:db8::0:1', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8::0001', '2001:db8::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1::1:2:3:4:5:6', '1:0:1:2:3:4:5:6'],
    ['::1.2.3.4', '::102:304'],
    ['2001:db8:0:0:1::1', '2001:db8::1:0:0:1'],
    ['fe80::9656:d028:8652:66b6', 'fe80::9656:d028:8652:66b6'],
    ['::ffff:1.2.3.4', undefined], // Go prints IPv4-mapped addresses as IPv4
    ['1.2.3.4', undefined],
    ['fe80::1%eth0', undefined],
    ['not an ip', undefined],
  ];
  for (const [input, want] of cases) it(`${JSON.stringify(input)} -> ${JSON.stringify(want)}`, () => expect(canonicalIPv6(input)).to.equal(want));
});

describe('specialRange (ValidateEndpointIP)', () => {
  const refused: [string, RegExp][] = [
    ['0.0.0.0', /unspecified/], ['::', /unspecified/], ['::ffff:0.0.0.0', /unspecified/],
    ['127.0.0.1', /loopback/], ['127.255.255.255', /loopback/], ['::1', /loopback/], ['::ffff:127.0.0.1', /loopback/],
    ['169.254.0.1', /link-local range/], ['169.254.169.254', /link-local range/], ['fe80::1', /link-local range/], ['febf:ffff::1', /link-local range/],
    ['224.0.0.1', /link-local multicast/], ['224.0.0.255', /link-local multicast/], ['ff02::1', /link-local multicast/], ['ff12::1', /link-local multicast/],
    ['fff2::1', /link-local multicast/],
  ];
  const accepted = ['224.0.1.1', '239.255.255.250', '255.255.255.255', '0.1.2.3', '126.255.255.255', '128.0.0.1', '169.253.255.255',
    '169.255.0.1', '10.0.0.1', '100.64.0.1', '192.168.0.1', '::2', '::ffff:1.2.3.4', 'fec0::1', 'fe7f::1', 'ff05::1', 'ff0e::1', 'ff01::1',
    'ff03::1', 'fd00::1', '2001:db8::1', '::1.2.3.4', '::127.0.0.1'];
  for (const [input, want] of refused) it(`refuses ${input}`, () => expect(specialRange(parseIP(input)!.bytes)).to.match(want));
  it('accepts other multicast, broadcast, 0.x, private, CGNAT, site-local and ULA addresses', () => {
    expect(accepted.filter((s) => specialRange(parseIP(s)!.bytes) !== undefined)).to.deep.equal([]);
  });
});

describe('addressFacts (the memo of parses)', () => {
  /** What addressFacts must return for `s`, computed without the memo. */
  function direct(s: string): unknown {
    const ip = parseIP(s);
    return ip ? { ip, v4: isIPv4(ip.bytes), canonical: formatIP(ip.bytes), special: specialRange(ip.bytes) } : undefined;
  }
  const texts = ['10.0.0.1', '010.0.0.1', 'fd00::1', '::ffff:10.1.2.3', '169.254.169.254', 'not-an-ip', '1.2.3', '2001:db8::'];
  for (let i = 0; i < 3000; i++) texts.push(`10.${(i >> 8) & 255}.${i & 255}.${i % 7}`, `fd00::${i.toString(16)}`);

  it('answers as a fresh parse, with collisions and after the memo grows for a large slice', () => {
    // Twice over: the second round reads from the memo where slots were not taken over since.
    for (const s of [...texts, ...texts]) expect(addressFacts(s), s).to.deep.equal(direct(s));
    fitAddressMemo(1000);
    for (const s of [...texts, ...texts]) expect(addressFacts(s), s).to.deep.equal(direct(s));
    // Growing never drops below what a larger slice asked for; asking for less changes nothing.
    fitAddressMemo(10);
    for (const s of texts) expect(addressFacts(s), s).to.deep.equal(direct(s));
  });

  it('returns undefined for the empty string', () => {
    expect(addressFacts('')).to.equal(undefined);
  });
});
