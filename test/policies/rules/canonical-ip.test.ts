import rule from '../../../policies/rules/canonical-ip.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const v4 = (...a: string[]) => slice({ endpoints: a.map((x) => ({ addresses: [x] })) });
const v6 = (...a: string[]) => slice({ addressType: 'IPv6', endpoints: a.map((x) => ({ addresses: [x] })) });
const at = (i: number) => ({ messageId: 'nonCanonical', path: `/endpoints/${i}/addresses/0` });

ruleTester.run(rule, {
  valid: [
    v4('10.0.0.1', '192.168.1.1'),
    v6('2001:db8::1', 'fd00:10:244:0:1::3', '2001:db8:85a3:8d3:1319:8a2e:370:7348', '1:0:0:2::3'),
    { object: v6('::ffff:1.2.3.4'), name: 'the canonical form would be IPv4: left to the API server' },
    { object: v4('2001:DB8::1', 'not-an-ip'), name: 'wrong family and unparsable: not ours' },
    slice({ addressType: 'FQDN', endpoints: [{ addresses: ['A.example.com'] }] }),
  ],
  invalid: [
    {
      object: v6('2001:DB8::0001', '2001:db8:0:0:0:0:0:2', '2001:0db8::3'),
      findings: [{ ...at(0), message: 'Address "2001:DB8::0001" is not in canonical form; write "2001:db8::1".' }, at(1), at(2)],
      output: v6('2001:db8::1', '2001:db8::2', '2001:db8::3'),
    },
    { object: v6('2001:db8:0:0:1::1', '1:0:0:2::3:4'), findings: [at(0), at(1)], output: v6('2001:db8::1:0:0:1', '1::2:0:0:3:4'), name: 'the first longest zero run is compressed' },
    { object: v4('010.001.002.003'), findings: [at(0)], output: v4('10.1.2.3'), name: 'leading zeros read as decimal, as the API server does' },
    { object: v4('::ffff:10.0.0.1'), findings: [at(0)], output: v4('10.0.0.1'), name: 'IPv4-mapped in an IPv4 slice' },
  ],
});
