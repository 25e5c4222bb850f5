import rule from '../../../policies/rules/app-protocol.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const proto = (...values: string[]) => slice({ ports: values.map((appProtocol, i) => ({ name: `p${i}`, port: 80 + i, appProtocol })) });
const at = (i: number, messageId: string) => ({ messageId, path: `/ports/${i}/appProtocol` });

ruleTester.run(rule, {
  valid: [
    proto('http', 'https', 'HTTP', 'grpc', 'postgresql', 'mysql', 'h2', 'x-y-z9'),
    proto('kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss', 'example.com/custom', 'mycompany.com/my-custom-protocol'),
    slice({ ports: [{ name: 'a', appProtocol: '' }] }),
    slice({ ports: null }),
  ],
  invalid: [
    { object: proto('TCP', 'udp', 'SCTP'), findings: [at(0, 'transport'), at(1, 'transport'), at(2, 'transport')] },
    { object: proto('h2c', 'wss'), findings: [{ ...at(0, 'unprefixed'), message: 'defined by Kubernetes as kubernetes.io/h2c' }, at(1, 'unprefixed')] },
    { object: proto('my.protocol', 'http_2', 'a-very-long-protocol-name', '-http', 'ht--tp', '8080'), findings: [0, 1, 2, 3, 4, 5].map((i) => at(i, 'notServiceName')) },
    { object: proto('kubernetes.io/grpc'), findings: [{ ...at(0, 'kubernetesPrefix'), message: 'kubernetes.io/h2c, kubernetes.io/ws, kubernetes.io/wss' }] },
  ],
});
