/**
 * `validate` takes documents through in stages, STAGE_DOCUMENTS at a time (read, evaluated, made
 * into results; cli/validate-files.ts). These tests put many more documents than that into one
 * file, with a syntax error, a List of several slices and findings that are only known at the end
 * of the run, and check that every result and every finding lands on its own document.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGE_DOCUMENTS, STAGE_TEXT } from '../../cli/validate-files.ts';
import { runInProcess } from './process.ts';

const SLICE = (name: string, address: string) =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ${name}\n  namespace: shop\n  labels:\n    kubernetes.io/service-name: api\n` +
  `    endpointslice.kubernetes.io/managed-by: team\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints:\n  - addresses: ["${address}"]\n`;
const LIST = (names: string[]) =>
  `apiVersion: v1\nkind: List\nitems:\n` +
  names.map((n, i) => `  - apiVersion: discovery.k8s.io/v1\n    kind: EndpointSlice\n    metadata: {name: ${n}, namespace: shop, labels: {kubernetes.io/service-name: api, endpointslice.kubernetes.io/managed-by: team}}\n    addressType: IPv4\n    ports: [{name: http, port: 8080}]\n    endpoints: [{addresses: ["10.9.0.${i + 1}"]}]\n`).join('');
// Its metrics port is in none of the slices: a finding on every slice of the Service, known only at the end.
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n    - {name: metrics, port: 9100}\n';

interface Violation { rule: string; line: number; message: string }
interface Result { document: number; item?: number; name: string | null; line: number; violations: Violation[] }

describe('validate: documents in stages', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sliceguard-stages-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(`puts every result and finding on its own document over ${3 * STAGE_DOCUMENTS} documents of one file`, async () => {
    const docs: string[] = [];
    const count = 3 * STAGE_DOCUMENTS;
    for (let i = 0; i < count; i++) {
      if (i === 5) docs.push('kind: EndpointSlice\nmetadata: {name: broken\n');
      else if (i === 3) docs.push(LIST(['l-0', 'l-1', 'l-2']));
      // Found while the stage is evaluated, right after the List (whose positions must not be used).
      else if (i === 4) docs.push(SLICE(`s-${i}`, '300.0.0.4'));
      else if (i === STAGE_DOCUMENTS + 4) docs.push(SERVICE);
      // The same address as s-2: a duplicate across slices of one Service.
      else if (i === 2 * STAGE_DOCUMENTS + 3) docs.push(SLICE(`s-${i}`, '10.0.0.2'));
      else docs.push(SLICE(`s-${i}`, `10.0.0.${i}`));
    }
    const text = docs.join('---\n');
    writeFileSync(join(dir, 'all.yaml'), text);
    // The first line of each document, 1-based.
    const starts: number[] = [];
    let line = 1;
    for (const d of docs) {
      starts.push(line);
      line += d.split('\n').length; // its lines and the `---` after it
    }
    const r = await runInProcess(dir, ['validate', '--format', 'json', 'all.yaml']);
    expect(r.err).to.equal('');
    const results = (JSON.parse(r.out) as { results: Result[] }).results;
    // One result per document, three for the List.
    expect(results).to.have.length(count + 2);
    let k = 0;
    for (let i = 0; i < count; i++) {
      const units = i === 3 ? 3 : 1;
      for (let u = 0; u < units; u++, k++) {
        const res = results[k];
        expect(res.document, `result ${k}`).to.equal(i);
        const end = i + 1 < count ? starts[i + 1] : line;
        expect(res.line, `result ${k} line`).to.be.within(starts[i], end - 1);
        for (const v of res.violations) expect(v.line, `result ${k}: ${v.rule}`).to.be.within(starts[i], end - 1);
        if (i === 5) {
          expect(res.violations.map((v) => v.rule)).to.deep.equal(['syntax']);
          continue;
        }
        if (i === STAGE_DOCUMENTS + 4) {
          expect(res.violations).to.deep.equal([]);
          continue;
        }
        const name = units === 3 ? `l-${u}` : `s-${i}`;
        expect(res.name).to.equal(name);
        if (units === 3) expect(res.item).to.equal(u);
        const rules = res.violations.map((v) => v.rule);
        // Found at the end of the run and attached through the slice's result index.
        expect(rules, name).to.include('port-name-mismatch');
        expect(rules.includes('duplicate-address'), name).to.equal(i === 2 * STAGE_DOCUMENTS + 3);
        expect(rules.includes('ip-address'), name).to.equal(i === 4);
      }
    }
  });

  it('makes results of a List with many more items than a stage, each item on its own lines, and a document over STAGE_TEXT among small ones', async () => {
    const names = Array.from({ length: 3 * STAGE_DOCUMENTS + 5 }, (_, i) => `i-${i}`);
    // The items' own line: a List item's result has it (the second line of each item).
    const list = LIST(names);
    // Over STAGE_TEXT characters: it goes through in a stage of its own.
    const bigAddresses = Array.from({ length: 1200 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.7`);
    const big =
      `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: big\n  namespace: shop\n  labels:\n    kubernetes.io/service-name: api\n` +
      `    endpointslice.kubernetes.io/managed-by: team\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints:\n` +
      bigAddresses.map((a) => `  - addresses: ["${a}"]\n    conditions: {ready: true}\n    zone: europe-west4-a\n`).join('');
    expect(big.length).to.be.greaterThan(STAGE_TEXT);
    const docs = [SLICE('a', '10.0.0.1'), list, SLICE('b', '10.0.0.2'), big, SLICE('c', '300.0.0.3'), SERVICE];
    writeFileSync(join(dir, 'all.yaml'), docs.join('---\n'));
    const r = await runInProcess(dir, ['validate', '--format', 'json', 'all.yaml']);
    expect(r.err).to.equal('');
    const results = (JSON.parse(r.out) as { results: Result[] }).results;
    expect(results.map((x) => x.name)).to.deep.equal(['a', ...names, 'b', 'big', 'c', 'api']);
    const listStart = docs[0].split('\n').length + 1;
    names.forEach((name, i) => {
      const res = results[1 + i];
      expect(res.item, name).to.equal(i);
      // Each item is 6 lines, after the List's 3 header lines.
      expect(res.line, name).to.equal(listStart + 3 + 6 * i);
      expect(res.violations.map((v) => v.rule), name).to.include('port-name-mismatch');
    });
    const c = results[results.length - 2];
    expect(c.violations.find((v) => v.rule === 'ip-address')?.line).to.equal(results[results.length - 2].line + 11);
  });
});
