import { expect } from 'chai';
import { cidrContains, parseCIDR, reservedUse } from '../../policies/cidr.ts';
import { parseIP } from '../../policies/ip.ts';

const bytes = (s: string) => (parseIP(s) as { bytes: readonly number[] }).bytes;

describe('CIDR options (policies/cidr.ts)', () => {
  it('parses IPv4 and IPv6 CIDRs as netip.ParsePrefix does', () => {
    for (const ok of ['10.96.0.0/12', '0.0.0.0/0', '10.0.0.1/32', '10.0.0.1/8', 'fd00::/8', '::/0', '2001:db8::1/128']) expect(parseCIDR(ok), ok).not.to.equal(undefined);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/08', '010.0.0.0/8', '::ffff:10.0.0.0/104', 'fd00::/129', 'fd00::/', 'x/8', '10.0.0.0/8 ', '']) {
      expect(parseCIDR(bad), bad).to.equal(undefined);
    }
  });

  it('contains exactly the addresses of the block, never across families', () => {
    const c = parseCIDR('10.96.0.0/12')!;
    expect(cidrContains(c, bytes('10.96.0.0'))).to.equal(true);
    expect(cidrContains(c, bytes('10.111.255.255'))).to.equal(true);
    expect(cidrContains(c, bytes('10.112.0.0'))).to.equal(false);
    expect(cidrContains(c, bytes('10.95.255.255'))).to.equal(false);
    expect(cidrContains(c, bytes('::ffff:10.96.0.1'))).to.equal(true); // the same address to the API server
    const v6 = parseCIDR('fd00:10:96::/112')!;
    expect(cidrContains(v6, bytes('fd00:10:96::ffff'))).to.equal(true);
    expect(cidrContains(v6, bytes('fd00:10:96::1:0'))).to.equal(false);
    expect(cidrContains(parseCIDR('0.0.0.0/0')!, bytes('2001:db8::1'))).to.equal(false);
    expect(cidrContains(parseCIDR('10.0.0.1/8')!, bytes('10.200.0.1'))).to.equal(true);
  });

  it('names the reserved uses the API server lets through', () => {
    expect(reservedUse(bytes('239.255.255.250'))).to.equal('a multicast address');
    expect(reservedUse(bytes('255.255.255.255'))).to.equal('the broadcast address');
    expect(reservedUse(bytes('255.255.255.254'))).to.equal('in the reserved range 240.0.0.0/4');
    expect(reservedUse(bytes('0.0.0.1'))).to.equal('in 0.0.0.0/8, which is not a destination');
    expect(reservedUse(bytes('fd00:ec2::254'))).to.equal('the AWS instance metadata address');
    for (const fine of ['100.100.100.201', '192.0.0.191', '223.255.255.255', '1.1.1.1', 'fd00:ec2::255', 'fe00::1']) expect(reservedUse(bytes(fine)), fine).to.equal(undefined);
  });
});
