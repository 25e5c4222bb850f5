import rule from '../../../policies/rules/address-family.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { service, slice } from '../../helpers/fixtures.ts';
import { withServices } from '../../helpers/services.ts';

const v6 = (o = {}) => slice({ addressType: 'IPv6', endpoints: [{ addresses: ['2001:db8::1'] }], ...o });

ruleTester.run(rule, {
  valid: [
    { object: v6(), name: 'no Service source' },
    { object: v6(), context: withServices(service({ ipFamilies: ['IPv4', 'IPv6'] })), name: 'dual-stack' },
    { object: slice(), context: withServices(service({ ipFamilies: ['IPv4'] })) },
    { object: v6(), context: withServices(service()), name: 'no families, no clusterIP: not judged' },
    { object: v6(), context: withServices(service({ clusterIP: 'None' })), name: 'headless without families' },
    { object: v6(), context: withServices(service({ clusterIP: 'fd00::10' })) },
    { object: slice({ addressType: 'FQDN', endpoints: [{ addresses: ['a.example.com'] }] }), context: withServices(service({ ipFamilies: ['IPv4'] })), name: 'FQDN is not judged' },
    { object: slice({ addressType: 'IP' }), context: withServices(service({ ipFamilies: ['IPv6'] })), name: 'a bad addressType is an API-server finding' },
    { object: slice({ addressType: 'IPv4', endpoints: [{ addresses: ['2001:db8::1'] }] }), context: withServices(service({ ipFamilies: ['IPv4'] })), name: 'addresses that do not fit addressType are API-server findings' },
  ],
  invalid: [
    {
      object: v6(),
      context: withServices(service({ ipFamilies: ['IPv4'] })),
      findings: [{ messageId: 'notInFamilies', path: '/addressType', apiPath: 'addressType', message: 'addressType IPv6, but Service example has ipFamilies IPv4' }],
    },
    {
      object: slice(),
      context: withServices(service({ clusterIP: 'fd00::10' })),
      findings: [{ messageId: 'clusterIPFamily', path: '/addressType', message: 'IPv6 clusterIP fd00::10' }],
      name: 'family from the clusterIP when ipFamilies is absent',
    },
  ],
});
