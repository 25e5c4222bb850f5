// Throw-away certificates for the chart tests, made with the openssl CLI (fast ECDSA P-256).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of a CA and a serving certificate for "localhost" that it signed. */
export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
}

/** Writes a CA and a "localhost" serving certificate into `dir`, file names prefixed by `name`. */
export function makeCerts(dir: string, name: string): TestCerts {
  const path = (f: string) => join(dir, `${name}-${f}`);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path('ca.key'),
    '-out', path('ca.crt'), '-days', '1', '-subj', `/CN=${name} test CA`);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path('tls.key'),
    '-out', path('tls.csr'), '-subj', '/CN=localhost');
  writeFileSync(path('ext.cnf'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', path('tls.csr'), '-CA', path('ca.crt'), '-CAkey', path('ca.key'), '-CAcreateserial',
    '-out', path('tls.crt'), '-days', '1', '-extfile', path('ext.cnf'));
  return { ca: path('ca.crt'), cert: path('tls.crt'), key: path('tls.key') };
}
