import { expect } from 'chai';
import json, { jsonChunks } from '../../../cli/formatters/json.ts';
import { EMPTY, PLAIN, REPORT } from './fixture.ts';

describe('formatter: json', () => {
  it('writes the report as the one-line JSON document of contracts.md, results in input order', () => {
    const out = json(REPORT, PLAIN);
    expect(out).to.equal(JSON.stringify(REPORT) + '\n');
    expect(out.split('\n')).to.have.length(2);
    expect(JSON.parse(out)).to.deep.equal(REPORT);
  });

  it('keeps the contract key order: summary then results', () => {
    expect(json(EMPTY, PLAIN)).to.equal('{"summary":{"files":0,"documents":0,"endpointSlices":0,"denied":0,"warned":0},"results":[]}\n');
  });

  // The CLI writes json in pieces of a thousand results; joined, they must be the same bytes.
  for (const n of [0, 1, 999, 1000, 1001, 2500]) {
    it(`writes ${n} results in pieces that join to the one-string document`, () => {
      const base = REPORT.results[0];
      const results = Array.from({ length: n }, (_, i) => ({ ...base, document: i, name: `slice-${i}` }));
      const report = { summary: { ...REPORT.summary, documents: n }, results };
      const pieces = [...jsonChunks(report)];
      expect(pieces).to.have.length(Math.ceil(n / 1000) + 1);
      expect(pieces.join('')).to.equal(JSON.stringify(report) + '\n');
      expect(json(report, PLAIN)).to.equal(JSON.stringify(report) + '\n');
    });
  }
});
