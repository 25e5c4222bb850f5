/**
 * Pure decisions of `certs ensure`: whether the stored certificates can stay, need a new serving
 * certificate from the same CA, or need a new CA; and which CAs the caBundle must hold. The time
 * is always an argument.
 */
import type { X509Certificate } from 'node:crypto';
import { SliceguardError } from '../policies/errors.ts';
import { BACKDATE_MS } from './generate.ts';
import { keyMatchesCertificate, parseCertificate, parseCertificates, subjectAltNames } from './pem.ts';

/** The PEM strings of the TLS Secret (keys tls.crt, tls.key, ca.crt, ca.key); absent keys are undefined. */
export interface StoredCertificates {
  tlsCrt?: string;
  tlsKey?: string;
  caCrt?: string;
  caKey?: string;
}

/** What the certificates must be. */
export interface Wanted {
  dnsNames: string[];
  now: Date;
  /** Renew when less than this fraction of the validity is left (0 < f < 1). */
  renewBefore: number;
  /** Validity of a new serving certificate, in days. */
  days: number;
  /**
   * True when this run cannot publish a new CA in caBundle first (no webhook configuration
   * named): a CA that is merely due for rotation is then left to a run that can.
   */
  deferCaRotation?: boolean;
}

/** Why something must change; `due` when it is still valid and only inside its renewal window. */
interface Problem {
  reason: string;
  due: boolean;
}

/** keep: nothing to do; renew: a new serving certificate from the stored CA; rotate-ca: a new CA too. */
export interface Plan {
  action: 'keep' | 'renew' | 'rotate-ca';
  /** One sentence saying why. */
  reason: string;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Returns the default renewal fraction: renew when a third of the validity is left. */
export const DEFAULT_RENEW_BEFORE = 1 / 3;

/**
 * Returns what to do with the stored certificates: the CA is checked first (a serving
 * certificate cannot be renewed without a usable CA and its key), then the serving certificate.
 */
export function planCertificates(stored: StoredCertificates | undefined, want: Wanted): Plan {
  if (stored === undefined) return { action: 'rotate-ca', reason: 'The Secret does not exist.' };
  const caProblem = problemWithCa(stored, want);
  if (caProblem !== undefined && !(caProblem.due && want.deferCaRotation)) return { action: 'rotate-ca', reason: caProblem.reason };
  const ca = parseCertificate(stored.caCrt!, 'ca.crt');
  const leafProblem = problemWithLeaf(stored, ca, want);
  // Only a due CA gets here with a problem: the new CA waits for a run that can publish it first.
  const deferred = caProblem ? ` ${caProblem.reason} A new CA waits for a run with --webhook-config, which puts it into caBundle first.` : '';
  if (leafProblem !== undefined) return { action: 'renew', reason: leafProblem + deferred };
  const until = new Date(Date.parse(parseCertificate(stored.tlsCrt!).validTo)).toISOString();
  return { action: 'keep', reason: `The certificate is valid until ${until} and names the Service.${deferred}` };
}

/** Returns why the stored CA must be replaced, or undefined when it can sign renewals. */
function problemWithCa(stored: StoredCertificates, want: Wanted): Problem | undefined {
  const broken = (reason: string): Problem => ({ reason, due: false });
  if (!stored.caCrt) return broken('The Secret has no ca.crt.');
  if (!stored.caKey) return broken('The Secret has no ca.key, so its CA cannot sign a renewal.');
  const ca = tryParse(stored.caCrt);
  if (typeof ca === 'string') return broken(`The Secret's ca.crt does not parse: ${ca}`);
  if (!ca.ca) return broken("The Secret's ca.crt is not a CA certificate.");
  if (!keyMatchesCertificate(ca, stored.caKey)) return broken("The Secret's ca.key does not belong to its ca.crt.");
  const timing = timingProblem(ca, want, 'CA');
  if (timing !== undefined) return timing;
  const left = Date.parse(ca.validTo) - want.now.getTime();
  if (left < want.days * DAY_MS) {
    return { reason: `The CA expires in ${Math.floor(left / DAY_MS)} days, before a ${want.days}-day certificate would.`, due: true };
  }
  return undefined;
}

/** Returns why the stored serving certificate must be renewed, or undefined when it can stay. */
function problemWithLeaf(stored: StoredCertificates, ca: X509Certificate, want: Wanted): string | undefined {
  if (!stored.tlsCrt) return 'The Secret has no tls.crt.';
  if (!stored.tlsKey) return 'The Secret has no tls.key.';
  const leaf = tryParse(stored.tlsCrt);
  if (typeof leaf === 'string') return `The Secret's tls.crt does not parse: ${leaf}`;
  if (!keyMatchesCertificate(leaf, stored.tlsKey)) return "The Secret's tls.key does not belong to its tls.crt.";
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return "The Secret's tls.crt is not signed by its ca.crt.";
  if (!(leaf.keyUsage ?? []).includes(SERVER_AUTH)) return "The Secret's tls.crt lacks the serverAuth extended key usage.";
  const names = subjectAltNames(leaf).dns;
  if (!sameSet(names, want.dnsNames)) {
    return `The certificate names ${list(names)}; expected ${list(want.dnsNames)}.`;
  }
  return timingProblem(leaf, want, 'certificate')?.reason;
}

/** Returns why a certificate is not valid now (not due: broken) or is inside its renewal window (due), or undefined. */
function timingProblem(cert: X509Certificate, want: Wanted, what: string): Problem | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const now = want.now.getTime();
  if (now >= to) return { reason: `The ${what} expired at ${new Date(to).toISOString()}.`, due: false };
  if (now < from) return { reason: `The ${what} is not valid before ${new Date(from).toISOString()}.`, due: false };
  const left = to - now;
  if (left < want.renewBefore * (to - from)) {
    const pct = Math.round(want.renewBefore * 100);
    return { reason: `The ${what} expires at ${new Date(to).toISOString()}, less than ${pct}% of its validity from now.`, due: true };
  }
  return undefined;
}

/**
 * Returns the caBundle PEM: the current CA first, then each earlier CA that is still valid, for as
 * long as a serving certificate it signed could still be served (`days` after the current CA was
 * made), newest first and at most `max - 1` of them. Earlier CAs come from the old caBundles and
 * the old Secret; duplicates and non-CA certificates are dropped.
 */
export function caBundle(currentCa: string, earlier: string[], now: Date, days: number, max = 4): string {
  const current = parseCertificate(currentCa, 'CA certificate');
  const madeAt = Date.parse(current.validFrom) + BACKDATE_MS;
  const seen = new Set([current.fingerprint256]);
  const keep: X509Certificate[] = [];
  if (now.getTime() < madeAt + days * DAY_MS) {
    for (const pem of earlier) {
      for (const cert of parseAll(pem)) {
        if (seen.has(cert.fingerprint256) || !cert.ca || Date.parse(cert.validTo) <= now.getTime()) continue;
        seen.add(cert.fingerprint256);
        keep.push(cert);
      }
    }
  }
  keep.sort((a, b) => Date.parse(b.validFrom) - Date.parse(a.validFrom));
  return [current, ...keep.slice(0, max - 1)].map((c) => c.toString()).join('');
}

/** Returns the certificates of a PEM bundle, or none when it does not parse (an old bundle may be junk). */
function parseAll(pem: string): X509Certificate[] {
  try {
    return parseCertificates(pem);
  } catch {
    return [];
  }
}

/** Returns the parsed certificate, or the parse problem as a sentence. */
function tryParse(pem: string): X509Certificate | string {
  try {
    return parseCertificate(pem);
  } catch (err) {
    if (err instanceof SliceguardError) return err.message;
    throw err;
  }
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a.map((s) => s.toLowerCase()));
  const sb = new Set(b.map((s) => s.toLowerCase()));
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function list(names: string[]): string {
  return names.length === 0 ? 'no DNS names' : names.join(', ');
}
