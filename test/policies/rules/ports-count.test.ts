import rule from '../../../policies/rules/ports-count.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

/** Upstream generatePorts(n): unique names http-0, http-1, ... */
const ports = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `http-${i}`, protocol: 'TCP', port: 1000 + (i % 60000) }));

ruleTester.run(rule, {
  valid: [
    slice({ ports: [] }),
    slice({ ports: null }),
    slice({ ports: undefined }),
    // the documented "maximum of 100" is stale: 101 is fine, and so is 20000
    slice({ ports: ports(101) }),
    { object: slice({ ports: ports(20000) }), name: 'at the limit' },
    slice({ ports: 'not-a-list' }),
  ],
  invalid: [
    { object: slice({ ports: ports(20001) }), findings: [{ messageId: 'tooMany', path: '/ports', apiPath: 'ports', message: '20001 ports; the limit is 20000' }] },
    { object: slice({ ports: Array.from({ length: 20001 }, () => null) }), findings: [{ messageId: 'tooMany', path: '/ports' }] },
    // ports are never ratcheted
    {
      object: slice({ ports: ports(20001) }),
      context: { operation: 'UPDATE', oldObject: slice({ ports: ports(20001) }) },
      findings: [{ messageId: 'tooMany', path: '/ports' }],
    },
  ],
});
