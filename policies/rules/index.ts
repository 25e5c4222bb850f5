/**
 * The explicit rule registry: one import per file in this folder. The registry test checks that
 * rule files, this list, the tests and docs/rules.md agree. Keep each section sorted by id.
 */
import type { AnyRule } from '../define-rule.ts';
// --- apiserver rules: imports ---
import addressType from './address-type.ts';
import apiVersion from './api-version.ts';
import endpointAddresses from './endpoint-addresses.ts';
import endpointHints from './endpoint-hints.ts';
import endpointHostname from './endpoint-hostname.ts';
import endpointNodeName from './endpoint-node-name.ts';
import endpointsCount from './endpoints-count.ts';
import fieldType from './field-type.ts';
import fqdnAddress from './fqdn-address.ts';
import ipAddress from './ip-address.ts';
import metadataAnnotations from './metadata-annotations.ts';
import metadataFinalizers from './metadata-finalizers.ts';
import metadataImmutable from './metadata-immutable.ts';
import metadataLabels from './metadata-labels.ts';
import metadataName from './metadata-name.ts';
import metadataNamespace from './metadata-namespace.ts';
import metadataOwnerReferences from './metadata-owner-references.ts';
import portAppProtocol from './port-app-protocol.ts';
import portName from './port-name.ts';
import portProtocol from './port-protocol.ts';
import portsCount from './ports-count.ts';
import syntax from './syntax.ts';
import unknownField from './unknown-field.ts';
// --- policy rules: imports ---

/** Every rule sliceguard knows, API-server parity rules and policy rules. */
export const RULES: readonly AnyRule[] = [
  // --- apiserver rules ---
  addressType,
  apiVersion,
  endpointAddresses,
  endpointHints,
  endpointHostname,
  endpointNodeName,
  endpointsCount,
  fieldType,
  fqdnAddress,
  ipAddress,
  metadataAnnotations,
  metadataFinalizers,
  metadataImmutable,
  metadataLabels,
  metadataName,
  metadataNamespace,
  metadataOwnerReferences,
  portAppProtocol,
  portName,
  portProtocol,
  portsCount,
  syntax,
  unknownField,
  // --- policy rules ---
];
