/**
 * Option values and output lines of `sliceguard certs`: parsing that throws SG_USAGE with the
 * flag's name, and the sentences the command prints.
 */
import { X509Certificate } from 'node:crypto';
import { SliceguardError } from '../policies/errors.ts';
import { DEFAULT_DAYS } from './generate.ts';
import type { EnsureResult } from './ensure.ts';

/** Returns the --days value (default 365): a whole number of days from 1 to 36500. */
export function parseDays(sub: string, value: string | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 36500) {
    throw new SliceguardError('SG_USAGE', `certs ${sub}: --days ${JSON.stringify(value)}: expected a whole number of days from 1 to 36500`);
  }
  return n;
}

/** Returns the --renew-before fraction: a decimal (0.25) or a ratio (1/3), strictly between 0 and 1. */
export function parseFraction(sub: string, value: string): number {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const n = m ? Number(m[1]) / Number(m[2]) : /^(0|[1-9]\d*)?(\.\d+)?$/.test(value) && value !== '' ? Number(value) : NaN;
  if (!(n > 0 && n < 1)) {
    throw new SliceguardError('SG_USAGE', `certs ${sub}: --renew-before ${JSON.stringify(value)}: expected a fraction between 0 and 1, such as 0.25 or 1/3`);
  }
  return n;
}

/** Returns the --key-type value. */
export function parseKeyType(sub: string, value: string): 'rsa' | 'ecdsa' {
  if (value === 'rsa' || value === 'ecdsa') return value;
  throw new SliceguardError('SG_USAGE', `certs ${sub}: --key-type ${JSON.stringify(value)}: expected rsa or ecdsa`);
}

/** Returns one line about a certificate: its names and validity. */
export function describeCertificate(pem: string): string {
  const cert = new X509Certificate(pem);
  const until = new Date(Date.parse(cert.validTo)).toISOString();
  return `Certificate for ${cert.subjectAltName ?? cert.subject} is valid until ${until}, issued by ${cert.issuer.replace(/\n/g, ', ')}.`;
}

/** Returns what `certs ensure` prints: the Secret's fate and reason, then one line per configuration. */
export function formatEnsureResult(r: EnsureResult, opts: { namespace: string; secret: string }): string {
  const lines = [`Secret ${opts.namespace}/${opts.secret}: ${r.secret}. ${r.plan.reason}`];
  if (r.plan.action !== 'keep') lines.push(describeCertificate(r.cert.cert));
  const cas = (r.bundle.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  for (const c of r.configs) {
    const what = c.webhooks === 0 ? 'has no webhooks' : c.patched ? `caBundle set on ${c.webhooks} webhook${c.webhooks === 1 ? '' : 's'} (${cas} CA${cas === 1 ? '' : 's'})` : 'caBundle already current';
    lines.push(`${c.kind} ${c.name}: ${what}.`);
  }
  if (r.attempts > 1) lines.push(`Took ${r.attempts} attempts because of conflicting writes.`);
  return `${lines.join('\n')}\n`;
}
