// Structural schemas of the CRD kinds the chart renders, written from the CRDs' OpenAPI
// (cert-manager.io/v1 Issuer and Certificate, monitoring.coreos.com/v1 ServiceMonitor): the fields
// the chart may use, their types and enums, and no others, so that a misspelt field fails here
// as it would fail `kubectl apply` against a cluster with those CRDs.

const str = { type: 'string', minLength: 1 };
const metadata = {
  type: 'object',
  required: ['name', 'namespace'],
  properties: {
    name: str,
    namespace: str,
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};

function kind(apiVersion: string, kindName: string, spec: object): object {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { apiVersion: { const: apiVersion }, kind: { const: kindName }, metadata, spec },
    additionalProperties: false,
  };
}

const issuerRef = {
  type: 'object',
  required: ['name'],
  properties: { name: str, kind: { type: 'string' }, group: { type: 'string' } },
  additionalProperties: false,
};

// cert-manager's KeyUsage enum.
const usages = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement',
  'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any',
  'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system',
  'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
];

const certificateSpec = {
  type: 'object',
  required: ['secretName', 'issuerRef'],
  properties: {
    secretName: str,
    commonName: { type: 'string' },
    dnsNames: { type: 'array', items: str },
    duration: { type: 'string' },
    renewBefore: { type: 'string' },
    isCA: { type: 'boolean' },
    usages: { type: 'array', items: { enum: usages } },
    privateKey: {
      type: 'object',
      properties: {
        algorithm: { enum: ['RSA', 'ECDSA', 'Ed25519'] },
        size: { type: 'integer' },
        encoding: { enum: ['PKCS1', 'PKCS8'] },
        rotationPolicy: { enum: ['Never', 'Always'] },
      },
      additionalProperties: false,
    },
    issuerRef,
  },
  additionalProperties: false,
};

const issuerSpec = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: {
    selfSigned: {
      type: 'object',
      properties: { crlDistributionPoints: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
    ca: {
      type: 'object',
      required: ['secretName'],
      properties: { secretName: str, crlDistributionPoints: { type: 'array' }, ocspServers: { type: 'array' } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

// prometheus-operator's Duration pattern.
const promDuration = {
  type: 'string',
  pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
};

const serviceMonitorSpec = {
  type: 'object',
  required: ['selector', 'endpoints'],
  properties: {
    selector: {
      type: 'object',
      properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } }, matchExpressions: { type: 'array' } },
      additionalProperties: false,
    },
    namespaceSelector: {
      type: 'object',
      properties: { any: { type: 'boolean' }, matchNames: { type: 'array', items: { type: 'string' } } },
      additionalProperties: false,
    },
    jobLabel: { type: 'string' },
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          port: str,
          path: { type: 'string' },
          scheme: { enum: ['http', 'https', 'HTTP', 'HTTPS'] },
          interval: promDuration,
          scrapeTimeout: promDuration,
          tlsConfig: { type: 'object' },
          honorLabels: { type: 'boolean' },
          relabelings: { type: 'array' },
          metricRelabelings: { type: 'array' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

/** JSON Schemas by "apiVersion/kind" for the CRD kinds the chart can render. */
export const CRD_SCHEMAS: Record<string, object> = {
  'cert-manager.io/v1/Certificate': kind('cert-manager.io/v1', 'Certificate', certificateSpec),
  'cert-manager.io/v1/Issuer': kind('cert-manager.io/v1', 'Issuer', issuerSpec),
  'monitoring.coreos.com/v1/ServiceMonitor': kind('monitoring.coreos.com/v1', 'ServiceMonitor', serviceMonitorSpec),
};
