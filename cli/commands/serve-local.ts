/**
 * `sliceguard serve` without certificates, outside a cluster: a throw-away CA and serving
 * certificate for localhost in a fresh temporary directory, and an example review, so that a
 * newcomer can `curl --cacert` the webhook at once (`npm start`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificateSet } from '../../certs/generate.ts';

/** The files of a throw-away set-up. */
export interface ThrowAway {
  dir: string;
  caFile: string;
  cert: string;
  key: string;
  reviewFile: string;
  /** Deletes the directory (the keys in it are worthless after the process ends). */
  remove(): void;
  /** The lines printed at start for a server listening on `url` (see `throwAwayBanner`). */
  banner(url: string): string;
}

/** Days the throw-away serving certificate is valid. */
const DAYS = 7;

/** Creates the throw-away CA, serving certificate (localhost, 127.0.0.1, ::1) and example review. */
export async function makeThrowAwayCertificates(host: string): Promise<ThrowAway> {
  const ips = ['127.0.0.1', '::1'];
  if (/^[\d.]+$|:/.test(host) && !ips.includes(host) && host !== '0.0.0.0' && host !== '::') ips.push(host);
  const set = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ips, now: new Date(), days: DAYS });
  const dir = mkdtempSync(join(tmpdir(), 'sliceguard-'));
  const file = (name: string, text: string, mode = 0o644): string => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode });
    return path;
  };
  const local: ThrowAway = {
    dir,
    caFile: file('ca.crt', set.caCert),
    cert: file('tls.crt', set.cert),
    key: file('tls.key', set.key, 0o600),
    reviewFile: file('review.json', `${JSON.stringify(exampleReview(), null, 2)}\n`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
    banner: (url) => throwAwayBanner(local, url),
  };
  return local;
}

/** Returns the lines printed at start: where the CA is and a curl line that works as pasted. */
function throwAwayBanner(local: ThrowAway, url: string): string {
  const q = (s: string): string => (/^[\w./:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const curlUrl = url.replace('://localhost:', '://127.0.0.1:');
  return [
    'sliceguard: no --cert/--key, so this is a throw-away set-up for trying sliceguard out',
    `  CA certificate:  ${local.caFile}  (deleted on exit)`,
    `  listening on:    ${url}  (POST /validate, /mutate; GET /healthz, /readyz, /metrics)`,
    `  example review:  ${local.reviewFile}`,
    'Try it:',
    `  curl --cacert ${q(local.caFile)} ${curlUrl}/validate -H 'Content-Type: application/json' -d @${q(local.reviewFile)}`,
    '',
  ].join('\n');
}

/** A CREATE of a hand-written slice with a reserved address, a second address and no managed-by label. */
function exampleReview(): unknown {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '7f0c2a5e-1d4b-4c3a-9e8f-0a1b2c3d4e5f',
      kind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
      resource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
      name: 'web-manual',
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object: {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'web-manual', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
        endpoints: [{ addresses: ['10.1.2.3', '240.0.0.7'], conditions: { ready: true } }],
      },
      oldObject: null,
      dryRun: false,
    },
  };
}
