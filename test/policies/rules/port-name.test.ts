import rule from '../../../policies/rules/port-name.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const withPorts = (...ports: unknown[]) => slice({ ports });
const named = (...names: unknown[]) => withPorts(...names.map((name) => ({ name, protocol: 'TCP', port: 80 })));
const at = (messageId: string, i: number) => ({ messageId, path: `/ports/${i}/name`, apiPath: `ports[${i}].name` });

ruleTester.run(rule, {
  valid: [
    slice({}),
    // upstream empty-port-name, long-port-name, all-protocols
    named('', 'http'),
    named('a'.repeat(63)),
    named('tcp', 'udp', 'sctp'),
    // a DNS-1123 label, not the IANA service-name rule
    named('8080', 'a--b', 'sixteen-chars-ok', '0'),
    // 0.2: a missing name is "", allowed once
    withPorts({ port: 80 }, { name: 'http', port: 81 }),
    withPorts({ name: null, port: 80 }),
    withPorts(null),
    slice({ ports: [] }),
    slice({ ports: null }),
    // wrong types are the gate's: 7 is neither checked nor counted as ""
    named(7, 7, ''),
    slice({ ports: 'not-a-list' }),
    // C-P1: over 20000 ports no port is validated
    { object: named(...Array.from({ length: 20001 }, () => 'BAD')), name: '20001 ports' },
    { object: named(...Array.from({ length: 20000 }, (_, i) => `http-${i}`)), name: 'upstream generatePorts(20000)' },
  ],
  invalid: [
    // upstream duplicate-port-name: two unnamed ports collide
    { object: named('', ''), findings: [at('duplicateUnnamed', 1)] },
    { object: withPorts({ port: 80 }, { port: 81 }), findings: [at('duplicateUnnamed', 1)], name: 'two omitted names' },
    { object: withPorts({ port: 80 }, { name: '', port: 81 }, { name: null, port: 82 }), findings: [at('duplicateUnnamed', 1), at('duplicateUnnamed', 2)] },
    { object: withPorts(null, {}), findings: [at('duplicateUnnamed', 1)] },
    // upstream bad-port-name-caps, -chars, -length
    { object: named('aCapital'), findings: [at('invalid', 0)] },
    { object: named('almost_valid'), findings: [at('invalid', 0)] },
    { object: named('a'.repeat(64)), findings: [at('invalid', 0)], name: '64 characters' },
    ...['a.b', '-http', 'http-', 'ht tp', 'héllo'].map((n) => ({ object: named(n), findings: [at('invalid', 0)] })),
    // C-P3: unique across all ports regardless of protocol; every later occurrence is reported
    {
      object: withPorts({ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'dns', protocol: 'TCP', port: 53 }, { name: 'dns', protocol: 'SCTP', port: 53 }),
      findings: [at('duplicate', 1), at('duplicate', 2)],
    },
    { object: named('http', 'metrics', 'http'), findings: [at('duplicate', 2)] },
    // an invalid name that repeats gets both errors at the later port ("already used" sorts first)
    { object: named('A', 'A'), findings: [at('invalid', 0), at('duplicate', 1), at('invalid', 1)] },
    { object: named(...Array.from({ length: 19999 }, (_, i) => `p-${i}`), 'p-0'), findings: [at('duplicate', 19999)], name: '20000 ports are all checked' },
    // ports are never ratcheted
    { object: named('X'), context: { operation: 'UPDATE', oldObject: named('X') }, findings: [at('invalid', 0)] },
  ],
});
