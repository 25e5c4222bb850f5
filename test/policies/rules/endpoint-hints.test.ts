import rule from '../../../policies/rules/endpoint-hints.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { ipv4Endpoints, slice } from '../../helpers/fixtures.ts';
import type { EvalContext } from '../../../policies/types.ts';

const withHints = (...hints: unknown[]) => slice({ endpoints: hints.map((h, i) => ({ addresses: [`10.1.2.${i + 1}`], hints: h })) });
const zones = (...names: unknown[]) => ({ forZones: names.map((name) => ({ name })) });
const nodes = (...names: unknown[]) => ({ forNodes: names.map((name) => ({ name })) });
const letters = (n: number, prefix: string) => Array.from({ length: n }, (_, k) => `${prefix}-${String.fromCharCode(97 + k)}`);
const zoneAt = (messageId: string, k: number, i = 0) => ({ messageId, path: `/endpoints/${i}/hints/forZones/${k}/name`, apiPath: `endpoints[${i}].hints.forZones[${k}].name` });
const nodeAt = (messageId: string, k: number, i = 0) => ({ messageId, path: `/endpoints/${i}/hints/forNodes/${k}/name`, apiPath: `endpoints[${i}].hints.forNodes[${k}].name` });
const list = (key: 'forZones' | 'forNodes', i = 0) => ({ messageId: 'tooMany', path: `/endpoints/${i}/hints/${key}`, apiPath: `endpoints[${i}].hints.${key}` });
const on = (kubeVersion: EvalContext['kubeVersion'], extra: EvalContext = {}) => ({ kubeVersion, ...extra });

ruleTester.run(rule, {
  valid: [
    slice({}),
    // upstream valid-hints, and the limits
    withHints(zones('zone-a')),
    withHints(zones(...letters(8, 'zone'))),
    withHints(zones('', 'Zone_A.b', 'a'.repeat(63), 'us-east-1a')),
    withHints({ forZones: [{}] }),
    withHints(null, {}, { forZones: null, forNodes: null }),
    { object: withHints(nodes(...letters(8, 'node'))), name: '8 node hints' },
    withHints(nodes('node-1.example.com', 'a'.repeat(253))),
    // forNodes is dropped unchecked while PreferSameTrafficDistribution is off (1.32, 1.33)
    ...(['1.32', '1.33'] as const).map((v) => ({ object: withHints(nodes(...letters(9, 'N'), '')), context: on(v), name: `forNodes dropped on ${v}` })),
    { object: withHints(nodes('BAD')), context: on('1.33', { operation: 'UPDATE', oldObject: withHints(zones('a')) }), name: 'old object without node hints' },
    // wrong types are the gate's
    withHints('hints', { forZones: 'x' }, zones(7)),
    { object: slice({ endpoints: [...ipv4Endpoints(1000), { addresses: ['10.9.9.9'], hints: zones('inv@lid') }] }), name: '1001 endpoints' },
  ],
  invalid: [
    { object: withHints(zones('inv@lid')), findings: [zoneAt('invalidZone', 0)], name: 'upstream invalid-hints' },
    { object: withHints(zones('zone-a', 'zone-b', 'zone-a')), findings: [zoneAt('duplicate', 2)], name: 'upstream overlapping-hints' },
    { object: withHints(zones(...letters(9, 'zone'))), findings: [list('forZones')], name: 'upstream too-many-hints' },
    { object: withHints(zones('a'.repeat(64), 'a/b', '-a', 'a-', 'zöne')), findings: [0, 1, 2, 3, 4].map((k) => zoneAt('invalidZone', k)) },
    { object: withHints({ forZones: [{}, { name: null }] }), findings: [zoneAt('duplicate', 1)], name: 'missing names are "" and collide' },
    { object: withHints(zones('ok'), zones('A', 'A')), findings: [zoneAt('duplicate', 1, 1)] },
    // forNodes from 1.34
    ...(['1.34', '1.35', '1.36', '1.37'] as const).flatMap((v) => [
      { object: withHints(nodes(...letters(9, 'node'))), context: on(v), findings: [list('forNodes')], name: `9 node hints on ${v}` },
      { object: withHints(nodes('Node_1', '')), context: on(v), findings: [nodeAt('invalidNode', 0), nodeAt('invalidNode', 1)], name: `bad node names on ${v}` },
    ]),
    { object: withHints(nodes('n1', 'n2', 'n1')), findings: [nodeAt('duplicate', 2)] },
    { object: withHints(nodes('a'.repeat(254))), findings: [nodeAt('invalidNode', 0)] },
    { object: withHints({ forNodes: [{}] }), findings: [nodeAt('invalidNode', 0)], name: 'a missing node name is "", which is invalid' },
    // too many zone hints: validateHints returns at once, forNodes is not looked at
    { object: withHints({ ...zones(...letters(9, 'zone')), ...nodes('BAD', 'BAD') }), findings: [list('forZones')] },
    { object: withHints({ ...zones(...letters(8, 'zone')), ...nodes('BAD') }), findings: [nodeAt('invalidNode', 0)] },
    // 0.3: on UPDATE the gate keeps forNodes when the stored object already used them
    {
      object: withHints(nodes('BAD')),
      context: on('1.33', { operation: 'UPDATE', oldObject: withHints(nodes('good')) }),
      findings: [nodeAt('invalidNode', 0)],
    },
  ],
});
