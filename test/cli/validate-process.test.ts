/**
 * `sliceguard validate` as CI runs it: the built CLI (`node dist/cli/main.js`, what package.json
 * `bin.sliceguard` names) in a child process, on real files in a temporary directory.
 *
 * dist/ comes from `npm ci` (the `prepare` script builds it); `ensureBuilt()` rebuilds it in the
 * `before` hook only when a source file is newer, so a developer who edits a source file and runs
 * one test file still tests the code they see. `process.execPath` is the Node that runs mocha:
 * Node 24 under `npm test`, the pinned devDependency.
 *
 * Findings that need a particular rule name it with `needRules`; while that rule is not in the
 * registry the test is pending and says which rule it waits for.
 */
import { expect } from 'chai';
import { chmodSync } from 'node:fs';
import { ensureBuilt } from './built-cli.ts';
import { parseXml } from './formatters/xml.ts';
import { CLEAN_SLICE, CONFIG_MAP, expectOneErrorLine, findings, LABELS, MULTI, needRules, SLICE_JSON, sliceguard, tempPath, useTempDir, validateJson, write } from './process.ts';

describe('validate: the built CLI in a child process', function () {
  // The first test may build dist/ (tsc, several seconds on a cold cache).
  this.timeout(120_000);

  before(() => ensureBuilt());
  useTempDir();

  describe('exit codes', () => {
    it('exits 0 when nothing is denied, printing one summary line', () => {
      write('cm.yaml', CONFIG_MAP);
      write('slice.yaml', CLEAN_SLICE);
      const r = sliceguard(['validate', 'cm.yaml', 'slice.yaml']);
      expect(r).to.deep.equal({ code: 0, out: 'No problems; checked 2 files, 2 documents, 1 EndpointSlice.\n', err: '' });
    });

    it('exits 1 when a document is denied (a document that does not parse)', () => {
      write('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
      const r = sliceguard(['validate', 'broken.yaml']);
      expect(r.code).to.equal(1);
      expect(r.err).to.equal('');
      expect(r.out).to.match(/^broken\.yaml:\d+:\d+ +deny +.+\. +syntax\n\n1 problem \(1 deny, 0 warn\) in 1 file; checked 1 file, 1 document, 0 EndpointSlices\.\n$/);
    });

    it('exits 2 with one line naming a path that does not exist, and prints nothing else', () => {
      write('ok.yaml', CONFIG_MAP);
      expectOneErrorLine(sliceguard(['validate', 'ok.yaml', 'missing/slices.yaml']), /^sliceguard: missing\/slices\.yaml: no such file or directory \[SG_INPUT_UNREADABLE\]\n$/);
      expectOneErrorLine(sliceguard(['validate', 'ok.yaml/inner.yaml']), /ok\.yaml\/inner\.yaml.*\[SG_INPUT_UNREADABLE\]/);
    });

    it('exits 2 with one line naming a file it may not read', function () {
      // root reads every file whatever its mode; this runs for everyone else.
      if (process.getuid?.() === 0) {
        console.log('      pending: running as root, which may read a file of mode 000');
        this.skip();
      }
      write('secret.yaml', CONFIG_MAP);
      chmodSync(tempPath('secret.yaml'), 0o000);
      expectOneErrorLine(sliceguard(['validate', 'secret.yaml']), /^sliceguard: secret\.yaml: permission denied \[SG_INPUT_UNREADABLE\]\n$/);
    });

    it('exits 2 with one line for a bad flag, a bad value or no path', () => {
      write('ok.yaml', CONFIG_MAP);
      expectOneErrorLine(sliceguard(['validate', '--bogus', 'ok.yaml']), /^sliceguard: validate: .*'--bogus'.*\[SG_USAGE\]/);
      expectOneErrorLine(sliceguard(['validate', '--format', 'xml', 'ok.yaml']), /--format xml: expected one of text, json, junit, sarif, github \[SG_USAGE\]/);
      expectOneErrorLine(sliceguard(['validate', '--kube-version', '1.20', 'ok.yaml']), /--kube-version 1\.20: expected one of 1\.32, .*1\.37 \[SG_USAGE\]/);
      expectOneErrorLine(sliceguard(['validate']), /no PATH given.*\[SG_USAGE\]/);
      expectOneErrorLine(sliceguard(['valdiate', 'ok.yaml']), /unknown command "valdiate".*\[SG_USAGE\]/);
    });

    it('exits 2 with one line naming a policy file that does not exist', () => {
      write('ok.yaml', CONFIG_MAP);
      expectOneErrorLine(sliceguard(['validate', '--policy', 'policy.yaml', 'ok.yaml']), /policy\.yaml/);
    });
  });

  describe('inputs', () => {
    it('walks directories recursively, reading only .yaml, .yml and .json files, sorted by name', () => {
      for (const f of ['tree/a.yaml', 'tree/sub/b.yml', 'tree/sub/D.YAML', 'tree/sub/deeper/c.json']) write(f, f.endsWith('.json') ? '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}' : CONFIG_MAP);
      for (const f of ['tree/notes.txt', 'tree/README.md', 'tree/sub/x.yaml.bak', 'tree/sub/Makefile']) write(f, 'not: [yaml\n');
      const { code, results, summary } = validateJson(['tree']);
      expect(code).to.equal(0);
      expect(results.map((r) => r.file)).to.deep.equal(['tree/a.yaml', 'tree/sub/D.YAML', 'tree/sub/b.yml', 'tree/sub/deeper/c.json']);
      expect(summary.files).to.equal(4);
    });

    it('reads stdin for -, YAML or JSON, and names it <stdin>', function () {
      needRules(this, 'address-type');
      const yaml = validateJson(['-'], MULTI);
      expect(yaml.results.map((r) => [r.file, r.document, r.kind])).to.deep.equal([['<stdin>', 0, 'EndpointSlice'], ['<stdin>', 1, null], ['<stdin>', 2, 'EndpointSlice']]);
      const json = validateJson(['-'], SLICE_JSON);
      expect(json.results.map((r) => [r.file, r.name])).to.deep.equal([['<stdin>', 'web-3']]);
    });

    it('reports a syntax error for the one document that does not parse and checks the others', function () {
      needRules(this, 'address-type');
      write('multi.yaml', MULTI);
      const { code, results } = validateJson(['multi.yaml']);
      expect(code).to.equal(1);
      expect(results.map((r) => [r.document, r.kind, r.name, r.allowed])).to.deep.equal([
        [0, 'EndpointSlice', 'web-1', false],
        [1, null, null, false],
        [2, 'EndpointSlice', 'web-2', false],
      ]);
      expect(findings(results, ['syntax'])).to.have.length(1);
      expect(findings(results, ['syntax'])[0]).to.match(/^multi\.yaml 1 17:\d+ syntax $/);
      expect(findings(results, ['address-type'])).to.deep.equal(['multi.yaml 0 2:1 address-type addressType', 'multi.yaml 2 27:1 address-type addressType']);
    });

    it('locates a nested finding in YAML at the list item, block or flow style', function () {
      needRules(this, 'ip-address');
      const head = `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-4\n  namespace: shop\n${LABELS}addressType: IPv4\nendpoints:\n`;
      write('block.yaml', `${head}  - addresses:\n      - 10.0.0.1\n      - "10.0.0.256"\n`);
      write('flow.yaml', `${head}  - {addresses: [10.0.0.1,   10.0.0.256]}\n`);
      const { results } = validateJson(['block.yaml', 'flow.yaml']);
      expect(findings(results, ['ip-address'])).to.deep.equal(['block.yaml 0 13:9 ip-address endpoints[0].addresses[1]', 'flow.yaml 0 11:30 ip-address endpoints[0].addresses[1]']);
    });

    it('locates findings in JSON files by line and column', function () {
      needRules(this, 'ip-address');
      write('slice.json', SLICE_JSON);
      const { code, results } = validateJson(['slice.json']);
      expect(code).to.equal(1);
      expect(findings(results, ['ip-address'])).to.deep.equal(['slice.json 0 8:32 ip-address endpoints[0].addresses[1]']);
      expect(results[0].violations.find((v) => v.rule === 'ip-address')?.pointer).to.equal('/endpoints/0/addresses/1');
    });

    it('checks every item of a List, locating findings inside the item', function () {
      needRules(this, 'address-type');
      const item = (name: string, addressType: string) =>
        `  - apiVersion: discovery.k8s.io/v1\n    kind: EndpointSlice\n    metadata:\n      name: ${name}\n      namespace: shop\n${LABELS.replace(/^/gm, '    ').trimEnd()}\n${addressType}    endpoints: []\n`;
      write('list.yaml', `apiVersion: v1\nkind: List\nitems:\n${item('ok', '    addressType: IPv4\n')}${item('bad', '')}`);
      const { code, results } = validateJson(['list.yaml']);
      expect(code).to.equal(1);
      expect(results.map((r) => [r.document, r.item, r.name, r.allowed])).to.deep.equal([[0, 0, 'ok', true], [0, 1, 'bad', false]]);
      // No addressType in item 1: reported at the item itself (line 14, after the `- `).
      expect(findings(results, ['address-type'])).to.deep.equal(['list.yaml 0.1 14:5 address-type addressType']);
      expect(results[1].violations.find((v) => v.rule === 'address-type')?.pointer).to.equal('/items/1/addressType');
    });

    it("checks an AdmissionReview's object against its oldObject, in the request's namespace", function () {
      needRules(this, 'address-type');
      const object = (ns: string, addressType: string) =>
        `{"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", ${ns}"metadata": {"name": "web-1", "labels": {"kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "team-a"}},\n      "addressType": "${addressType}", "endpoints": []}`;
      const review = (operation: string) =>
        `{\n  "apiVersion": "admission.k8s.io/v1",\n  "kind": "AdmissionReview",\n  "request": {\n    "uid": "0b1c", "operation": "${operation}", "namespace": "shop",\n    "object": ${object('', 'IPv6')},\n    "oldObject": ${object('', 'IPv4')}\n  }\n}\n`;
      write('update.json', review('UPDATE'));
      write('create.json', review('CREATE'));
      const { code, results } = validateJson(['update.json', 'create.json']);
      expect(code).to.equal(1);
      expect(results.map((r) => [r.file, r.namespace, r.allowed])).to.deep.equal([['update.json', 'shop', false], ['create.json', 'shop', true]]);
      expect(findings(results, ['address-type'])).to.deep.equal(['update.json 0 7:7 address-type addressType']);
      expect(results[0].violations[0].pointer).to.equal('/request/object/addressType');
    });
  });

  describe('output formats over a real run', () => {
    it('writes the JSON contract: keys in the documented order, a result per document', function () {
      needRules(this, 'address-type');
      write('multi.yaml', MULTI);
      const r = sliceguard(['validate', '--format', 'json', 'multi.yaml']);
      const report = JSON.parse(r.out);
      expect(Object.keys(report)).to.deep.equal(['summary', 'results']);
      expect(Object.keys(report.summary)).to.deep.equal(['files', 'documents', 'endpointSlices', 'denied', 'warned']);
      expect(report.summary).to.deep.equal({ files: 1, documents: 3, endpointSlices: 2, denied: 3, warned: report.summary.warned });
      for (const result of report.results) expect(Object.keys(result)).to.deep.equal(['file', 'document', 'line', 'apiVersion', 'kind', 'namespace', 'name', 'allowed', 'violations']);
      expect(Object.keys(report.results[0].violations[0])).to.deep.equal(['rule', 'category', 'severity', 'path', 'pointer', 'message', 'line', 'column']);
    });

    it('prints text without colour when stdout is not a terminal, and the same bytes every run', () => {
      write('multi.yaml', MULTI);
      const first = sliceguard(['validate', 'multi.yaml']);
      expect(first.out).not.to.contain('\x1b');
      expect(first.out).to.match(/^multi\.yaml:17:\d+ +deny +.+ +syntax$/m);
      expect(sliceguard(['validate', 'multi.yaml']).out).to.equal(first.out);
    });

    it('prints github annotations, junit XML and SARIF for the same findings, with the same exit code', () => {
      write('deploy/multi.yaml', MULTI);
      const github = sliceguard(['validate', '--format', 'github', 'deploy/multi.yaml']);
      expect(github.code).to.equal(1);
      expect(github.out).to.match(/^::error file=deploy\/multi\.yaml,line=17,col=\d+,title=sliceguard syntax::.+\.$/m);
      const junit = sliceguard(['validate', '--format', 'junit', 'deploy/multi.yaml']);
      expect(junit.code).to.equal(1);
      const suites = parseXml(junit.out);
      expect(suites.children.map((s) => [s.attributes.name, s.attributes.tests])).to.deep.equal([['deploy/multi.yaml', '3']]);
      const sarif = sliceguard(['validate', '--format', 'sarif', 'deploy/multi.yaml']);
      expect(sarif.code).to.equal(1);
      const results = JSON.parse(sarif.out).runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
      const syntax = results.find((x) => x.ruleId === 'syntax')!;
      expect(syntax.locations[0].physicalLocation.artifactLocation.uri).to.equal('deploy/multi.yaml');
      expect(syntax.locations[0].physicalLocation.region.startLine).to.equal(17);
    });
  });
});
