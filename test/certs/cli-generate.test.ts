/** `sliceguard certs generate` as a user runs it: files, modes, refusing to overwrite, atomic replacement. */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.ts';
import { writeFileAtomic } from '../../certs/files.ts';
import { openssl } from './openssl.ts';
import { captureIo } from './helpers.ts';

describe('sliceguard certs generate', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sg-certs-cli-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const mode = (f: string): string => (statSync(join(dir, f)).mode & 0o777).toString(8);

  it('writes ca.crt, tls.crt and tls.key (0600) into a new directory (0700), whatever the umask', async () => {
    const old = process.umask(0o000);
    try {
      const { io, out, err } = captureIo(dir);
      expect(await main(['certs', 'generate', '--service', 'sliceguard', '--namespace', 'sg-system', '--out', 'tls', '--ip', '127.0.0.1', '--days', '10'], io)).to.equal(0);
      expect(err).to.deep.equal([]);
      expect(out.join('')).to.match(new RegExp(`^Wrote ${join(dir, 'tls', 'ca.crt')}, ${join(dir, 'tls', 'tls.key')}, ${join(dir, 'tls', 'tls.crt')}\\.\\n`
        + 'Certificate for DNS:sliceguard, DNS:sliceguard.sg-system, DNS:sliceguard.sg-system.svc, DNS:sliceguard.sg-system.svc.cluster.local, '
        + 'IP Address:127.0.0.1 is valid until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z, issued by CN=sliceguard-ca@\\d+\\.\\n$'));
    } finally {
      process.umask(old);
    }
    dir = join(dir, 'tls');
    expect(readdirSync(dir).sort()).to.deep.equal(['ca.crt', 'tls.crt', 'tls.key']);
    expect([mode('.'), mode('ca.crt'), mode('tls.crt'), mode('tls.key')]).to.deep.equal(['700', '644', '644', '600']);
    expect(openssl(['verify', '-CAfile', 'ca.crt', 'tls.crt'], dir).out).to.equal('tls.crt: OK\n');
    expect(openssl(['x509', '-in', 'tls.crt', '-noout', '-checkend', String(9 * 86400)], dir).status).to.equal(0);
    expect(openssl(['x509', '-in', 'tls.crt', '-noout', '-checkend', String(11 * 86400)], dir).status).to.equal(1);
    expect(openssl(['x509', '-in', 'tls.crt', '-noout', '-subject'], dir).out).to.equal('subject=CN = sliceguard.sg-system.svc\n');
    expect(openssl(['pkey', '-in', 'tls.key', '-pubout'], dir).out).to.equal(openssl(['x509', '-in', 'tls.crt', '-noout', '-pubkey'], dir).out);
  });

  it('keeps the key at 0600 under a umask of 077 too, and writes ECDSA keys with --key-type ecdsa', async () => {
    const old = process.umask(0o077);
    try {
      expect(await main(['certs', 'generate', '--service', 's', '--namespace', 'n', '--out', dir, '--key-type', 'ecdsa', '--cluster-domain', 'corp.example'], captureIo(dir).io)).to.equal(0);
    } finally {
      process.umask(old);
    }
    expect([mode('ca.crt'), mode('tls.crt'), mode('tls.key')]).to.deep.equal(['644', '644', '600']);
    expect(openssl(['x509', '-in', 'tls.crt', '-noout', '-ext', 'subjectAltName'], dir).out).to.equal('X509v3 Subject Alternative Name: \n    DNS:s, DNS:s.n, DNS:s.n.svc, DNS:s.n.svc.corp.example\n');
    expect(openssl(['pkey', '-in', 'tls.key', '-noout', '-text'], dir).out).to.include('ASN1 OID: prime256v1');
  });

  it('refuses to overwrite without --force, before writing anything; --force replaces every file', async () => {
    writeFileSync(join(dir, 'tls.key'), 'precious');
    const first = captureIo(dir);
    expect(await main(['certs', 'generate', '--service', 's', '--namespace', 'n'], first.io)).to.equal(2);
    expect(first.err.join('')).to.equal(`sliceguard: certs generate: ${join(dir, 'tls.key')} already exists; pass --force to replace. [SG_USAGE]\n`);
    expect(readdirSync(dir)).to.deep.equal(['tls.key']);
    expect(await main(['certs', 'generate', '--service', 's', '--namespace', 'n', '--force'], captureIo(dir).io)).to.equal(0);
    expect(readdirSync(dir).sort()).to.deep.equal(['ca.crt', 'tls.crt', 'tls.key']);
    expect(openssl(['pkey', '-in', 'tls.key', '-pubout'], dir).out).to.equal(openssl(['x509', '-in', 'tls.crt', '-noout', '-pubkey'], dir).out);
  });

  it('signs with --ca-cert and --ca-key', async () => {
    expect(await main(['certs', 'generate', '--service', 'ca', '--namespace', 'n', '--out', 'ca'], captureIo(dir).io)).to.equal(0);
    expect(await main(['certs', 'generate', '--service', 's', '--namespace', 'n', '--out', 'leaf', '--ca-cert', 'ca/ca.crt', '--ca-key', 'ca/tls.key'], captureIo(dir).io)).to.equal(2);
    // ca/tls.key is the serving key, not the CA's: refused. A real CA key pair works.
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Corp CA', '-days', '3', '-keyout', 'corp.key', '-out', 'corp.crt'], dir);
    const run = captureIo(dir);
    expect(await main(['certs', 'generate', '--service', 's', '--namespace', 'n', '--out', 'leaf', '--ca-cert', 'corp.crt', '--ca-key', 'corp.key'], run.io)).to.equal(0);
    expect(run.out.join('')).to.match(/issued by CN=Corp CA\.\n$/);
    expect(openssl(['verify', '-CAfile', 'corp.crt', 'leaf/tls.crt'], dir).out).to.equal('leaf/tls.crt: OK\n');
    expect(readFileSync(join(dir, 'leaf', 'ca.crt'), 'utf8')).to.equal(readFileSync(join(dir, 'corp.crt'), 'utf8'));
  });

  it('says which flag is wrong', async () => {
    const cases: [string[], string][] = [
      [['--namespace', 'n'], 'certs generate: --service is required [SG_USAGE]'],
      [['--service', 's', '--namespace', 'N_S'], 'certs generate: --namespace "N_S": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character [SG_USAGE]'],
      [['--service', 's', '--namespace', 'n', '--days', '1.5'], 'certs generate: --days "1.5": expected a whole number of days from 1 to 36500 [SG_USAGE]'],
      [['--service', 's', '--namespace', 'n', '--key-type', 'dsa'], 'certs generate: --key-type "dsa": expected rsa or ecdsa [SG_USAGE]'],
      [['--service', 's', '--namespace', 'n', '--ca-cert', 'x'], 'certs generate: --ca-cert and --ca-key go together [SG_USAGE]'],
      [['--service', 's', '--namespace', 'n', '--ca-cert', 'x', '--ca-key', 'y'], 'Cannot read x: ENOENT. [SG_CERT_UNREADABLE]'],
      [['--service', 's', '--namespace', 'n', '--ip', '1.2.3'], '"1.2.3" is not an IPv4 or IPv6 address. [SG_USAGE]'],
      [['--service', 's', '--namespace', 'n', 'extra'], 'certs generate: Unexpected argument \'extra\'. This command does not take positional arguments [SG_USAGE]'],
    ];
    for (const [args, message] of cases) {
      const run = captureIo(dir);
      expect(await main(['certs', 'generate', ...args], run.io), args.join(' ')).to.equal(2);
      expect(run.err.join('')).to.equal(`sliceguard: ${message}\n`);
    }
    expect(readdirSync(dir)).to.deep.equal([]);
  });
});

describe('certs/files: writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'sg-certs-atomic-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file whole and leaves no temporary file behind', () => {
    writeFileSync(join(dir, 'tls.key'), 'old');
    writeFileAtomic(join(dir, 'tls.key'), 'new', 0o600);
    expect(readFileSync(join(dir, 'tls.key'), 'utf8')).to.equal('new');
    expect(readdirSync(dir)).to.deep.equal(['tls.key']);
  });

  it('fails with SG_CERT_UNWRITABLE, leaves the target as it was and cleans up its temporary file', () => {
    mkdirSync(join(dir, 'tls.crt'));
    writeFileSync(join(dir, 'tls.crt', 'keep'), 'x');
    expect(() => writeFileAtomic(join(dir, 'tls.crt'), 'new', 0o644)).to.throw(`Cannot write ${join(dir, 'tls.crt')}: `).with.property('code', 'SG_CERT_UNWRITABLE');
    expect(readdirSync(dir)).to.deep.equal(['tls.crt']);
    expect(readdirSync(join(dir, 'tls.crt'))).to.deep.equal(['keep']);
  });
});
