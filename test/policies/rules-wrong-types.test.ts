/**
 * The addressType, port, endpoint, IP, FQDN and hint rules see whatever the decode gate reports
 * as well as what it lets through: wrong-typed values anywhere must not crash them, and every
 * message they produce stays a sentence.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { createPolicy } from '../../policies/policy.ts';
import { evaluate } from '../../policies/engine.ts';
import type { AnyRule } from '../../policies/define-rule.ts';
import addressType from '../../policies/rules/address-type.ts';
import endpointAddresses from '../../policies/rules/endpoint-addresses.ts';
import endpointHints from '../../policies/rules/endpoint-hints.ts';
import endpointHostname from '../../policies/rules/endpoint-hostname.ts';
import endpointNodeName from '../../policies/rules/endpoint-node-name.ts';
import endpointsCount from '../../policies/rules/endpoints-count.ts';
import fqdnAddress from '../../policies/rules/fqdn-address.ts';
import ipAddress from '../../policies/rules/ip-address.ts';
import portAppProtocol from '../../policies/rules/port-app-protocol.ts';
import portName from '../../policies/rules/port-name.ts';
import portProtocol from '../../policies/rules/port-protocol.ts';
import portsCount from '../../policies/rules/ports-count.ts';
import { KUBE_VERSIONS } from '../../policies/types.ts';

const policy = createPolicy({}, '<test>', [addressType, endpointAddresses, endpointHints, endpointHostname, endpointNodeName, endpointsCount,
  fqdnAddress, ipAddress, portAppProtocol, portName, portProtocol, portsCount] as AnyRule[]);

const value = fc.oneof(fc.anything(), fc.constantFrom('IPv4', 'IPv6', 'FQDN', '', '10.0.0.1', '::1', 'a.b', null));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, value);
const hints = maybe(fc.record({ forZones: maybe(fc.array(maybe(fc.record({ name: value })), { maxLength: 10 })), forNodes: maybe(fc.array(maybe(fc.record({ name: value })), { maxLength: 10 })) }, { requiredKeys: [] }));
const endpoint = maybe(fc.record({ addresses: maybe(fc.array(value, { maxLength: 4 })), hostname: value, nodeName: value, hints }, { requiredKeys: [] }));
const port = maybe(fc.record({ name: value, protocol: value, appProtocol: value, port: value }, { requiredKeys: [] }));
const sliceArb = fc.record({
  apiVersion: fc.constant('discovery.k8s.io/v1'),
  kind: fc.constant('EndpointSlice'),
  metadata: fc.constant({ name: 'x', namespace: 'y' }),
  addressType: value,
  ports: maybe(fc.array(port, { maxLength: 4 })),
  endpoints: maybe(fc.array(endpoint, { maxLength: 4 })),
}, { requiredKeys: ['apiVersion', 'kind', 'metadata'] });

describe('parity rules on wrong-typed input', () => {
  it('never throw, on CREATE and UPDATE, for every release', () => {
    fc.assert(
      fc.property(sliceArb, sliceArb, fc.constantFrom(...KUBE_VERSIONS), fc.boolean(), (next, old, kubeVersion, isUpdate) => {
        const r = evaluate(next, policy, isUpdate ? { operation: 'UPDATE', oldObject: old, kubeVersion } : { kubeVersion });
        for (const f of r.findings) expect(f.message).to.match(/^[A-Z0-9"].*\.$/s);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});
