import rule from '../../../policies/rules/fqdn-address.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const fqdn = (...addresses: unknown[]) => slice({ addressType: 'FQDN', endpoints: [{ addresses }] });
const at = (messageId: string, j = 0) => ({ messageId, path: `/endpoints/0/addresses/${j}`, apiPath: `endpoints[0].addresses[${j}]` });
// exactly 253 characters without the trailing dot
const name253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

ruleTester.run(rule, {
  valid: [
    // upstream good-fqdns
    fqdn('foo.example.com', 'example.com', 'example.com.', 'hyphens-are-good.example.com'),
    // IP literals are syntactically domain names
    fqdn('10.1.2.3', '1.example', 'a.b.c.d.e.f'),
    { object: fqdn(name253, `${name253}.`), name: '253 characters, with and without the trailing dot' },
    fqdn(`${'a'.repeat(63)}.com`),
    fqdn(7, null),
    // other address types are another rule's business (C-A4)
    slice({ addressType: 'IPv4', endpoints: [{ addresses: ['localhost'] }] }),
    slice({ addressType: 'other', endpoints: [{ addresses: ['*.example.com'] }] }),
  ],
  invalid: [
    // upstream bad-fqdns: four addresses, four errors
    {
      object: fqdn('foo.*', 'FOO.example.com', 'underscores_are_bad.example.com', '*.example.com'),
      findings: [at('invalid', 0), at('invalid', 1), at('invalid', 2), at('invalid', 3)],
    },
    { object: fqdn(''), findings: [at('required')] },
    { object: fqdn('localhost'), findings: [at('oneLabel')] },
    { object: fqdn('localhost.'), findings: [at('oneLabel')], name: 'the stripped dot does not make a second label' },
    { object: fqdn('example.com..'), findings: [at('invalid')], name: 'only one trailing dot is stripped' },
    { object: fqdn('.'), findings: [at('invalid')] },
    { object: fqdn('.example.com'), findings: [at('invalid')] },
    { object: fqdn(`${name253}x`), findings: [at('invalid')], name: '254 characters' },
    { object: fqdn(`${name253}x.`), findings: [at('invalid')], name: '254 characters and a dot' },
    { object: fqdn(`${'a'.repeat(64)}.com`), findings: [at('invalidLabel')], name: 'a 64-character label' },
    { object: fqdn('ok.example.com', 'example.com:80', 'exämple.com', 'a b.com', '-a.com', 'a-.com'), findings: [1, 2, 3, 4, 5].map((j) => at('invalid', j)) },
  ],
});
