import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from '../io.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { dns1123LabelProblems, dns1123SubdomainProblems } from '../../policies/names.ts';
import { DEFAULT_DAYS, generateCertificateSet, serviceDnsNames } from '../../certs/generate.ts';
import { DEFAULT_RENEW_BEFORE } from '../../certs/decide.ts';
import { writeCertificateFiles } from '../../certs/files.ts';
import { describeCertificate, formatEnsureResult, parseDays, parseFraction, parseKeyType } from '../../certs/options.ts';

const HELP = `Usage: sliceguard certs generate --service NAME --namespace NS [options]
       sliceguard certs ensure --secret NAME --namespace NS --service NAME [options]

generate: writes ca.crt, tls.crt and tls.key (the key with mode 0600) for the Service's DNS names.
  --out DIR               directory to write (created with mode 0700; default: .)
  --force                 replace existing files (each is replaced atomically)
  --ip ADDRESS            also an IP subjectAltName (repeatable), e.g. 127.0.0.1 for npm start
  --ca-cert FILE --ca-key FILE   sign with this CA instead of a new one

ensure: creates or renews the TLS Secret and patches caBundle into webhook configurations.
  --secret NAME           the kubernetes.io/tls Secret (keys tls.crt, tls.key, ca.crt, ca.key)
  --webhook-config NAME   a Validating- or MutatingWebhookConfiguration (repeatable); prefix
                          validating/ or mutating/ to look up only that kind
  --kubeconfig FILE       credentials (default: $KUBECONFIG, in-cluster, ~/.kube/config)
  --renew-before F        renew when less than this fraction of the validity is left (default 1/3)

Both:
  --days N                validity of the serving certificate (default: ${DEFAULT_DAYS}); a new CA: 10 x N
  --key-type rsa|ecdsa    RSA 2048 (default) or ECDSA P-256
  --cluster-domain D      cluster DNS domain (default: cluster.local)
  -h, --help              show this help

See docs/certificates.md.
`;

const COMMON = {
  service: { type: 'string' },
  namespace: { type: 'string' },
  days: { type: 'string' },
  'key-type': { type: 'string', default: 'rsa' },
  'cluster-domain': { type: 'string', default: 'cluster.local' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Runs `sliceguard certs generate|ensure` and returns the exit code. */
export async function runCerts(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'generate') return runGenerate(rest, io);
  if (sub === 'ensure') return runEnsure(rest, io);
  if (sub === undefined || sub === '-h' || sub === '--help' || sub === 'help') {
    io.stdout(HELP);
    return sub === undefined ? 2 : 0;
  }
  throw new SliceguardError('SG_USAGE', `certs: unknown subcommand ${JSON.stringify(sub)}; expected generate or ensure`);
}

async function runGenerate(argv: string[], io: Io): Promise<number> {
  const v = usage('generate', () => parseArgs({
    args: argv,
    options: {
      ...COMMON,
      out: { type: 'string', default: '.' },
      force: { type: 'boolean', default: false },
      ip: { type: 'string', multiple: true, default: [] },
      'ca-cert': { type: 'string' },
      'ca-key': { type: 'string' },
    },
  }).values);
  if (v.help) return help(io);
  const { service, namespace } = serviceAndNamespace('generate', v);
  if (Boolean(v['ca-cert']) !== Boolean(v['ca-key'])) throw new SliceguardError('SG_USAGE', 'certs generate: --ca-cert and --ca-key go together');
  const ca = v['ca-cert'] ? { cert: readPem(io, v['ca-cert']), key: readPem(io, v['ca-key']!) } : undefined;
  const set = await generateCertificateSet({
    dnsNames: serviceDnsNames(service, namespace, v['cluster-domain']),
    ipAddresses: v.ip,
    days: parseDays('generate', v.days),
    now: new Date(),
    keyType: parseKeyType('generate', v['key-type']),
    commonName: `${service}.${namespace}.svc`,
    ca,
  });
  const paths = writeCertificateFiles(resolve(io.cwd, v.out), set, v.force);
  io.stdout(`Wrote ${paths.join(', ')}.\n${describeCertificate(set.cert)}\n`);
  return 0;
}

async function runEnsure(argv: string[], io: Io): Promise<number> {
  const v = usage('ensure', () => parseArgs({
    args: argv,
    options: {
      ...COMMON,
      secret: { type: 'string' },
      'webhook-config': { type: 'string', multiple: true, default: [] },
      kubeconfig: { type: 'string' },
      'renew-before': { type: 'string' },
    },
  }).values);
  if (v.help) return help(io);
  const { service, namespace } = serviceAndNamespace('ensure', v);
  if (!v.secret) throw new SliceguardError('SG_USAGE', 'certs ensure: --secret NAME is required');
  const bad = dns1123SubdomainProblems(v.secret);
  if (bad.length > 0) throw new SliceguardError('SG_USAGE', `certs ensure: --secret ${JSON.stringify(v.secret)}: ${bad[0]}`);
  const options = {
    namespace,
    service,
    secret: v.secret,
    clusterDomain: v['cluster-domain'],
    webhookConfigs: v['webhook-config'],
    days: parseDays('ensure', v.days),
    renewBefore: v['renew-before'] === undefined ? DEFAULT_RENEW_BEFORE : parseFraction('ensure', v['renew-before']),
    keyType: parseKeyType('ensure', v['key-type']),
    now: () => new Date(),
  };
  // Loaded here so that `certs generate` never loads the Kubernetes client.
  const { kubeCertsApi, loadKubeConfig } = await import('../../certs/kube.ts');
  const kc = loadKubeConfig(v.kubeconfig === undefined ? undefined : resolve(io.cwd, v.kubeconfig), io.env);
  const { ensureCertificates } = await import('../../certs/ensure.ts');
  const result = await ensureCertificates(kubeCertsApi(kc), options);
  io.stdout(formatEnsureResult(result, options));
  return 0;
}

/** Runs the argument parser, turning its errors into SG_USAGE. */
function usage<T>(sub: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new SliceguardError('SG_USAGE', `certs ${sub}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function serviceAndNamespace(sub: string, v: { service?: string; namespace?: string }): { service: string; namespace: string } {
  const out = { service: v.service ?? '', namespace: v.namespace ?? '' };
  for (const flag of ['service', 'namespace'] as const) {
    if (out[flag] === '') throw new SliceguardError('SG_USAGE', `certs ${sub}: --${flag} is required`);
    const problems = dns1123LabelProblems(out[flag]);
    if (problems.length > 0) throw new SliceguardError('SG_USAGE', `certs ${sub}: --${flag} ${JSON.stringify(out[flag])}: ${problems[0]}`);
  }
  return out;
}

function readPem(io: Io, file: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new SliceguardError('SG_CERT_UNREADABLE', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

function help(io: Io): number {
  io.stdout(HELP);
  return 0;
}
