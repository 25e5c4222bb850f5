import rule from '../../../policies/rules/unknown-field.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const at = (path: string, apiPath: string, messageId = 'unknown') => ({ messageId, path, apiPath });
const endpoint = (extra: Record<string, unknown>) => slice({ endpoints: [{ addresses: ['10.0.0.1'], ...extra }] });

ruleTester.run(rule, {
  valid: [
    slice({}),
    // every field v1 has, with a value
    slice({
      metadata: {
        name: 'a', generateName: 'a-', namespace: 'default', selfLink: '', uid: 'u', resourceVersion: '1', generation: 3,
        creationTimestamp: '2024-05-01T10:00:00Z', deletionTimestamp: null, deletionGracePeriodSeconds: null,
        labels: { a: 'b' }, annotations: { c: 'd' }, finalizers: ['example.com/x'],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'a', uid: 'u', controller: true, blockOwnerDeletion: true }],
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'discovery.k8s.io/v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } }, subresource: '' }],
      },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, appProtocol: 'http' }],
      endpoints: [{
        addresses: ['10.0.0.1'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'h',
        targetRef: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u', apiVersion: 'v1', resourceVersion: '1', fieldPath: '' },
        deprecatedTopology: { 'kubernetes.io/hostname': 'n' }, nodeName: 'n', zone: 'z', hints: { forZones: [{ name: 'z' }], forNodes: [{ name: 'n' }] },
      }],
    }),
    // maps take any key; FieldsV1 is raw JSON
    slice({ metadata: { labels: { 'anything/goes': 'x' }, annotations: { 'spec.whatever': 'x' } } }),
    endpoint({ deprecatedTopology: { 'any.key/at-all': 'x' } }),
    slice({ metadata: { managedFields: [{ fieldsV1: { 'f:anything': { '.': {} } } }] } }),
    // null and empty objects everywhere
    { ...slice({}), metadata: null, ports: null, endpoints: null },
    endpoint({ conditions: null, hints: {}, targetRef: {} }),
  ],
  invalid: [
    { object: slice({ spec: {} }), findings: [at('/spec', 'spec')] },
    { object: slice({ status: {} }), findings: [at('/status', 'status')] },
    { object: slice({ metadata: { clusterName: 'c' } }), findings: [at('/metadata/clusterName', 'metadata.clusterName')], name: 'clusterName left ObjectMeta in 1.25' },
    { object: slice({ metadata: { Labels: {} } }), findings: [{ ...at('/metadata/Labels', 'metadata.Labels', 'wrongCase'), message: 'use "labels"' }], name: 'case-sensitive' },
    { object: slice({ AddressType: 'IPv4' }), findings: [at('/AddressType', 'AddressType', 'wrongCase')] },
    { object: slice({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'a', uid: 'u', namespace: 'x' }] } }), findings: [at('/metadata/ownerReferences/0/namespace', 'metadata.ownerReferences[0].namespace')] },
    { object: slice({ metadata: { managedFields: [{ manager: 'x', fields: {} }] } }), findings: [at('/metadata/managedFields/0/fields', 'metadata.managedFields[0].fields')] },
    { object: slice({ ports: [{ port: 80, targetPort: 8080 }] }), findings: [at('/ports/0/targetPort', 'ports[0].targetPort')] },
    { object: slice({ ports: [{ port: 80 }, { port: 81, nodePort: 30001 }] }), findings: [at('/ports/1/nodePort', 'ports[1].nodePort')] },
    { object: endpoint({ ip: '10.0.0.2' }), findings: [at('/endpoints/0/ip', 'endpoints[0].ip')] },
    // v1beta1's topology gets the migration hint
    { object: endpoint({ topology: { 'kubernetes.io/hostname': 'n' } }), findings: [{ ...at('/endpoints/0/topology', 'endpoints[0].topology', 'v1beta1'), message: 'nodeName and zone' }] },
    { object: endpoint({ conditions: { ready: true, healthy: true } }), findings: [at('/endpoints/0/conditions/healthy', 'endpoints[0].conditions.healthy')] },
    { object: endpoint({ hints: { forZones: [{ name: 'z', weight: 1 }] } }), findings: [at('/endpoints/0/hints/forZones/0/weight', 'endpoints[0].hints.forZones[0].weight')] },
    { object: endpoint({ hints: { forRegions: [] } }), findings: [at('/endpoints/0/hints/forRegions', 'endpoints[0].hints.forRegions')] },
    { object: endpoint({ targetRef: { kind: 'Pod', name: 'p', labels: {} } }), findings: [at('/endpoints/0/targetRef/labels', 'endpoints[0].targetRef.labels')] },
    // JSON Pointer escaping of "/" and "~" in the field name
    { object: slice({ 'example.com/x~y': 1 }), findings: [at('/example.com~1x~0y', 'example.com/x~y')] },
    // every unknown field, and in a null-item list too
    { object: slice({ a: 1, b: 2, ports: [null, { x: 1 }] }), findings: [at('/a', 'a'), at('/b', 'b'), at('/ports/1/x', 'ports[1].x')] },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: slice({ spec: {} }), context: { kubeVersion }, findings: [at('/spec', 'spec')], name: `same on ${kubeVersion}` })),
  ],
});
