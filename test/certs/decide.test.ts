import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { caBundle, planCertificates, type StoredCertificates, type Wanted } from '../../certs/decide.ts';
import { generateCertificateSet, serviceDnsNames, type CertificateSet } from '../../certs/generate.ts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-03-01T12:00:00Z');
const NAMES = serviceDnsNames('sliceguard', 'sg-system');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);
const want = (now: Date, over: Partial<Wanted> = {}): Wanted => ({ dnsNames: NAMES, now, renewBefore: 1 / 3, days: 90, ...over });
const stored = (s: CertificateSet, over: Partial<StoredCertificates> = {}): StoredCertificates =>
  ({ tlsCrt: s.cert, tlsKey: s.key, caCrt: s.caCert, caKey: s.caKey, ...over });

describe('certs/decide: planCertificates with an injected clock', () => {
  // A 90-day certificate from a 900-day CA, made at T0.
  let set: CertificateSet;
  let other: CertificateSet;
  before(async () => {
    set = await generateCertificateSet({ dnsNames: NAMES, now: T0, days: 90, keyType: 'ecdsa' });
    other = await generateCertificateSet({ dnsNames: NAMES, now: T0, days: 90, keyType: 'ecdsa' });
  });

  it('keeps a fresh certificate', () => {
    const plan = planCertificates(stored(set), want(at(1)));
    expect(plan.action).to.equal('keep');
    expect(plan.reason).to.equal('The certificate is valid until 2026-05-30T12:00:00.000Z and names the Service.');
  });

  it('keeps it until a third of its validity is left, then renews it from the same CA', () => {
    // Valid from T0 - 1 h to T0 + 90 d: a third of that is 30 d + 20 min before the end.
    expect(planCertificates(stored(set), want(at(59))).action).to.equal('keep');
    const plan = planCertificates(stored(set), want(at(60)));
    expect(plan).to.deep.equal({ action: 'renew', reason: 'The certificate expires at 2026-05-30T12:00:00.000Z, less than 33% of its validity from now.' });
  });

  it('follows --renew-before', () => {
    expect(planCertificates(stored(set), want(at(80), { renewBefore: 0.1 })).action).to.equal('keep');
    expect(planCertificates(stored(set), want(at(82), { renewBefore: 0.1 })).action).to.equal('renew');
  });

  it('renews an expired certificate', () => {
    expect(planCertificates(stored(set), want(at(91)))).to.deep.equal({ action: 'renew', reason: 'The certificate expired at 2026-05-30T12:00:00.000Z.' });
  });

  it('renews a certificate that is not valid yet (made by a clock far ahead of this one)', async () => {
    const ahead = await generateCertificateSet({ dnsNames: NAMES, now: at(1), days: 90, keyType: 'ecdsa', ca: { cert: set.caCert, key: set.caKey } });
    const plan = planCertificates(stored(set, { tlsCrt: ahead.cert, tlsKey: ahead.key }), want(new Date(at(1).getTime() - 2 * 60 * 60 * 1000)));
    expect(plan).to.deep.equal({ action: 'renew', reason: 'The certificate is not valid before 2026-03-02T11:00:00.000Z.' });
  });

  it('renews when the SANs are not the Service names', () => {
    const plan = planCertificates(stored(set), want(at(1), { dnsNames: serviceDnsNames('sliceguard', 'other') }));
    expect(plan.action).to.equal('renew');
    expect(plan.reason).to.equal('The certificate names sliceguard, sliceguard.sg-system, sliceguard.sg-system.svc, sliceguard.sg-system.svc.cluster.local; '
      + 'expected sliceguard, sliceguard.other, sliceguard.other.svc, sliceguard.other.svc.cluster.local.');
  });

  it('renews when the cluster domain changed', () => {
    const plan = planCertificates(stored(set), want(at(1), { dnsNames: serviceDnsNames('sliceguard', 'sg-system', 'example.org') }));
    expect(plan.action).to.equal('renew');
  });

  it('renews a broken tls.crt, a missing tls.key and a key of another certificate', () => {
    expect(planCertificates(stored(set, { tlsCrt: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }), want(at(1))))
      .to.include({ action: 'renew' }).and.have.property('reason').that.matches(/^The Secret's tls\.crt does not parse: /);
    expect(planCertificates(stored(set, { tlsCrt: 'not PEM at all' }), want(at(1))).reason)
      .to.equal("The Secret's tls.crt does not parse: The certificate holds no PEM CERTIFICATE block.");
    expect(planCertificates(stored(set, { tlsKey: undefined }), want(at(1)))).to.deep.equal({ action: 'renew', reason: 'The Secret has no tls.key.' });
    expect(planCertificates(stored(set, { tlsKey: other.key }), want(at(1)))).to.deep.equal({ action: 'renew', reason: "The Secret's tls.key does not belong to its tls.crt." });
  });

  it('renews a certificate that its ca.crt did not sign', () => {
    const mixed = stored(set, { tlsCrt: other.cert, tlsKey: other.key });
    expect(planCertificates(mixed, want(at(1)))).to.deep.equal({ action: 'renew', reason: "The Secret's tls.crt is not signed by its ca.crt." });
  });

  it('makes a new CA when there is no Secret, no ca.key, a broken ca.crt or a ca.key of another CA', () => {
    expect(planCertificates(undefined, want(at(1)))).to.deep.equal({ action: 'rotate-ca', reason: 'The Secret does not exist.' });
    expect(planCertificates(stored(set, { caKey: undefined }), want(at(1))))
      .to.deep.equal({ action: 'rotate-ca', reason: 'The Secret has no ca.key, so its CA cannot sign a renewal.' });
    expect(planCertificates(stored(set, { caCrt: '-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----' }), want(at(1))).action).to.equal('rotate-ca');
    expect(planCertificates(stored(set, { caKey: other.caKey }), want(at(1))))
      .to.deep.equal({ action: 'rotate-ca', reason: "The Secret's ca.key does not belong to its ca.crt." });
    expect(planCertificates(stored(set, { caKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), want(at(1))).action).to.equal('rotate-ca');
  });

  it('leaves a CA that is only due to a run that can publish the new CA first, but replaces a broken one', async () => {
    const recent = await generateCertificateSet({ dnsNames: NAMES, now: at(600), days: 90, keyType: 'ecdsa', ca: { cert: set.caCert, key: set.caKey } });
    const s = stored(set, { tlsCrt: recent.cert, tlsKey: recent.key });
    expect(planCertificates(s, want(at(601))).action).to.equal('rotate-ca');
    expect(planCertificates(s, want(at(601), { deferCaRotation: true }))).to.deep.equal({ action: 'keep', reason: 'The certificate is valid until 2028-01-20T12:00:00.000Z and names the Service.'
      + ' The CA expires at 2028-08-17T12:00:00.000Z, less than 33% of its validity from now. A new CA waits for a run with --webhook-config, which puts it into caBundle first.' });
    expect(planCertificates(s, want(at(661), { deferCaRotation: true })).action).to.equal('renew');
    expect(planCertificates(s, want(at(901), { deferCaRotation: true })).action).to.equal('rotate-ca');
    expect(planCertificates(stored(set, { caKey: undefined }), want(at(1), { deferCaRotation: true })).action).to.equal('rotate-ca');
  });

  it('makes a new CA when ca.crt is a serving certificate', () => {
    const plan = planCertificates(stored(set, { caCrt: set.cert, caKey: set.key }), want(at(1)));
    expect(plan).to.deep.equal({ action: 'rotate-ca', reason: "The Secret's ca.crt is not a CA certificate." });
  });

  it('makes a new CA inside the CA renewal window, or when the CA would end before a new certificate', () => {
    // The CA lives 900 days; at day 601 less than a third is left.
    expect(planCertificates(stored(set), want(at(601))).action).to.equal('rotate-ca');
    expect(planCertificates(stored(set), want(at(901))).reason).to.equal('The CA expired at 2028-08-17T12:00:00.000Z.');
    // At day 1 the CA has 899 days left: enough for 90-day certificates, not for 1000-day ones.
    expect(planCertificates(stored(set), want(at(1), { days: 1000 })))
      .to.deep.equal({ action: 'rotate-ca', reason: 'The CA expires in 899 days, before a 1000-day certificate would.' });
  });
});

describe('certs/decide: caBundle', () => {
  let oldCa: CertificateSet;
  let newCa: CertificateSet;
  let expired: CertificateSet;
  const count = (pem: string): number => (pem.match(/BEGIN CERTIFICATE/g) ?? []).length;
  const subjects = (pem: string): string[] => pem.split(/(?<=-----END CERTIFICATE-----\n)/).filter(Boolean).map((p) => new X509Certificate(p).subject);
  before(async () => {
    oldCa = await generateCertificateSet({ dnsNames: NAMES, now: T0, days: 90, keyType: 'ecdsa' });
    expired = await generateCertificateSet({ dnsNames: NAMES, now: at(-2000), days: 10, keyType: 'ecdsa' });
    newCa = await generateCertificateSet({ dnsNames: NAMES, now: at(600), days: 90, keyType: 'ecdsa' });
  });

  it('puts the current CA first and keeps an earlier CA while a certificate it signed may still be served', () => {
    const bundle = caBundle(newCa.caCert, [oldCa.caCert], at(600), 90);
    expect(subjects(bundle)).to.deep.equal([new X509Certificate(newCa.caCert).subject, new X509Certificate(oldCa.caCert).subject]);
    expect(count(caBundle(newCa.caCert, [oldCa.caCert], at(689), 90))).to.equal(2);
  });

  it('drops earlier CAs once every certificate they signed has expired (days after the new CA was made)', () => {
    expect(caBundle(newCa.caCert, [oldCa.caCert], at(690), 90)).to.equal(new X509Certificate(newCa.caCert).toString());
  });

  it('drops expired CAs, serving certificates, duplicates and junk, and keeps at most four CAs', async () => {
    const more = await Promise.all([1, 2, 3, 4].map((d) => generateCertificateSet({ dnsNames: NAMES, now: at(d), days: 90, keyType: 'ecdsa' })));
    const earlier = [expired.caCert, oldCa.cert, newCa.caCert, 'garbage', oldCa.caCert + oldCa.caCert, ...more.map((m) => m.caCert)];
    const bundle = caBundle(newCa.caCert, earlier, at(600), 90);
    // Newest first: the CAs made on days 4, 3 and 2 make it; day 1 and the day-0 CA do not.
    expect(subjects(bundle)).to.deep.equal([newCa, more[3], more[2], more[1]].map((s) => new X509Certificate(s.caCert).subject));
  });

  it('is stable: the same inputs give the same bytes, so an up-to-date caBundle is not patched again', () => {
    expect(caBundle(newCa.caCert, [oldCa.caCert], at(600), 90)).to.equal(caBundle(newCa.caCert, [caBundle(newCa.caCert, [oldCa.caCert], at(600), 90)], at(600), 90));
  });
});
