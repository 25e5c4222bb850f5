import rule from '../../../policies/rules/endpoint-addresses.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { ipv4Endpoints, slice } from '../../helpers/fixtures.ts';

/** Upstream generateIPAddresses(n). */
const addresses = (n: number) => Array.from({ length: n }, (_, i) => `10.1.2.${i % 255}`);
const at = (messageId: string, i = 0) => ({ messageId, path: `/endpoints/${i}/addresses`, apiPath: `endpoints[${i}].addresses` });

ruleTester.run(rule, {
  valid: [
    slice({}),
    slice({ endpoints: [{ addresses: addresses(1) }] }),
    { object: slice({ endpoints: [{ addresses: addresses(100) }] }), name: 'upstream max-addresses' },
    slice({ endpoints: [] }),
    // counts are checked whatever the addressType (C-A4)
    slice({ addressType: 'other', endpoints: [{ addresses: ['x'] }] }),
    // wrong types are the gate's
    slice({ endpoints: [{ addresses: 'not-a-list' }, 5] }),
    // C-E1: over 1000 endpoints no endpoint is checked
    { object: slice({ endpoints: [...ipv4Endpoints(1000), { addresses: [] }] }), name: '1001 endpoints' },
    { object: slice({ endpoints: [{ addresses: [] }] }), context: { operation: 'UPDATE', oldObject: slice({ endpoints: [{ addresses: null }] }) }, name: 'ratcheted: [] equals null' },
  ],
  invalid: [
    { object: slice({ endpoints: [{ addresses: addresses(0) }] }), findings: [at('required')], name: 'upstream no-endpoint-addresses' },
    { object: slice({ endpoints: [{ addresses: null }] }), findings: [at('required')] },
    { object: slice({ endpoints: [{ conditions: { ready: true } }] }), findings: [at('required')] },
    { object: slice({ endpoints: [null] }), findings: [at('required')], name: 'a null endpoint decodes as an empty one' },
    { object: slice({ addressType: 'FQDN', endpoints: [{ addresses: [] }] }), findings: [at('required')] },
    { object: slice({ endpoints: [{ addresses: addresses(101) }] }), findings: [at('tooMany')], name: 'upstream too-many-addresses' },
    { object: slice({ endpoints: [{ addresses: addresses(1) }, { addresses: [] }, { addresses: addresses(150) }] }), findings: [at('required', 1), at('tooMany', 2)] },
    { object: slice({ endpoints: [...ipv4Endpoints(999), { addresses: [] }] }), findings: [at('required', 999)], name: '1000 endpoints are all checked' },
    {
      object: slice({ endpoints: [{ addresses: [] }] }),
      context: { operation: 'UPDATE', kubeVersion: '1.32', oldObject: slice({ endpoints: [{ addresses: [] }] }) },
      findings: [at('required')],
    },
  ],
});
