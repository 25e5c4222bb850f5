import rule from '../../../policies/rules/fqdn-lowercase.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const fqdn = (...a: string[]) => slice({ addressType: 'FQDN', endpoints: a.map((x) => ({ addresses: [x] })) });

ruleTester.run(rule, {
  valid: [fqdn('api.example.com', 'a-b.example.org.'), slice({ endpoints: [{ addresses: ['10.0.0.1'] }] }), slice({ addressType: 'IPv6', endpoints: [{ addresses: ['2001:DB8::1'] }] })],
  invalid: [
    {
      object: fqdn('api.example.com', 'Partner.Example.ORG'),
      findings: [{ messageId: 'upperCase', path: '/endpoints/1/addresses/0', message: 'FQDN address "Partner.Example.ORG" has upper-case letters; write "partner.example.org".' }],
      output: fqdn('api.example.com', 'partner.example.org'),
    },
    { object: fqdn('ÄPI.Example.com'), findings: [{ messageId: 'upperCase', path: '/endpoints/0/addresses/0' }], output: fqdn('Äpi.example.com'), name: 'ASCII letters only' },
  ],
});
