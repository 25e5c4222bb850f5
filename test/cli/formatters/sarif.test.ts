import { expect } from 'chai';
import { createRequire } from 'node:module';
import sarif, { fileUri } from '../../../cli/formatters/sarif.ts';
import { RULES_DOC_URL } from '../../../cli/formatters/rule-info.ts';
import { RULES } from '../../../policies/rules/index.ts';
import { EMPTY, HOSTILE, PLAIN, REPORT, RULE_INFOS } from './fixture.ts';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv') as typeof import('ajv');
const addFormats = require('ajv-formats') as unknown as (ajv: InstanceType<typeof Ajv>) => void;

const DOCS = 'https://github.com/sliceguard/sliceguard/blob/main/docs/rules.md';
const tags = (category: string) => ['kubernetes', 'endpointslice', category];
const at = (uri: string, startLine: number, startColumn: number) => [{ physicalLocation: { artifactLocation: { uri }, region: { startLine, startColumn } } }];

// The whole log for the fixture; rules are those with results, by id; `syntax` is not among the
// fixture's rule descriptions, so it gets an id alone.
const EXPECTED = {
  $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'sliceguard',
          version: '1.2.3',
          semanticVersion: '1.2.3',
          informationUri: 'https://github.com/sliceguard/sliceguard',
          rules: [
            { id: 'address-type', shortDescription: { text: 'addressType must be IPv4, IPv6 or FQDN.' }, helpUri: `${DOCS}#address-type`, defaultConfiguration: { enabled: true, level: 'error' }, properties: { category: 'apiserver', fixable: false, tags: tags('apiserver') } },
            { id: 'ip-address', shortDescription: { text: 'Addresses must be IPs of the slice family.' }, helpUri: `${DOCS}#ip-address`, defaultConfiguration: { enabled: true, level: 'error' }, properties: { category: 'apiserver', fixable: false, tags: tags('apiserver') } },
            { id: 'managed-by-missing', shortDescription: { text: 'Say who manages a slice.' }, helpUri: `${DOCS}#managed-by-missing`, defaultConfiguration: { enabled: true, level: 'warning' }, properties: { category: 'policy', fixable: true, tags: tags('policy') } },
            { id: 'placeholder', shortDescription: { text: 'No template text.' }, helpUri: `${DOCS}#placeholder`, defaultConfiguration: { enabled: false, level: 'error' }, properties: { category: 'policy', fixable: false, tags: tags('policy') } },
            { id: 'syntax' },
          ],
        },
      },
      columnKind: 'utf16CodeUnits',
      results: [
        { ruleId: 'address-type', ruleIndex: 0, level: 'error', message: { text: 'Slice has no addressType; it must be IPv4, IPv6 or FQDN.' }, locations: at('deploy/web.yaml', 1, 1), properties: { category: 'apiserver', path: 'addressType', pointer: '/addressType', document: 0 } },
        { ruleId: 'managed-by-missing', ruleIndex: 2, level: 'warning', message: { text: 'Slice has no endpointslice.kubernetes.io/managed-by label.' }, locations: at('deploy/web.yaml', 5, 3), properties: { category: 'policy', path: 'metadata.labels', pointer: '/metadata/labels', document: 0 } },
        { ruleId: 'ip-address', ruleIndex: 1, level: 'error', message: { text: 'Address "10.0.0.256" is not a valid IP address.' }, locations: at('deploy/web.yaml', 9, 19), properties: { category: 'apiserver', path: 'endpoints[0].addresses[0]', pointer: '/endpoints/0/addresses/0', document: 0 } },
        { ruleId: 'syntax', ruleIndex: 4, level: 'error', message: { text: 'Unexpected end of the stream within a flow collection.' }, locations: at('deploy/web.yaml', 21, 7), properties: { category: 'apiserver', path: '', pointer: '', document: 2 } },
        { ruleId: 'placeholder', ruleIndex: 3, level: 'warning', message: { text: HOSTILE }, locations: at('deploy/a%20b%25%2Cc%3Ad.yaml', 16, 17), properties: { category: 'policy', path: 'endpoints[0].hostname', pointer: '/items/1/endpoints/0/hostname', document: 0, item: 1 } },
      ],
    },
  ],
};

// The part of the SARIF 2.1.0 schema that sliceguard's output uses, written from the OASIS
// standard with its `additionalProperties: false`, so that a misspelt or invented property fails.
const text = { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1 } } };
const bag = { type: 'object' };
const LEVEL = { enum: ['none', 'note', 'warning', 'error'] };
const SARIF_SUBSET = {
  type: 'object', required: ['version', 'runs'], additionalProperties: false,
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { enum: ['2.1.0'] },
    runs: { type: 'array', items: { $ref: '#/definitions/run' } },
  },
  definitions: {
    run: {
      type: 'object', required: ['tool'], additionalProperties: false,
      properties: {
        tool: { type: 'object', required: ['driver'], additionalProperties: false, properties: { driver: { $ref: '#/definitions/toolComponent' } } },
        columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
        results: { type: 'array', items: { $ref: '#/definitions/result' } },
      },
    },
    toolComponent: {
      type: 'object', required: ['name'], additionalProperties: false,
      properties: {
        name: { type: 'string' }, version: { type: 'string' },
        semanticVersion: { type: 'string' }, informationUri: { type: 'string', format: 'uri' },
        rules: { type: 'array', uniqueItems: true, items: { $ref: '#/definitions/reportingDescriptor' } },
      },
    },
    reportingDescriptor: {
      type: 'object', required: ['id'], additionalProperties: false,
      properties: {
        id: { type: 'string' }, shortDescription: text, helpUri: { type: 'string', format: 'uri' },
        defaultConfiguration: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, level: LEVEL } },
        properties: { type: 'object', properties: { tags: { type: 'array', uniqueItems: true, items: { type: 'string' } } } },
      },
    },
    result: {
      // GitHub code scanning also requires ruleId and a located result (upload-sarif rejects others).
      type: 'object', required: ['message', 'ruleId', 'locations'], additionalProperties: false,
      properties: {
        ruleId: { type: 'string' }, ruleIndex: { type: 'integer', minimum: -1 }, level: LEVEL, message: text,
        locations: { type: 'array', minItems: 1, items: { $ref: '#/definitions/location' } },
        properties: bag,
      },
    },
    location: {
      type: 'object', additionalProperties: false,
      properties: {
        physicalLocation: {
          type: 'object', required: ['artifactLocation', 'region'], additionalProperties: false,
          properties: {
            artifactLocation: { type: 'object', required: ['uri'], additionalProperties: false, properties: { uri: { type: 'string', format: 'uri-reference' } } },
            region: { type: 'object', required: ['startLine'], additionalProperties: false, properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } } },
          },
        },
      },
    },
  },
};

function schemaErrors(log: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(SARIF_SUBSET);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('formatter: sarif', () => {
  it('writes the whole SARIF log: rules with results, results in file and line order', () => {
    expect(sarif(REPORT, { ...PLAIN, rules: RULE_INFOS })).to.equal(JSON.stringify(EXPECTED, null, 2) + '\n');
  });

  it('fits the SARIF 2.1.0 schema where it uses it, and ruleIndex points at the rule', () => {
    const log = JSON.parse(sarif(REPORT, PLAIN));
    expect(schemaErrors(log)).to.deep.equal([]);
    const run = log.runs[0];
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).to.equal(r.ruleId);
    // The subset is strict enough to notice mistakes.
    expect(schemaErrors({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', helpUri: 'docs' } }, results: [{ message: { text: 'm' }, ruleId: 'r', locations: [], level: 'deny' }] }] })).to.have.length(3);
  });

  it('describes rules from the registry by default, with links into docs/rules.md', () => {
    const run = JSON.parse(sarif(REPORT, PLAIN)).runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).to.deep.equal(['address-type', 'ip-address', 'managed-by-missing', 'placeholder', 'syntax']);
    for (const rule of run.tool.driver.rules) {
      const meta = RULES.find((r) => r.meta.id === rule.id)!.meta;
      expect(rule.shortDescription.text).to.equal(meta.description);
      expect(rule.helpUri).to.equal(`${RULES_DOC_URL}#${rule.id}`);
    }
  });

  it('writes an empty run for an empty report', () => {
    const run = JSON.parse(sarif(EMPTY, PLAIN)).runs[0];
    expect(run.results).to.deep.equal([]);
    expect(run.tool.driver.rules).to.deep.equal([]);
    expect(schemaErrors(JSON.parse(sarif(EMPTY, PLAIN)))).to.deep.equal([]);
  });

  it('turns file names into URIs: relative with forward slashes, absolute as file:, stdin', () => {
    expect(fileUri('deploy/web.yaml')).to.equal('deploy/web.yaml');
    expect(fileUri('./deploy/web.yaml')).to.equal('deploy/web.yaml');
    expect(fileUri('deploy\\sub dir\\web#1?.yaml')).to.equal('deploy/sub%20dir/web%231%3F.yaml');
    expect(fileUri('/tmp/x y/web.yaml')).to.equal('file:///tmp/x%20y/web.yaml');
    expect(fileUri('C:\\work\\web.yaml')).to.equal('file:///C:/work/web.yaml');
    expect(fileUri('<stdin>')).to.equal('stdin');
    expect(fileUri('ünï/web.yaml')).to.equal('%C3%BCn%C3%AF/web.yaml');
  });
});
