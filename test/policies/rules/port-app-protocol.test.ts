import rule from '../../../policies/rules/port-app-protocol.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const withApp = (...values: unknown[]) => slice({ ports: values.map((appProtocol, i) => ({ name: `p${i}`, protocol: 'TCP', port: 80, appProtocol })) });
const at = (i: number) => ({ messageId: 'invalid', path: `/ports/${i}/appProtocol`, apiPath: `ports[${i}].appProtocol` });

ruleTester.run(rule, {
  valid: [
    slice({}),
    // upstream app-protocols
    withApp('HTTP', 'https', 'my-protocol', 'example.com/custom-protocol'),
    withApp('kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss', 'http_2', 'grpc.v1', 'a'.repeat(63), `${'a'.repeat(253)}/x`),
    withApp(null),
    withApp(12),
    { object: withApp(...Array.from({ length: 20001 }, () => '--')), name: 'over 20000 ports: no port is validated' },
  ],
  invalid: [
    { object: withApp('--'), findings: [at(0)], name: 'upstream bad-app-protocol' },
    { object: withApp(''), findings: [at(0)], name: '"" is present, so it is checked' },
    ...['_http', 'http_', 'a/b/c', '/http', 'example.com/', 'Example.com/x', 'a'.repeat(64), `${'a'.repeat(254)}/x`, 'h t t p', 'http/2.0/x'].map((v) => ({
      object: withApp('http', v),
      findings: [at(1)],
      name: JSON.stringify(v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v),
    })),
  ],
});
