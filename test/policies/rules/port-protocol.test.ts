import rule from '../../../policies/rules/port-protocol.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const withProtocols = (...protocols: unknown[]) => slice({ ports: protocols.map((protocol, i) => ({ name: `p${i}`, protocol, port: 80 })) });
const at = (i: number) => ({ messageId: 'notSupported', path: `/ports/${i}/protocol`, apiPath: `ports[${i}].protocol` });

ruleTester.run(rule, {
  valid: [
    slice({}),
    withProtocols('TCP', 'UDP', 'SCTP'),
    // 0.2: omitted or null means TCP
    slice({ ports: [{ name: 'http', port: 80 }] }),
    withProtocols(null),
    slice({ ports: [null] }),
    // C-P6: the port number is not validated at all
    slice({ ports: [{ name: 'a', port: 0 }, { name: 'b', port: -1 }, { name: 'c', port: 70000 }, { name: 'd' }] }),
    // wrong types are the gate's
    withProtocols(6),
    { object: withProtocols(...Array.from({ length: 20001 }, () => 'HTTP')), name: 'over 20000 ports: no port is validated' },
  ],
  invalid: [
    { object: withProtocols('foo'), findings: [at(0)], name: 'upstream invalid-port-protocol' },
    { object: withProtocols(''), findings: [at(0)], name: 'an explicit "" is not defaulted' },
    { object: withProtocols('TCP', 'tcp', 'Udp', 'HTTP', 'ICMP', ' TCP'), findings: [1, 2, 3, 4, 5].map(at) },
    { object: withProtocols('invalid'), context: { operation: 'UPDATE', oldObject: withProtocols('invalid') }, findings: [at(0)], name: 'upstream update case; never ratcheted' },
    { object: withProtocols(...Array.from({ length: 19999 }, () => 'TCP'), 'tcp'), findings: [at(19999)], name: '20000 ports are all checked' },
  ],
});
