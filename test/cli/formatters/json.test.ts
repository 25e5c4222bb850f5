import { expect } from 'chai';
import json from '../../../cli/formatters/json.ts';
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
});
