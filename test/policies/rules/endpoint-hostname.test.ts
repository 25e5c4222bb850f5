import rule from '../../../policies/rules/endpoint-hostname.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const withHost = (...hostnames: unknown[]) => slice({ endpoints: hostnames.map((hostname, i) => ({ addresses: [`10.1.2.${i + 1}`], hostname })) });
const at = (i: number) => ({ messageId: 'invalid', path: `/endpoints/${i}/hostname`, apiPath: `endpoints[${i}].hostname` });

ruleTester.run(rule, {
  valid: [
    slice({}),
    withHost('valid-123'),
    withHost('a'.repeat(63), 'web-0', '0'),
    withHost(null),
    withHost(false),
  ],
  invalid: [
    { object: withHost('--INVALID'), findings: [at(0)], name: 'upstream bad-hostname' },
    { object: withHost(''), findings: [at(0)], name: '"" is present, so it is checked' },
    { object: withHost('a'.repeat(64)), findings: [at(0)], name: '64 characters' },
    ...['web.0', 'Web-0', 'web_0', 'web-', '-web'].map((h) => ({ object: withHost('ok', h), findings: [at(1)], name: h })),
    {
      object: withHost('Bad'),
      context: { operation: 'UPDATE', kubeVersion: '1.32', oldObject: withHost('Bad') },
      findings: [at(0)],
      name: 'no ratcheting on 1.32',
    },
  ],
});
