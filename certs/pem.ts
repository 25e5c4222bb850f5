/**
 * Reading PEM: certificates through Node's X509Certificate (which, unlike node-forge, reads
 * ECDSA certificates too) and private keys through Node's KeyObject.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { SliceguardError } from '../policies/errors.ts';
import type { KeyPair } from './sign.ts';

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/** Returns every certificate in a PEM bundle, in order; throws `SG_CERT_INVALID` if one does not parse. */
export function parseCertificates(pem: string, what = 'certificate'): X509Certificate[] {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) throw new SliceguardError('SG_CERT_INVALID', `The ${what} holds no PEM CERTIFICATE block.`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new SliceguardError('SG_CERT_INVALID', `The ${what} block ${i + 1} does not parse: ${(err as Error).message}.`);
    }
  });
}

/** Returns the first certificate of a PEM string; throws `SG_CERT_INVALID` when there is none. */
export function parseCertificate(pem: string, what = 'certificate'): X509Certificate {
  return parseCertificates(pem, what)[0];
}

/** Returns the key pair of a PEM private key (PKCS#1, SEC1 or PKCS#8, RSA or EC). */
export function keyPairFromPem(pem: string, what = 'private key'): KeyPair {
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new SliceguardError('SG_CERT_INVALID', `The ${what} does not parse: ${(err as Error).message}.`);
  }
  const kind = key.asymmetricKeyType;
  if (kind !== 'rsa' && kind !== 'ec') {
    throw new SliceguardError('SG_CERT_INVALID', `The ${what} is a ${kind} key; sliceguard signs with RSA or ECDSA keys.`);
  }
  return {
    type: kind === 'rsa' ? 'rsa' : 'ecdsa',
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Returns true when the private key belongs to the certificate (same public key). */
export function keyMatchesCertificate(cert: X509Certificate, keyPem: string): boolean {
  try {
    const pub = createPublicKey(createPrivateKey(keyPem));
    return pub.equals(cert.publicKey);
  } catch {
    return false;
  }
}

/** Returns the DER of the certificate's subject Name (binary string), to copy byte for byte as an issuer. */
export function subjectNameDer(cert: X509Certificate): string {
  const certificate = forge.asn1.fromDer(cert.raw.toString('binary'));
  const tbs = (certificate.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  // With the explicit [0] version field first (every v3 certificate), the subject is the 6th field.
  const offset = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return forge.asn1.toDer(tbs[4 + offset]).getBytes();
}

/** Returns the DNS names and IP addresses of the certificate's subjectAltName extension. */
export function subjectAltNames(cert: X509Certificate): { dns: string[]; ips: string[] } {
  const dns: string[] = [];
  const ips: string[] = [];
  // Node prints `DNS:a, DNS:b, IP Address:10.0.0.1`; names with commas or quotes are quoted, and
  // a DNS SAN can never contain either, so a plain split is exact for the names compared here.
  for (const part of (cert.subjectAltName ?? '').split(', ')) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ips.push(part.slice(11));
  }
  return { dns, ips };
}
