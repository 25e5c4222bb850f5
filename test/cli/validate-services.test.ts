/** `validate` with Services, cross-slice checks, --strict and policy files, run in-process. */
import { expect } from 'chai';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from './process.ts';

let dir: string;
function write(name: string, text: string): void {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
}
const validate = (...args: string[]): ReturnType<typeof runInProcess> => runInProcess(dir, ['validate', '--format', 'json', ...args]);
type Result = { file: string; name: string | null; violations: { rule: string; severity: string; line: number; column: number; message: string }[] };
const findings = (out: string) =>
  (JSON.parse(out).results as Result[]).flatMap((r) => r.violations.map((v) => `${r.file}:${v.line}:${v.column} ${v.rule} ${v.severity}`));

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n    - {name: metrics, port: 9100}\n';
const part = (name: string, ports: string, addresses: string[], ns = '  namespace: shop\n') =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ${name}\n${ns}  labels:\n    kubernetes.io/service-name: api\n    endpointslice.kubernetes.io/managed-by: team\naddressType: IPv4\nports: ${ports}\nendpoints:\n${addresses.map((a) => `  - addresses: ["${a}"]\n`).join('')}`;

describe('validate: Services and cross-slice checks', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-validate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes Services from any input file and attaches cross-slice findings with positions', async () => {
    write('a/s1.yaml', part('api-1', '[{name: http}]', ['10.0.0.1', '10.0.0.2']));
    write('a/s2.yaml', part('api-2', '[{name: http}]', ['10.0.0.3', '10.0.0.2']));
    write('b/svc.yaml', SERVICE);
    const r = await validate('a', 'b');
    expect(findings(r.out)).to.deep.equal([
      'a/s1.yaml:10:1 port-name-mismatch deny',
      'a/s2.yaml:13:17 duplicate-address warn',
      'a/s2.yaml:10:1 port-name-mismatch deny',
    ]);
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.out).summary).to.deep.equal({ files: 3, documents: 3, endpointSlices: 2, denied: 2, warned: 1 });
  });

  it('takes Services from --services, which are context only', async () => {
    write('svc/all.yaml', SERVICE);
    write('s.yaml', part('api-1', '[{name: http}, {name: metrics}]', ['10.0.0.1']).replace('name: api\n', 'name: apx\n').replace('service-name: api', 'service-name: apx'));
    const r = await validate('--services', 'svc', 's.yaml');
    expect(findings(r.out)).to.deep.equal(['s.yaml:7:5 service-not-found deny']);
    expect(JSON.parse(r.out).summary.files).to.equal(1);
  });

  it('keeps Service-aware rules silent without any Service source', async () => {
    write('s.yaml', part('api-1', '[{name: nope}]', ['10.0.0.1']));
    const r = await validate('s.yaml');
    expect(findings(r.out)).to.deep.equal([]);
    expect(r.code).to.equal(0);
  });

  it('places manifests without a namespace in --namespace', async () => {
    write('svc.yaml', SERVICE);
    write('s.yaml', part('api-1', '[{name: http}, {name: metrics}]', ['10.0.0.1'], ''));
    expect(findings((await validate('s.yaml', 'svc.yaml')).out)).to.deep.equal(['s.yaml:6:5 service-not-found deny']);
    expect(findings((await validate('--namespace', 'shop', 's.yaml', 'svc.yaml')).out)).to.deep.equal([]);
  });

  it('--strict turns warnings into denials', async () => {
    write('s.yaml', part('api-1', '[{name: http}]', ['10.0.0.1', '10.0.0.1']));
    expect((await validate('s.yaml')).code).to.equal(0);
    const strict = await validate('--strict', 's.yaml');
    expect(findings(strict.out)).to.deep.equal(['s.yaml:13:17 duplicate-address deny']);
    expect(strict.code).to.equal(1);
  });

  it('applies a policy file, and stops with exit 2 and one line for a bad one', async () => {
    write('s.yaml', part('api-1', '[{name: http}]', ['10.0.0.1', '10.0.0.1']));
    write('p.yaml', 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  duplicate-address: deny\n');
    const withPolicy = await validate('--policy', 'p.yaml', 's.yaml');
    expect(withPolicy.code, withPolicy.err).to.equal(1);
    write('bad.yaml', 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  duplicate-adress: deny\n');
    const r = await validate('--policy', 'bad.yaml', 's.yaml');
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err).to.match(/^sliceguard: bad\.yaml: rules\.duplicate-adress: unknown rule id \(did you mean "duplicate-address"\?\); known policy rules: [^\n]+ \[SG_POLICY_INVALID\]\n$/);
    expect((await validate('--policy', 'missing.yaml', 's.yaml')).err).to.equal('sliceguard: missing.yaml: no such file or directory [SG_POLICY_UNREADABLE]\n');
  });
});
