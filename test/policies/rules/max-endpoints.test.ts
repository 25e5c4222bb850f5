import rule from '../../../policies/rules/max-endpoints.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { ipv4Endpoints, slice } from '../../helpers/fixtures.ts';

ruleTester.run(rule, {
  valid: [
    slice({ endpoints: ipv4Endpoints(1000) }),
    slice({ endpoints: null }),
    { object: slice({ endpoints: 100 }), options: { max: 100 }, name: 'the controller\'s cap, at the limit' },
  ],
  invalid: [
    { object: slice({ endpoints: ipv4Endpoints(1001) }), findings: [{ messageId: 'tooMany', path: '/endpoints', message: 'Slice has 1001 endpoints; the limit is 1000.' }] },
    { object: slice({ endpoints: 101 }), options: { max: 100 }, findings: [{ messageId: 'tooMany', path: '/endpoints', message: '101 endpoints; the limit is 100' }] },
  ],
});
