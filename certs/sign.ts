/**
 * X.509 signing. node-forge encodes the certificate (names, validity, extensions) and signs RSA;
 * it cannot encode or sign ECDSA, so for EC keys the public key and signature algorithm are
 * spliced into forge's TBSCertificate and Node's crypto signs it. Both paths emit the same DER.
 */
import { sign as cryptoSign } from 'node:crypto';
import forge from 'node-forge';

/** A key pair as PEM: PKCS#8 private key and SPKI public key. */
export interface KeyPair {
  type: 'rsa' | 'ecdsa';
  privateKeyPem: string;
  publicKeyPem: string;
}

/** What a certificate says; `issuerName` is the issuer's subject Name as DER bytes (absent: self-signed). */
export interface CertificateTemplate {
  subject: { name: string; value: string }[];
  issuerName?: string;
  publicKeyPem: string;
  signer: KeyPair;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
  /** Subject key identifier bytes (binary string). */
  subjectKeyId: string;
}

const { asn1 } = forge;
/** forge exports getTBSCertificate, but @types/node-forge does not declare it. */
interface TbsBuilder {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/** Returns the PEM of a certificate built from the template and signed with `signer`. */
export function signCertificate(t: CertificateTemplate): string {
  const cert = forge.pki.createCertificate();
  // A placeholder RSA key lets forge build the TBSCertificate; the real SPKI replaces it below.
  cert.publicKey = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger('3', 10), new forge.jsbn.BigInteger('3', 10));
  cert.serialNumber = t.serial;
  cert.validity.notBefore = t.notBefore;
  cert.validity.notAfter = t.notAfter;
  cert.setSubject(t.subject);
  cert.setIssuer(t.subject);
  cert.siginfo.algorithmOid = SHA256_WITH_RSA;
  const ski = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, t.subjectKeyId);
  cert.setExtensions([...t.extensions, { name: 'subjectKeyIdentifier', value: ski }]);
  const tbs = (forge.pki as unknown as TbsBuilder).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  const algorithm = algorithmIdentifier(t.signer.type);
  fields[2] = algorithm;
  if (t.issuerName !== undefined) fields[3] = asn1.fromDer(t.issuerName);
  fields[6] = asn1.fromDer(pemBody(t.publicKeyPem));
  const tbsDer = asn1.toDer(tbs).getBytes();
  const signature = signBytes(tbsDer, t.signer);
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmIdentifier(t.signer.type),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\x00${signature}`),
  ]);
  return toPem('CERTIFICATE', asn1.toDer(certificate).getBytes());
}

/** Returns the signature of `der` (binary string): PKCS#1 v1.5 by forge, or DER ECDSA by Node. */
function signBytes(der: string, signer: KeyPair): string {
  if (signer.type === 'rsa') {
    const md = forge.md.sha256.create();
    md.update(der, 'raw');
    return (forge.pki.privateKeyFromPem(signer.privateKeyPem) as forge.pki.rsa.PrivateKey).sign(md);
  }
  return cryptoSign('sha256', Buffer.from(der, 'binary'), signer.privateKeyPem).toString('binary');
}

/** Returns the AlgorithmIdentifier: RSA carries NULL parameters, ECDSA none (RFC 5758 3.2). */
function algorithmIdentifier(type: KeyPair['type']): forge.asn1.Asn1 {
  const oid = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false,
    asn1.oidToDer(type === 'rsa' ? SHA256_WITH_RSA : ECDSA_WITH_SHA256).getBytes());
  const params = type === 'rsa' ? [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')] : [];
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [oid, ...params]);
}

/** Returns the DER bytes (binary string) of the first PEM block. */
export function pemBody(pem: string): string {
  const m = /-----BEGIN [^-]+-----([^-]*)-----END [^-]+-----/.exec(pem);
  return forge.util.decode64((m ? m[1] : '').replace(/\s+/g, ''));
}

/** Returns PEM with LF line endings and 64-character lines, as openssl and Go write it. */
export function toPem(label: string, der: string): string {
  const b64 = forge.util.encode64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
