/**
 * UPDATE behaviour across the parity rules (apiserver-rules.md §2): addressType is immutable (U-1),
 * and from 1.33 endpoint findings are discarded when `endpoints` is semantically unchanged (U-2),
 * even when addressType changes. Ports are never ratcheted.
 */
import { expect } from 'chai';
import { createPolicy } from '../../policies/policy.ts';
import { evaluate } from '../../policies/engine.ts';
import type { EvalContext, KubeVersion } from '../../policies/types.ts';
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
import { ipv4Endpoints, slice } from '../helpers/fixtures.ts';

const RULES: AnyRule[] = [addressType, endpointAddresses, endpointHints, endpointHostname, endpointNodeName, endpointsCount, fqdnAddress,
  ipAddress, portAppProtocol, portName, portProtocol, portsCount];
const policy = createPolicy({}, '<test>', RULES);

/** Returns `rule path` for every finding of an UPDATE from `old` to `next`. */
function update(next: unknown, old: unknown, kubeVersion?: KubeVersion): string[] {
  const context: EvalContext = { operation: 'UPDATE', oldObject: old, ...(kubeVersion ? { kubeVersion } : {}) };
  return evaluate(next, policy, context).findings.map((f) => `${f.rule} ${f.path}`);
}

/** Endpoints with one problem for each endpoint rule. */
const badEndpoints = () => [
  { addresses: ['127.0.0.1', '2001:db8::1'], hostname: 'Bad_Host', nodeName: 'Bad Node', hints: { forZones: [{ name: 'a' }, { name: 'a' }] } },
  { addresses: [] },
];
const allEndpointFindings = [
  'ip-address endpoints[0].addresses[0]',
  'ip-address endpoints[0].addresses',
  'endpoint-hints endpoints[0].hints.forZones[1].name',
  'endpoint-hostname endpoints[0].hostname',
  'endpoint-node-name endpoints[0].nodeName',
  'endpoint-addresses endpoints[1].addresses',
];

describe('UPDATE rules (U-1, U-2)', () => {
  it('addressType changed but endpoints unchanged: only the immutability error (1.33+)', () => {
    const old = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.1.2.3'] }] });
    const next = slice({ addressType: 'IPv6', endpoints: [{ addresses: ['10.1.2.3'] }] });
    for (const v of ['1.33', '1.34', '1.35', '1.36', '1.37'] as const) expect(update(next, old, v), v).to.deep.equal(['address-type addressType']);
    expect(update(next, old, '1.32')).to.have.members(['address-type addressType', 'ip-address endpoints[0].addresses[0]']);
  });

  it('unchanged endpoints keep every endpoint finding away from 1.33, and none before', () => {
    const old = slice({ endpoints: badEndpoints() });
    expect(update(slice({ endpoints: badEndpoints() }), old)).to.deep.equal([]);
    const on132 = update(slice({ endpoints: badEndpoints() }), old, '1.32');
    // 1.32 writes the wrong-family path indexed
    expect(on132).to.have.members(allEndpointFindings.map((f) => (f === 'ip-address endpoints[0].addresses' ? 'ip-address endpoints[0].addresses[1]' : f)));
  });

  it('one changed endpoint revalidates the whole list, and so does a reordering', () => {
    const old = slice({ endpoints: [...badEndpoints(), { addresses: ['10.0.0.9'] }] });
    const changed = slice({ endpoints: [...badEndpoints(), { addresses: ['10.0.0.10'] }] });
    expect(update(changed, old)).to.have.members(allEndpointFindings);
    const reordered = slice({ endpoints: [{ addresses: ['10.0.0.9'] }, ...badEndpoints()] });
    expect(update(reordered, old)).to.have.length(allEndpointFindings.length);
  });

  it('ratchets more than 1000 unchanged endpoints, but not ports', () => {
    const ports = [{ name: 'A', protocol: 'tcp' }, { name: 'A', appProtocol: '--' }];
    const old = slice({ endpoints: ipv4Endpoints(1001), ports });
    expect(update(slice({ endpoints: ipv4Endpoints(1001), ports }), old)).to.deep.equal([
      'port-name ports[0].name', 'port-protocol ports[0].protocol', 'port-app-protocol ports[1].appProtocol', 'port-name ports[1].name', 'port-name ports[1].name',
    ]);
  });

  it('ports the upstream TestValidateEndpointSliceUpdate cases (error counts)', () => {
    const base = { metadata: { name: 'es1', namespace: 'test' }, endpoints: null, ports: null };
    const cases: [string, Record<string, unknown>, Record<string, unknown>, number][] = [
      ['valid and identical slices', { addressType: 'IPv6' }, { addressType: 'IPv6' }, 0],
      ['invalid node name set', { endpoints: [{ addresses: ['10.1.2.3'] }] }, { endpoints: [{ addresses: ['10.1.2.3'], nodeName: 'INVALID foo' }] }, 1],
      ['deprecated address type', { addressType: 'IP' }, { addressType: 'IP' }, 1],
      ['valid and identical slices with different address types', { addressType: 'other' }, { addressType: 'IPv4' }, 1],
      ['invalid slices with valid address types', {}, { ports: [{ name: '', protocol: 'invalid' }] }, 1],
    ];
    for (const [name, old, next, count] of cases) {
      expect(update(slice({ ...base, ...next }), slice({ ...base, ...old })), name).to.have.length(count);
    }
  });
});
