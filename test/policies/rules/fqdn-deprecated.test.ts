import rule from '../../../policies/rules/fqdn-deprecated.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

ruleTester.run(rule, {
  valid: [slice(), slice({ addressType: 'IPv6', endpoints: [] }), slice({ addressType: 'fqdn', endpoints: [] })],
  invalid: [
    { object: slice({ addressType: 'FQDN', endpoints: [{ addresses: ['httpbin.org'] }] }), findings: [{ messageId: 'deprecated', path: '/addressType', apiPath: 'addressType' }] },
  ],
});
