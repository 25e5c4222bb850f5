/**
 * `validate --fix` and `--fix-dry-run`, through the built CLI on temporary copies of commented
 * files, comparing whole files and whole outputs.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, CLI } from './built-cli.ts';

const WEB = `# Backends of the web Service, kept by the platform team.
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  uid: 6f1c2a8e-0b4c-4c57-9a53-2f3d8e61b0c4
spec:
  ports:
  - name: http      # the public port
    port: 80
    targetPort: 8080
---
# Written by hand: the pods run outside the cluster.
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  namespace: shop
  resourceVersion: "4711"   # pasted from kubectl get -o yaml
  labels:
    kubernetes.io/service-name: web   # ties the slice to the Service
addressType: IPv6
ports:
- name: http
  port: 8080
  protocol: TCP
endpoints:
- addresses: ["2001:DB8::0A"]   # rack 1
  conditions:
    ready: true
- addresses:
  - 'fd00:0:0:0::b'   # rack 2
  zone: "eu-1"
---
kind: ConfigMap   # untouched
apiVersion: v1
metadata: {name: notes, namespace: shop}
data: {a: "yes", b: 'on'}
`;

const WEB_FIXED = WEB.replace('  resourceVersion: "4711"   # pasted from kubectl get -o yaml\n', '')
  .replace('web   # ties the slice to the Service\n', 'web   # ties the slice to the Service\n    endpointslice.kubernetes.io/managed-by: sliceguard\n')
  .replace('["2001:DB8::0A"]', '["2001:db8::a"]')
  .replace("'fd00:0:0:0::b'", "'fd00::b'");

let dir: string;
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'validate', '--format', 'json', ...args], { encoding: 'utf8', cwd: dir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('validate --fix (built CLI)', function () {
  this.timeout(60000);
  before(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-fix-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes only the fixed nodes back, keeping comments, quoting, key order and the other documents', () => {
    const path = file('web.yaml', WEB);
    const r = cli('--fix', 'web.yaml');
    expect(r.stderr).to.equal('');
    expect(readFileSync(path, 'utf8')).to.equal(WEB_FIXED);
    expect(r.status).to.equal(0);
    expect(JSON.parse(r.stdout).summary).to.deep.equal({ files: 1, documents: 3, endpointSlices: 1, denied: 0, warned: 0 });
  });

  it('is idempotent: a second run changes nothing', () => {
    const path = file('again.yaml', WEB_FIXED);
    expect(cli('--fix', 'again.yaml').status).to.equal(0);
    expect(readFileSync(path, 'utf8')).to.equal(WEB_FIXED);
  });

  it('applies opt-in fixes named in the policy: conditions, ownerReference, a managed-by value', () => {
    const path = file('web2.yaml', WEB);
    file('policy.yaml', 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  explicit-conditions: warn\n  owner-reference: warn\n  managed-by-missing: {options: {value: platform-team}}\n');
    expect(cli('--fix', '--policy', 'policy.yaml', 'web2.yaml').status).to.equal(0);
    expect(readFileSync(path, 'utf8')).to.equal(
      WEB_FIXED.replace('managed-by: sliceguard\n', 'managed-by: platform-team\n  ownerReferences:\n  - apiVersion: v1\n    kind: Service\n    name: web\n    uid: 6f1c2a8e-0b4c-4c57-9a53-2f3d8e61b0c4\n')
        .replace('    ready: true\n', '    ready: true\n    serving: true\n    terminating: false\n')
        .replace('  zone: "eu-1"\n', '  zone: "eu-1"\n  conditions:\n    ready: true\n    serving: true\n    terminating: false\n'),
    );
  });

  it('prints a unified diff with --fix-dry-run and leaves the file alone', () => {
    const path = file('dry.yaml', WEB);
    const r = cli('--fix-dry-run', 'dry.yaml');
    expect(readFileSync(path, 'utf8')).to.equal(WEB);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal(`--- a/dry.yaml
+++ b/dry.yaml
@@ -17,20 +17,20 @@
 metadata:
   name: web-1
   namespace: shop
-  resourceVersion: "4711"   # pasted from kubectl get -o yaml
   labels:
     kubernetes.io/service-name: web   # ties the slice to the Service
+    endpointslice.kubernetes.io/managed-by: sliceguard
 addressType: IPv6
 ports:
 - name: http
   port: 8080
   protocol: TCP
 endpoints:
-- addresses: ["2001:DB8::0A"]   # rack 1
+- addresses: ["2001:db8::a"]   # rack 1
   conditions:
     ready: true
 - addresses:
-  - 'fd00:0:0:0::b'   # rack 2
+  - 'fd00::b'   # rack 2
   zone: "eu-1"
 ---
 kind: ConfigMap   # untouched
`);
  });

  it('fixes List items in flow style, and exits 1 when denials remain', () => {
    const text = '# items\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: discovery.k8s.io/v1\n    kind: EndpointSlice\n    metadata: {name: a-1, labels: {kubernetes.io/service-name: a}}\n    addressType: IPv4\n    endpoints: [{addresses: ["010.0.0.1"]}, {addresses: ["224.0.1.1"]}]\n';
    const path = file('list.yaml', text);
    const r = cli('--fix', 'list.yaml');
    expect(readFileSync(path, 'utf8')).to.equal(
      text.replace('service-name: a}', 'service-name: a, endpointslice.kubernetes.io/managed-by: sliceguard}').replace('"010.0.0.1"', '"10.0.0.1"'),
    );
    expect(r.status).to.equal(1);
    const violations = JSON.parse(r.stdout).results[0].violations;
    expect(violations.map((v: { rule: string; pointer: string }) => `${v.rule} ${v.pointer}`)).to.deep.equal(['special-ip /items/0/endpoints/1/addresses/0']);
  });

  it('re-writes JSON with its own indentation', () => {
    const path = file('j.json', '{\n    "apiVersion": "discovery.k8s.io/v1",\n    "kind": "EndpointSlice",\n    "metadata": {"name": "j-1", "labels": {"kubernetes.io/service-name": "j"}},\n    "addressType": "IPv4",\n    "endpoints": [{"addresses": ["10.0.0.1"]}]\n}\n');
    expect(cli('--fix', 'j.json').status).to.equal(0);
    const out = readFileSync(path, 'utf8');
    expect(out).to.match(/^\{\n {4}"apiVersion"/);
    expect(JSON.parse(out).metadata.labels).to.deep.equal({ 'kubernetes.io/service-name': 'j', 'endpointslice.kubernetes.io/managed-by': 'sliceguard' });
  });

  it('leaves a document it cannot edit (through an alias) unchanged and says so on stderr', () => {
    const text = 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n  annotations: &shared\n    kubernetes.io/service-name: db\n  labels: *shared\naddressType: IPv4\nendpoints:\n  - addresses: ["10.0.0.1"]\n';
    const path = file('alias.yaml', text);
    const r = cli('--fix', 'alias.yaml');
    expect(readFileSync(path, 'utf8')).to.equal(text);
    expect(r.stderr).to.equal('sliceguard: alias.yaml: document 0: the fixes could not be applied to its text; left unchanged\n');
  });

  it('refuses --fix on stdin and --fix with --fix-dry-run, with one line and exit 2', () => {
    const r = cli('--fix', '-');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal('sliceguard: validate: --fix cannot write back to stdin; use --fix-dry-run to see the changes [SG_USAGE]\n');
    expect(cli('--fix', '--fix-dry-run', 'x.yaml').stderr).to.equal('sliceguard: validate: --fix and --fix-dry-run exclude each other; pick one [SG_USAGE]\n');
  });
});
