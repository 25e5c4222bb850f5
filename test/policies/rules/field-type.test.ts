import rule from '../../../policies/rules/field-type.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const at = (path: string, apiPath: string) => ({ messageId: 'wrongType', path, apiPath });
const port = (value: unknown) => slice({ ports: [{ name: 'http', protocol: 'TCP', port: value }] });
const PORT = at('/ports/0/port', 'ports[0].port');
const endpoint = (extra: Record<string, unknown>) => slice({ endpoints: [{ addresses: ['10.0.0.1'], ...extra }] });
const created = (creationTimestamp: unknown) => slice({ metadata: { creationTimestamp } });
const CREATED = at('/metadata/creationTimestamp', 'metadata.creationTimestamp');

ruleTester.run(rule, {
  valid: [
    slice({}),
    // C-P6: the port number is not validated; only int32 decoding limits it
    port(0), port(-1), port(65536), port(2147483647), port(-2147483648), port(null),
    // a port without port, an endpoint without conditions
    slice({ ports: [{ name: 'http' }] }),
    slice({ endpoints: [{ addresses: ['10.0.0.1'] }] }),
    // int64
    slice({ metadata: { generation: 9007199254740991, deletionGracePeriodSeconds: -5 } }),
    // RFC 3339 as Go's time.Parse reads it
    ...['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00+02:00', '2024-02-29T23:59:59-23:59', '2024-05-01T1:00:00Z', '2024-05-01T10:00:00,5Z', '0001-01-01T00:00:00Z'].map(
      (t) => ({ object: created(t), name: t }),
    ),
    created(null),
    // null is absent, everywhere
    slice({ apiVersion: 'discovery.k8s.io/v1', addressType: null, metadata: { name: 'a', namespace: null, labels: { a: null }, finalizers: [null], ownerReferences: [null] } }),
    endpoint({ addresses: [null], conditions: { ready: null }, hostname: null, nodeName: null, zone: null, hints: { forZones: null, forNodes: [null] }, targetRef: null, deprecatedTopology: null }),
  ],
  invalid: [
    { object: port('80'), findings: [{ ...PORT, message: 'holds the string "80"' }], name: 'a string for int32' },
    { object: port(80.5), findings: [PORT], name: 'a fraction' },
    { object: port(2147483648), findings: [PORT], name: 'int32 maximum + 1' },
    { object: port(-2147483649), findings: [PORT], name: 'int32 minimum - 1' },
    { object: port(true), findings: [PORT] },
    { object: port([80]), findings: [PORT] },
    { object: port(Number.POSITIVE_INFINITY), findings: [PORT], name: 'YAML .inf' },
    { object: slice({ ports: [{ name: 8080, port: 80 }] }), findings: [at('/ports/0/name', 'ports[0].name')], name: 'a number for a string' },
    { object: slice({ ports: { name: 'http' } }), findings: [at('/ports', 'ports')], name: 'an object for a list' },
    { object: slice({ ports: ['http'] }), findings: [at('/ports/0', 'ports[0]')], name: 'a string for an object' },
    { object: slice({ addressType: 4 }), findings: [at('/addressType', 'addressType')] },
    { object: { ...slice({}), metadata: 'x' }, findings: [at('/metadata', 'metadata')] },
    { object: slice({ metadata: { labels: ['a'] } }), findings: [at('/metadata/labels', 'metadata.labels')] },
    // map values are located with the API server's [key] form
    { object: slice({ metadata: { labels: { 'app.kubernetes.io/version': 1.2 } } }), findings: [at('/metadata/labels/app.kubernetes.io~1version', 'metadata.labels[app.kubernetes.io/version]')] },
    { object: slice({ metadata: { generation: 1.5 } }), findings: [at('/metadata/generation', 'metadata.generation')] },
    { object: slice({ metadata: { deletionGracePeriodSeconds: '30' } }), findings: [at('/metadata/deletionGracePeriodSeconds', 'metadata.deletionGracePeriodSeconds')] },
    { object: slice({ metadata: { finalizers: 'example.com/x' } }), findings: [at('/metadata/finalizers', 'metadata.finalizers')] },
    { object: slice({ metadata: { ownerReferences: [{ controller: 'true' }] } }), findings: [at('/metadata/ownerReferences/0/controller', 'metadata.ownerReferences[0].controller')] },
    { object: endpoint({ addresses: '10.0.0.1' }), findings: [at('/endpoints/0/addresses', 'endpoints[0].addresses')] },
    { object: endpoint({ addresses: ['10.0.0.1', 167772162] }), findings: [at('/endpoints/0/addresses/1', 'endpoints[0].addresses[1]')] },
    { object: endpoint({ conditions: { ready: 'true' } }), findings: [at('/endpoints/0/conditions/ready', 'endpoints[0].conditions.ready')] },
    { object: endpoint({ conditions: [] }), findings: [at('/endpoints/0/conditions', 'endpoints[0].conditions')] },
    { object: endpoint({ hints: { forZones: { name: 'z' } } }), findings: [at('/endpoints/0/hints/forZones', 'endpoints[0].hints.forZones')] },
    { object: endpoint({ deprecatedTopology: { zone: 1 } }), findings: [at('/endpoints/0/deprecatedTopology/zone', 'endpoints[0].deprecatedTopology[zone]')] },
    // times Go's time.Parse(time.RFC3339, ...) refuses
    ...['yesterday', '', '2024-05-01', '2024-05-01 10:00:00Z', '2024-05-01t10:00:00z', '2024-02-30T10:00:00Z', '2023-02-29T10:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01T10:60:00Z', '2024-05-01T10:00:60Z', '2024-05-01T10:00:00', '2024-05-01T10:00:00+25:00', '2024-05-01T10:00:00.Z'].map(
      (t) => ({ object: created(t), findings: [CREATED], name: JSON.stringify(t) }),
    ),
    { object: created(1714557600), findings: [CREATED], name: 'a number for a time' },
    { object: slice({ metadata: { managedFields: [{ time: 'now' }] } }), findings: [at('/metadata/managedFields/0/time', 'metadata.managedFields[0].time')] },
    // all of them, each once
    { object: slice({ addressType: 4, ports: [{ port: '80', protocol: 6 }] }), findings: [at('/addressType', 'addressType'), PORT, at('/ports/0/protocol', 'ports[0].protocol')] },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: port('80'), context: { kubeVersion }, findings: [PORT], name: `same on ${kubeVersion}` })),
  ],
});
