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
import addressFamily from './address-family.ts';
import appProtocol from './app-protocol.ts';
import canonicalIp from './canonical-ip.ts';
import duplicateAddress from './duplicate-address.ts';
import explicitConditions from './explicit-conditions.ts';
import exportedMetadata from './exported-metadata.ts';
import fqdnDeprecated from './fqdn-deprecated.ts';
import fqdnLowercase from './fqdn-lowercase.ts';
import legacyEndpoints from './legacy-endpoints.ts';
import managedByMissing from './managed-by-missing.ts';
import managedByReserved from './managed-by-reserved.ts';
import maxEndpoints from './max-endpoints.ts';
import multiAddressEndpoint from './multi-address-endpoint.ts';
import ownerReference from './owner-reference.ts';
import placeholder from './placeholder.ts';
import portNameMismatch from './port-name-mismatch.ts';
import selectorConflict from './selector-conflict.ts';
import serviceNameLabel from './service-name-label.ts';
import serviceNotFound from './service-not-found.ts';
import specialIp from './special-ip.ts';

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
  addressFamily,
  appProtocol,
  canonicalIp,
  duplicateAddress,
  explicitConditions,
  exportedMetadata,
  fqdnDeprecated,
  fqdnLowercase,
  legacyEndpoints,
  managedByMissing,
  managedByReserved,
  maxEndpoints,
  multiAddressEndpoint,
  ownerReference,
  placeholder,
  portNameMismatch,
  selectorConflict,
  serviceNameLabel,
  serviceNotFound,
  specialIp,
];
