/**
 * TLS settings and the check of a serving certificate before it is used, at start and on reload.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { SliceguardError } from '../policies/errors.ts';

/**
 * TLS 1.2 at least; for 1.2 only ECDHE key exchange with AEAD ciphers (Mozilla's "intermediate"
 * list), which Go's crypto/tls in kube-apiserver offers first. TLS 1.3 suites are listed so that
 * setting `ciphers` does not leave 1.3 with OpenSSL's defaults by accident.
 */
export const TLS_SETTINGS = {
  minVersion: 'TLSv1.2',
  ciphers: [
    'TLS_AES_128_GCM_SHA256',
    'TLS_AES_256_GCM_SHA384',
    'TLS_CHACHA20_POLY1305_SHA256',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
  honorCipherOrder: true,
} as const satisfies SecureContextOptions;

/** Clock skew tolerated on `notBefore`: a certificate made a moment ago on another node is fine. */
const SKEW_MS = 5 * 60 * 1000;

/** A serving certificate and key that passed `checkCertificate`. */
export interface ServingCertificate {
  cert: string;
  key: string;
  notBefore: Date;
  notAfter: Date;
  subject: string;
  /** Subject alternative names, as OpenSSL prints them (`DNS:localhost, IP Address:127.0.0.1`). */
  altNames: string;
  fingerprint256: string;
}

/**
 * Returns the certificate and key when they can serve TLS: both parse, the key belongs to the
 * (first) certificate, and OpenSSL accepts the pair. Throws `SG_CERT_INVALID` saying what is wrong.
 * Expiry is not checked here (see `certificateProblem`), so an expired certificate can still be
 * loaded at start-up and be reported by /readyz until its renewal arrives.
 */
export function checkCertificate(cert: string, key: string, source: string): ServingCertificate {
  const fail = (problem: string): never => {
    throw new SliceguardError('SG_CERT_INVALID', `${source}: ${problem}`);
  };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    return fail(`the certificate is not a PEM X.509 certificate (${firstLine(err)}).`);
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) fail('the private key does not belong to the certificate.');
  } catch (err) {
    if (err instanceof SliceguardError) throw err;
    fail(`the private key is not a PEM private key (${firstLine(err)}).`);
  }
  try {
    createSecureContext({ ...TLS_SETTINGS, cert, key });
  } catch (err) {
    fail(`OpenSSL refuses the pair (${firstLine(err)}).`);
  }
  return {
    cert,
    key,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    subject: x509.subject.replace(/\n/g, ', '),
    altNames: x509.subjectAltName ?? '',
    fingerprint256: x509.fingerprint256,
  };
}

/** Returns why the certificate cannot be served at `now` (expired, not yet valid), or undefined. */
export function certificateProblem(c: Pick<ServingCertificate, 'notBefore' | 'notAfter'>, now: number): string | undefined {
  if (now >= c.notAfter.getTime()) return `the certificate expired at ${c.notAfter.toISOString()}.`;
  if (now + SKEW_MS < c.notBefore.getTime()) return `the certificate is not valid before ${c.notBefore.toISOString()}.`;
  return undefined;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
