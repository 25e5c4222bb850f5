import rule from '../../../policies/rules/endpoints-count.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { ipv4Endpoints, slice } from '../../helpers/fixtures.ts';

const over = () => slice({ endpoints: ipv4Endpoints(1001) });

ruleTester.run(rule, {
  valid: [
    slice({ endpoints: [] }),
    slice({ endpoints: null }),
    slice({ endpoints: undefined }),
    { object: slice({ endpoints: ipv4Endpoints(1000) }), name: 'upstream max-endpoints' },
    slice({ endpoints: 'not-a-list' as unknown as unknown[] }),
    // U-2: an unchanged list is not revalidated on UPDATE from 1.33
    { object: over(), context: { operation: 'UPDATE', oldObject: over() }, name: 'ratcheted' },
  ],
  invalid: [
    { object: over(), findings: [{ messageId: 'tooMany', path: '/endpoints', apiPath: 'endpoints', message: '1001 endpoints; the limit is 1000' }], name: 'upstream too-many-endpoints' },
    { object: slice({ endpoints: Array.from({ length: 1001 }, () => ({})) }), findings: [{ messageId: 'tooMany', path: '/endpoints' }] },
    { object: over(), context: { operation: 'UPDATE', kubeVersion: '1.32', oldObject: over() }, findings: [{ messageId: 'tooMany', path: '/endpoints' }], name: 'no ratcheting on 1.32' },
    { object: over(), context: { operation: 'UPDATE', oldObject: slice({ endpoints: ipv4Endpoints(1000) }) }, findings: [{ messageId: 'tooMany', path: '/endpoints' }] },
  ],
});
