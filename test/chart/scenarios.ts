// The value sets the chart tests render: the defaults, each certificate mode, and non-default
// settings. Every scenario must lint, render, and pass the Kubernetes schema of each object.

/** A PEM CA certificate's text, base64-encoded as certs.provided.caBundle expects. */
export const PROVIDED_CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUSLICEGUARDTESTCA\n-----END CERTIFICATE-----\n';

export const SCENARIOS: Record<string, object> = {
  defaults: {},
  'cert-manager': { certs: { mode: 'cert-manager' } },
  'cert-manager with an issuer': {
    certs: { mode: 'cert-manager', certManager: { issuerRef: { name: 'corp-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' } } },
  },
  provided: {
    certs: { mode: 'provided', provided: { secretName: 'corp-tls', caBundle: Buffer.from(PROVIDED_CA_PEM).toString('base64') } },
  },
  'non-default': {
    webhook: {
      port: 10250,
      failurePolicy: 'Ignore',
      validating: { deleteOperations: true },
      mutating: { enabled: false },
      namespaceSelector: {
        excludedNamespaces: ['kube-system', 'monitoring'],
        matchExpressions: [{ key: 'example.com/tier', operator: 'NotIn', values: ['legacy'] }],
      },
      objectSelector: { matchLabels: { 'example.com/checked': 'true' } },
      annotations: { 'example.com/owner': 'platform' },
    },
    serviceCache: { enabled: false },
    metrics: { serviceMonitor: { enabled: true, labels: { release: 'prometheus' } } },
    image: { digest: `sha256:${'ab'.repeat(32)}` },
    imagePullSecrets: [{ name: 'regcred' }],
    priorityClassName: 'system-cluster-critical',
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    podAntiAffinity: 'hard',
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'x' } } },
    ],
    policy: {
      strict: true,
      rolloutOnChange: true,
      rules: { 'max-endpoints': { options: { max: 100 } }, 'fqdn-deprecated': 'off', 'explicit-conditions': 'warn' },
      exemptions: [{ namespaces: ['dev'] }],
    },
    uninstall: { deleteWebhookConfigurations: false },
    extraArgs: ['--services', '/etc/extra/services.yaml'],
    extraEnv: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=384' }],
  },
  hostNetwork: { hostNetwork: true, webhook: { port: 9443 }, metrics: { port: 9444 } },
  'port 443': { webhook: { port: 443 } },
  'matchConditions off': { webhook: { matchConditions: { enabled: false } } },
};
