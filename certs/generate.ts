/**
 * Certificate generation: a CA and a serving certificate for the webhook's Service, as PEM
 * strings. Pure apart from randomness: the time is passed in, nothing touches the disk.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, type X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { SliceguardError } from '../policies/errors.ts';
import { signCertificate, pemBody, type KeyPair } from './sign.ts';
import { keyPairFromPem, parseCertificate, subjectNameDer } from './pem.ts';

/** What `generateCertificateSet` makes. */
export interface CertificateSetOptions {
  /** DNS subjectAltNames of the serving certificate (see `serviceDnsNames`). */
  dnsNames: string[];
  /** IP subjectAltNames of the serving certificate. */
  ipAddresses?: string[];
  /** Validity of the serving certificate in days (default 365); a new CA gets ten times that. */
  days?: number;
  /** The current time; the certificates are valid from an hour before it (clock skew). */
  now: Date;
  /** Key algorithm of new keys: RSA 2048 (default) or ECDSA P-256. */
  keyType?: 'rsa' | 'ecdsa';
  /** Subject common name of the serving certificate (default: the first DNS name). */
  commonName?: string;
  /** An existing CA to sign with instead of making a new one. */
  ca?: { cert: string; key: string };
}

/** PEM strings: the CA certificate and key, and the serving certificate and key. */
export interface CertificateSet {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/** How far before `now` certificates start, as client-go's cert utilities do for clock skew. */
export const BACKDATE_MS = 60 * 60 * 1000;
/** Default validity of a serving certificate, in days. */
export const DEFAULT_DAYS = 365;
/** A new CA lives this many times longer than its serving certificates, so renewals re-use it. */
export const CA_LIFETIME_FACTOR = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Returns the DNS names under which the API server reaches a Service: NAME, NAME.NS, NAME.NS.svc
 * and NAME.NS.svc.CLUSTERDOMAIN. The API server dials `NAME.NS.svc`; the others serve in-cluster
 * clients and tools that use the short or the fully qualified form.
 */
export function serviceDnsNames(service: string, namespace: string, clusterDomain = 'cluster.local'): string[] {
  const domain = clusterDomain.replace(/^\.+|\.+$/g, '');
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.${domain}`];
}

/**
 * Returns a CA (new unless `opts.ca` is given) and a serving certificate signed by it with the
 * given SANs, serverAuth, and validity from an hour before `opts.now`. A serving certificate never
 * outlives the CA that signs it.
 */
export async function generateCertificateSet(opts: CertificateSetOptions): Promise<CertificateSet> {
  const days = opts.days ?? DEFAULT_DAYS;
  if (!Number.isFinite(days) || days <= 0) throw new SliceguardError('SG_USAGE', `Certificate validity must be a positive number of days, not ${days}.`);
  if (opts.dnsNames.length === 0 && (opts.ipAddresses ?? []).length === 0) {
    throw new SliceguardError('SG_USAGE', 'A serving certificate needs at least one DNS name or IP address.');
  }
  const badIp = (opts.ipAddresses ?? []).find((ip) => isIP(ip) === 0);
  if (badIp !== undefined) throw new SliceguardError('SG_USAGE', `${JSON.stringify(badIp)} is not an IPv4 or IPv6 address.`);
  const keyType = opts.keyType ?? 'rsa';
  const notBefore = new Date(opts.now.getTime() - BACKDATE_MS);
  const ca = opts.ca ? loadCa(opts.ca) : newCa(keyType, opts.now, notBefore, days * CA_LIFETIME_FACTOR);
  const leafKeys = newKeyPair(keyType);
  const wanted = new Date(opts.now.getTime() + days * DAY_MS);
  const caNotAfter = new Date(ca.cert.validTo);
  const notAfter = wanted.getTime() > caNotAfter.getTime() ? caNotAfter : wanted;
  const cn = opts.commonName ?? opts.dnsNames[0] ?? opts.ipAddresses?.[0] ?? 'sliceguard';
  const leaf = signCertificate({
    subject: [{ name: 'commonName', value: cn }],
    issuerName: subjectNameDer(ca.cert),
    publicKeyPem: leafKeys.publicKeyPem,
    signer: ca.keys,
    serial: serialNumber(),
    notBefore,
    notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(opts.dnsNames, opts.ipAddresses ?? []) },
      { name: 'authorityKeyIdentifier', keyIdentifier: subjectKeyId(ca.keys.publicKeyPem) },
    ],
    subjectKeyId: subjectKeyId(leafKeys.publicKeyPem),
  });
  return { caCert: ca.pem, caKey: ca.keys.privateKeyPem, cert: leaf, key: leafKeys.privateKeyPem };
}

interface Ca {
  cert: X509Certificate;
  pem: string;
  keys: KeyPair;
}

/** Makes a self-signed CA; its name carries the time, so that two CAs in a bundle differ by name. */
function newCa(keyType: 'rsa' | 'ecdsa', now: Date, notBefore: Date, days: number): Ca {
  const keys = newKeyPair(keyType);
  const name = [{ name: 'commonName', value: `sliceguard-ca@${Math.floor(now.getTime() / 1000)}` }];
  const ski = subjectKeyId(keys.publicKeyPem);
  const pem = signCertificate({
    subject: name,
    publicKeyPem: keys.publicKeyPem,
    signer: keys,
    serial: serialNumber(),
    notBefore,
    notAfter: new Date(now.getTime() + days * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'authorityKeyIdentifier', keyIdentifier: ski },
    ],
    subjectKeyId: ski,
  });
  return { cert: parseCertificate(pem), pem, keys };
}

/** Returns the certificate's PEM as Node writes it: one block, LF endings, no text around it. */
function parsedPem(cert: X509Certificate): string {
  return cert.toString();
}

/** Reads a given CA; throws SG_CERT_INVALID for a certificate that is not a CA or a key that is not its own. */
function loadCa(ca: { cert: string; key: string }): Ca {
  const cert = parseCertificate(ca.cert, 'CA certificate');
  const keys = keyPairFromPem(ca.key, 'CA key');
  const subject = cert.subject.replace(/\n/g, ', ');
  if (!cert.ca) throw new SliceguardError('SG_CERT_INVALID', `The CA certificate ${subject} is not a CA (basicConstraints CA:FALSE).`);
  if (!cert.checkPrivateKey(createPrivateKey(keys.privateKeyPem))) {
    throw new SliceguardError('SG_CERT_INVALID', `The CA key does not belong to the CA certificate ${subject}.`);
  }
  return { cert, pem: parsedPem(cert), keys };
}

/** Returns a new key pair as PEM (PKCS#8 private key); Node's keygen is much faster than forge's. */
function newKeyPair(keyType: 'rsa' | 'ecdsa'): KeyPair {
  const { privateKey, publicKey } = keyType === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    type: keyType,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Returns the subject key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1). */
function subjectKeyId(publicKeyPem: string): string {
  // decodeBitStrings: false keeps the RSA key's BIT STRING as bytes instead of parsing inside it.
  const fromDer = forge.asn1.fromDer as unknown as (der: string, options: { decodeBitStrings: boolean }) => forge.asn1.Asn1;
  const spki = fromDer(pemBody(publicKeyPem), { decodeBitStrings: false });
  const bits = (spki.value as forge.asn1.Asn1[])[1].value as string;
  // The BIT STRING's first byte is the count of unused bits; the key is what follows.
  return createHash('sha1').update(Buffer.from(bits.slice(1), 'binary')).digest('binary');
}

/** Returns a random positive 128-bit serial number as hex (RFC 5280 allows up to 20 octets). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01; // no leading zero byte, so DER encodes exactly 16 octets
  return bytes.toString('hex');
}

/** Returns forge altNames: type 2 is dNSName, type 7 iPAddress (RFC 5280 GeneralName). */
function altNames(dns: string[], ips: string[]): { type: number; value?: string; ip?: string }[] {
  return [...dns.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))];
}
