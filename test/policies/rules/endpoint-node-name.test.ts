import rule from '../../../policies/rules/endpoint-node-name.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { ipv4Endpoints, slice } from '../../helpers/fixtures.ts';

const withNode = (...nodeNames: unknown[]) => slice({ endpoints: nodeNames.map((nodeName, i) => ({ addresses: [`10.1.2.${i + 1}`], nodeName })) });
const at = (i: number) => ({ messageId: 'invalid', path: `/endpoints/${i}/nodeName`, apiPath: `endpoints[${i}].nodeName` });
// 253 characters in 4 labels of at most 63, and the same with a 254th
const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

ruleTester.run(rule, {
  valid: [
    slice({}),
    withNode('valid-node-name'),
    withNode('ip-10-0-0-1.ec2.internal', 'node1', '1', long),
    // a subdomain has no per-label limit
    withNode('a'.repeat(253)),
    withNode(null),
    withNode(42),
    { object: slice({ endpoints: [...ipv4Endpoints(1000), { addresses: ['10.9.9.9'], nodeName: 'BAD' }] }), name: '1001 endpoints' },
  ],
  invalid: [
    { object: withNode('INvalid-node-name'), findings: [at(0)], name: 'upstream bad-node-name' },
    { object: withNode('ok', 'INVALID foo'), findings: [at(1)], name: 'upstream "invalid node name set"' },
    { object: withNode(''), findings: [at(0)], name: '"" is present, so it is checked' },
    { object: withNode(`${long}d`), findings: [at(0)], name: '254 characters' },
    { object: withNode('a'.repeat(254)), findings: [at(0)] },
    ...['node_1', '-node', 'node.', '.node', 'node..a', 'nöde'].map((n) => ({ object: withNode(n), findings: [at(0)], name: n })),
    // a new nodeName changes endpoints, so an UPDATE revalidates it
    {
      object: withNode('INVALID foo'),
      context: { operation: 'UPDATE', oldObject: slice({ endpoints: [{ addresses: ['10.1.2.1'] }] }) },
      findings: [at(0)],
    },
  ],
});
