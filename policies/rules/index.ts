/**
 * The explicit rule registry: one import per file in this folder. The registry test checks that
 * rule files, this list, the tests and docs/rules.md agree. Keep each section sorted by id.
 */
import type { AnyRule } from '../define-rule.ts';
// --- apiserver rules: imports ---
import addressType from './address-type.ts';
import endpointAddresses from './endpoint-addresses.ts';
import endpointHints from './endpoint-hints.ts';
import endpointHostname from './endpoint-hostname.ts';
import endpointNodeName from './endpoint-node-name.ts';
import endpointsCount from './endpoints-count.ts';
import fqdnAddress from './fqdn-address.ts';
import ipAddress from './ip-address.ts';
import portAppProtocol from './port-app-protocol.ts';
import portName from './port-name.ts';
import portProtocol from './port-protocol.ts';
import portsCount from './ports-count.ts';
// --- policy rules: imports ---

/** Every rule sliceguard knows, API-server parity rules and policy rules. */
export const RULES: readonly AnyRule[] = [
  // --- apiserver rules ---
  addressType,
  endpointAddresses,
  endpointHints,
  endpointHostname,
  endpointNodeName,
  endpointsCount,
  fqdnAddress,
  ipAddress,
  portAppProtocol,
  portName,
  portProtocol,
  portsCount,
  // --- policy rules ---
];
