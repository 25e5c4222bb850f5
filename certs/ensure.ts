/**
 * `certs ensure`: make the TLS Secret and the caBundles right, in the order that never leaves the
 * API server unable to verify a replica. caBundles are patched first (the new CA next to the
 * earlier ones), and only then is the Secret written that the replicas reload.
 */
import { SliceguardError } from '../policies/errors.ts';
import { caBundle, planCertificates, type Plan, type StoredCertificates } from './decide.ts';
import { generateCertificateSet, serviceDnsNames, type CertificateSet } from './generate.ts';
import { ConflictError, WEBHOOK_KINDS, type CertsApi, type SecretRecord, type WebhookConfig, type WebhookKind } from './kube.ts';

/** Settings of one `certs ensure` run. */
export interface EnsureOptions {
  namespace: string;
  secret: string;
  service: string;
  clusterDomain: string;
  /** Configuration names, each optionally prefixed `validating/` or `mutating/` to name its kind. */
  webhookConfigs: string[];
  days: number;
  renewBefore: number;
  keyType: 'rsa' | 'ecdsa';
  /** The clock, read once per attempt. */
  now: () => Date;
  /** Attempts before 409 conflicts are given up (default 5). */
  maxAttempts?: number;
  /** Waits between attempts (default: real timers, 100 ms doubling). */
  sleep?: (ms: number) => Promise<void>;
}

/** What a run did. */
export interface EnsureResult {
  plan: Plan;
  secret: 'created' | 'updated' | 'unchanged';
  cert: CertificateSet;
  bundle: string;
  configs: { kind: WebhookKind; name: string; webhooks: number; patched: boolean }[];
  attempts: number;
}

/** Keys of the TLS Secret; ca.key stays in the Secret so that renewals re-sign with the same CA. */
export const SECRET_KEYS = { cert: 'tls.crt', key: 'tls.key', caCert: 'ca.crt', caKey: 'ca.key' } as const;

/** Creates or renews the Secret and patches caBundles; retries 409 conflicts with fresh reads. */
export async function ensureCertificates(api: CertsApi, opts: EnsureOptions): Promise<EnsureResult> {
  const max = opts.maxAttempts ?? 5;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: ConflictError | undefined;
  for (let attempt = 1; attempt <= max; attempt++) {
    try {
      return { ...(await attemptOnce(api, opts)), attempts: attempt };
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      last = err;
      if (attempt < max) await sleep(100 * 2 ** (attempt - 1));
    }
  }
  throw new SliceguardError('SG_KUBE_API', `Gave up after ${max} conflicting writes; last: ${last?.message}`);
}

async function attemptOnce(api: CertsApi, opts: EnsureOptions): Promise<Omit<EnsureResult, 'attempts'>> {
  const now = opts.now();
  const secret = await api.readSecret(opts.namespace, opts.secret);
  const configs = await readConfigs(api, opts.webhookConfigs);
  const stored = secret === undefined ? undefined : storedFrom(secret);
  const want = {
    dnsNames: serviceDnsNames(opts.service, opts.namespace, opts.clusterDomain), now, renewBefore: opts.renewBefore, days: opts.days,
    // Without a configuration to publish a new CA in first, only a broken CA is replaced.
    deferCaRotation: configs.length === 0,
  };
  const plan = planCertificates(stored, want);
  const cert = await material(plan, stored, want, opts.keyType);
  const earlier = [stored?.caCrt ?? '', ...configs.flatMap((c) => c.webhooks.map((w) => w.caBundle))];
  const bundle = caBundle(cert.caCert, earlier, now, opts.days);
  const results: EnsureResult['configs'] = [];
  for (const config of configs) {
    const stale = config.webhooks.some((w) => w.caBundle !== bundle);
    if (stale) await api.patchCaBundle(config, bundle);
    results.push({ kind: config.kind, name: config.name, webhooks: config.webhooks.length, patched: stale });
  }
  const written = plan.action === 'keep' ? 'unchanged' : await writeSecret(api, opts, secret, cert);
  return { plan, secret: written, cert, bundle, configs: results };
}

/** Returns the certificates to store: the stored ones, a renewal by the stored CA, or a new CA and certificate. */
async function material(plan: Plan, stored: StoredCertificates | undefined, want: { dnsNames: string[]; now: Date; days: number }, keyType: 'rsa' | 'ecdsa'): Promise<CertificateSet> {
  const base = { dnsNames: want.dnsNames, now: want.now, days: want.days, keyType, commonName: want.dnsNames[2] };
  if (plan.action === 'keep') return { caCert: stored!.caCrt!, caKey: stored!.caKey!, cert: stored!.tlsCrt!, key: stored!.tlsKey! };
  if (plan.action === 'renew') return generateCertificateSet({ ...base, ca: { cert: stored!.caCrt!, key: stored!.caKey! } });
  return generateCertificateSet(base);
}

async function writeSecret(api: CertsApi, opts: EnsureOptions, secret: SecretRecord | undefined, cert: CertificateSet): Promise<'created' | 'updated'> {
  const data = { [SECRET_KEYS.cert]: cert.cert, [SECRET_KEYS.key]: cert.key, [SECRET_KEYS.caCert]: cert.caCert, [SECRET_KEYS.caKey]: cert.caKey };
  if (secret === undefined) {
    await api.createSecret(opts.namespace, opts.secret, data);
    return 'created';
  }
  // Other keys someone added to the Secret stay.
  await api.replaceSecret(opts.namespace, secret, { ...secret.data, ...data });
  return 'updated';
}

function storedFrom(secret: SecretRecord): StoredCertificates {
  const d = secret.data;
  return { tlsCrt: d[SECRET_KEYS.cert], tlsKey: d[SECRET_KEYS.key], caCrt: d[SECRET_KEYS.caCert], caKey: d[SECRET_KEYS.caKey] };
}

/**
 * Returns the named configurations. A bare name is looked up as both kinds and may be either or
 * both; 403 on one kind is ignored when the other exists, because RBAC may grant only the one
 * that exists. A name that matches neither is an error.
 */
export async function readConfigs(api: CertsApi, names: string[]): Promise<WebhookConfig[]> {
  const found: WebhookConfig[] = [];
  for (const spec of names) {
    const { kinds, name } = parseConfigName(spec);
    const hits: WebhookConfig[] = [];
    let forbidden: WebhookKind | undefined;
    for (const kind of kinds) {
      const got = await api.readWebhookConfig(kind, name);
      if (got === 'forbidden') forbidden = kind;
      else if (got !== undefined) hits.push(got);
    }
    if (hits.length === 0) {
      const what = kinds.length === 1 ? `No ${kinds[0]}` : 'No ValidatingWebhookConfiguration or MutatingWebhookConfiguration';
      const rbac = forbidden ? ` (reading ${forbidden} ${name} was forbidden; check the RBAC of this service account)` : '';
      throw new SliceguardError('SG_KUBE_API', `${what} is named ${name}${rbac}.`);
    }
    found.push(...hits);
  }
  return found;
}

/** Returns the kinds a `--webhook-config` value names: `validating/NAME`, `mutating/NAME`, or NAME for both. */
export function parseConfigName(spec: string): { kinds: WebhookKind[]; name: string } {
  const m = /^(validating|mutating)\/(.+)$/i.exec(spec);
  if (!m) return { kinds: [...WEBHOOK_KINDS], name: spec };
  return { kinds: [m[1].toLowerCase() === 'validating' ? 'ValidatingWebhookConfiguration' : 'MutatingWebhookConfiguration'], name: m[2] };
}
