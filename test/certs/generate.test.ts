/**
 * What node-forge (and, for ECDSA, Node's signer) writes, checked with the openssl command line:
 * the chain verifies (also with -x509_strict), the SANs, key usages and validity are there, and
 * the key belongs to the certificate.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKDATE_MS, generateCertificateSet, serviceDnsNames, type CertificateSet } from '../../certs/generate.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { openssl } from './openssl.ts';

const NAMES = serviceDnsNames('sliceguard', 'sg-system');
const NOW = new Date('2026-06-01T00:00:00Z');

function writeSet(dir: string, set: CertificateSet): void {
  writeFileSync(join(dir, 'ca.crt'), set.caCert);
  writeFileSync(join(dir, 'tls.crt'), set.cert);
  writeFileSync(join(dir, 'tls.key'), set.key);
}

describe('certs/generate: serviceDnsNames', () => {
  it('lists the four names of a Service, with the cluster domain configurable', () => {
    expect(NAMES).to.deep.equal(['sliceguard', 'sliceguard.sg-system', 'sliceguard.sg-system.svc', 'sliceguard.sg-system.svc.cluster.local']);
    expect(serviceDnsNames('a', 'b', 'corp.example.')).to.deep.equal(['a', 'a.b', 'a.b.svc', 'a.b.svc.corp.example']);
  });
});

for (const keyType of ['rsa', 'ecdsa'] as const) {
  describe(`certs/generate: a ${keyType} set as openssl reads it`, () => {
    let dir: string;
    let set: CertificateSet;
    const run = (...args: string[]) => openssl(args, dir);
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sg-certs-gen-'));
      set = await generateCertificateSet({ dnsNames: NAMES, ipAddresses: ['127.0.0.1', '::1'], now: NOW, days: 30, keyType });
      writeSet(dir, set);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('verifies against its CA, also under -x509_strict', () => {
      // -attime: the certificates are valid at NOW, not necessarily at the machine's time.
      const at = String(NOW.getTime() / 1000);
      expect(run('verify', '-attime', at, '-CAfile', 'ca.crt', 'tls.crt')).to.deep.equal({ status: 0, out: 'tls.crt: OK\n' });
      expect(run('verify', '-x509_strict', '-attime', at, '-purpose', 'sslserver', '-CAfile', 'ca.crt', 'tls.crt').out).to.equal('tls.crt: OK\n');
    });

    it('carries the SANs, serverAuth, digitalSignature+keyEncipherment and CA:FALSE', () => {
      const ext = run('x509', '-in', 'tls.crt', '-noout', '-ext', 'subjectAltName,extendedKeyUsage,keyUsage,basicConstraints').out;
      expect(ext).to.equal([
        'X509v3 Basic Constraints: critical',
        '    CA:FALSE',
        'X509v3 Key Usage: critical',
        '    Digital Signature, Key Encipherment',
        'X509v3 Extended Key Usage: ',
        '    TLS Web Server Authentication',
        'X509v3 Subject Alternative Name: ',
        '    DNS:sliceguard, DNS:sliceguard.sg-system, DNS:sliceguard.sg-system.svc, DNS:sliceguard.sg-system.svc.cluster.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
        '',
      ].join('\n'));
    });

    it('makes a CA certificate with CA:TRUE and keyCertSign, and links the two by key identifiers', () => {
      expect(run('x509', '-in', 'ca.crt', '-noout', '-ext', 'basicConstraints,keyUsage').out)
        .to.equal('X509v3 Basic Constraints: critical\n    CA:TRUE\nX509v3 Key Usage: critical\n    Digital Signature, Certificate Sign, CRL Sign\n');
      const skid = run('x509', '-in', 'ca.crt', '-noout', '-ext', 'subjectKeyIdentifier').out.split('\n')[1].trim();
      const akid = run('x509', '-in', 'tls.crt', '-noout', '-ext', 'authorityKeyIdentifier').out.split('\n')[1].trim();
      expect(skid).to.match(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      expect(akid.replace(/^keyid:/, '')).to.equal(skid);
    });

    it('is valid from an hour before now for the given days; the CA for ten times that', () => {
      const dates = run('x509', '-in', 'tls.crt', '-noout', '-startdate', '-enddate').out;
      expect(dates).to.equal('notBefore=May 31 23:00:00 2026 GMT\nnotAfter=Jul  1 00:00:00 2026 GMT\n');
      expect(run('x509', '-in', 'ca.crt', '-noout', '-enddate').out).to.equal('notAfter=Mar 28 00:00:00 2027 GMT\n');
      expect(BACKDATE_MS).to.equal(3600_000);
    });

    it('passes and fails openssl x509 -checkend as its validity says', async () => {
      // -checkend counts from the machine's clock, so this certificate is made now.
      const live = await generateCertificateSet({ dnsNames: NAMES, now: new Date(), days: 30, keyType, ca: { cert: set.caCert, key: set.caKey } });
      writeFileSync(join(dir, 'live.crt'), live.cert);
      expect(run('x509', '-in', 'live.crt', '-noout', '-checkend', String(29 * 86400))).to.deep.equal({ status: 0, out: 'Certificate will not expire\n' });
      expect(run('x509', '-in', 'live.crt', '-noout', '-checkend', String(31 * 86400))).to.deep.equal({ status: 1, out: 'Certificate will expire\n' });
    });

    it('writes a key that belongs to the certificate', () => {
      const fromKey = run('pkey', '-in', 'tls.key', '-pubout');
      const fromCert = run('x509', '-in', 'tls.crt', '-noout', '-pubkey');
      expect(fromKey.status).to.equal(0);
      expect(fromKey.out).to.equal(fromCert.out).and.match(/^-----BEGIN PUBLIC KEY-----/);
      expect(run('pkey', '-in', 'tls.key', '-noout', '-text').out).to.match(keyType === 'rsa' ? /Private-Key: \(2048 bit, 2 primes\)/ : /ASN1 OID: prime256v1/);
      if (keyType === 'rsa') expect(run('rsa', '-in', 'tls.key', '-noout', '-modulus').out).to.equal(run('x509', '-in', 'tls.crt', '-noout', '-modulus').out);
    });

    it(`is signed with ${keyType === 'rsa' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256'} and has a positive 16-byte serial`, () => {
      const text = run('x509', '-in', 'tls.crt', '-noout', '-text').out;
      expect(text).to.include(`Signature Algorithm: ${keyType === 'rsa' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256'}`);
      expect(run('x509', '-in', 'tls.crt', '-noout', '-serial').out).to.match(/^serial=(?!00)[0-7][0-9A-F]{31}\n$/);
    });
  });
}

describe('certs/generate: signing with a given CA', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'sg-certs-ca-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('signs an ECDSA certificate with an RSA CA and the other way round, with the CA name as issuer', async () => {
    for (const [caType, leafType] of [['rsa', 'ecdsa'], ['ecdsa', 'rsa']] as const) {
      const ca = await generateCertificateSet({ dnsNames: ['x'], now: NOW, keyType: caType });
      const leaf = await generateCertificateSet({ dnsNames: NAMES, now: NOW, keyType: leafType, ca: { cert: ca.caCert, key: ca.caKey } });
      expect(leaf.caCert).to.equal(ca.caCert);
      expect(leaf.caKey).to.equal(ca.caKey);
      writeSet(dir, leaf);
      expect(openssl(['verify', '-x509_strict', '-attime', String(NOW.getTime() / 1000), '-CAfile', 'ca.crt', 'tls.crt'], dir).out).to.equal('tls.crt: OK\n');
      expect(openssl(['x509', '-in', 'tls.crt', '-noout', '-issuer'], dir).out).to.equal(openssl(['x509', '-in', 'ca.crt', '-noout', '-subject'], dir).out.replace('subject=', 'issuer='));
    }
  });

  it('reads a CA key in PKCS#1 form, as openssl genrsa -traditional writes it', async () => {
    const ca = await generateCertificateSet({ dnsNames: ['x'], now: NOW });
    writeFileSync(join(dir, 'ca.key'), ca.caKey);
    const pkcs1 = openssl(['rsa', '-in', 'ca.key', '-traditional'], dir).out.replace(/^writing RSA key\n/m, '');
    expect(pkcs1).to.match(/^-----BEGIN RSA PRIVATE KEY-----/);
    const leaf = await generateCertificateSet({ dnsNames: NAMES, now: NOW, ca: { cert: ca.caCert, key: pkcs1 } });
    writeSet(dir, leaf);
    expect(openssl(['verify', '-attime', String(NOW.getTime() / 1000), '-CAfile', 'ca.crt', 'tls.crt'], dir).out).to.equal('tls.crt: OK\n');
  });

  it('never lets a certificate outlive its CA', async () => {
    const ca = await generateCertificateSet({ dnsNames: ['x'], now: NOW, days: 3, keyType: 'ecdsa' });
    const leaf = await generateCertificateSet({ dnsNames: NAMES, now: NOW, days: 365, keyType: 'ecdsa', ca: { cert: ca.caCert, key: ca.caKey } });
    writeSet(dir, leaf);
    expect(openssl(['x509', '-in', 'tls.crt', '-noout', '-enddate'], dir).out).to.equal(openssl(['x509', '-in', 'ca.crt', '-noout', '-enddate'], dir).out);
  });

  it('refuses a CA key of another CA, a serving certificate as CA, and nonsense options', async () => {
    const a = await generateCertificateSet({ dnsNames: ['x'], now: NOW, keyType: 'ecdsa' });
    const b = await generateCertificateSet({ dnsNames: ['x'], now: NOW, keyType: 'ecdsa' });
    const fails = async (p: Promise<unknown>, code: string, message: RegExp) => {
      const err = await p.then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(SliceguardError).and.include({ code });
      expect((err as Error).message).to.match(message);
    };
    await fails(generateCertificateSet({ dnsNames: ['x'], now: NOW, ca: { cert: a.caCert, key: b.caKey } }), 'SG_CERT_INVALID', /^The CA key does not belong to the CA certificate CN=sliceguard-ca@\d+\.$/);
    await fails(generateCertificateSet({ dnsNames: ['x'], now: NOW, ca: { cert: a.cert, key: a.key } }), 'SG_CERT_INVALID', /is not a CA \(basicConstraints CA:FALSE\)\.$/);
    await fails(generateCertificateSet({ dnsNames: ['x'], now: NOW, ca: { cert: 'x', key: a.caKey } }), 'SG_CERT_INVALID', /^The CA certificate holds no PEM CERTIFICATE block\.$/);
    await fails(generateCertificateSet({ dnsNames: ['x'], now: NOW, ca: { cert: a.caCert, key: 'nope' } }), 'SG_CERT_INVALID', /^The CA key does not parse: /);
    await fails(generateCertificateSet({ dnsNames: [], now: NOW }), 'SG_USAGE', /at least one DNS name or IP address/);
    await fails(generateCertificateSet({ dnsNames: ['x'], now: NOW, days: 0 }), 'SG_USAGE', /positive number of days, not 0\.$/);
  });
});
