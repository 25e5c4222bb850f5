import { expect } from 'chai';
import github, { escapeData, escapeProperty } from '../../../cli/formatters/github.ts';
import { EMPTY, PLAIN, REPORT } from './fixture.ts';

describe('formatter: github', () => {
  it('prints one workflow command per finding, escaped as GitHub reads them, then a summary', () => {
    expect(github(REPORT, PLAIN)).to.equal(
      [
        '::error file=deploy/web.yaml,line=1,col=1,title=sliceguard address-type::Slice has no addressType; it must be IPv4, IPv6 or FQDN.',
        '::warning file=deploy/web.yaml,line=5,col=3,title=sliceguard managed-by-missing::Slice has no endpointslice.kubernetes.io/managed-by label.',
        '::error file=deploy/web.yaml,line=9,col=19,title=sliceguard ip-address::Address "10.0.0.256" is not a valid IP address.',
        '::error file=deploy/web.yaml,line=21,col=7,title=sliceguard syntax::Unexpected end of the stream within a flow collection.',
        '::warning file=deploy/a b%25%2Cc%3Ad.yaml,line=16,col=17,title=sliceguard placeholder::Value "<a&b> 100%25, x:y\\u001b[2J%0D%0A::error::fake" is odd.',
        'sliceguard: 5 problems (3 deny, 2 warn); checked 3 files, 5 documents, 4 EndpointSlices.',
        '',
      ].join('\n'),
    );
  });

  it('prints only the summary when there is nothing to annotate', () => {
    expect(github(EMPTY, PLAIN)).to.equal('sliceguard: No problems; checked 0 files, 0 documents, 0 EndpointSlices.\n');
  });

  it('escapes data (%, CR, LF) and properties (also : and ,) as @actions/core does', () => {
    expect(escapeData('50% a\r\nb: c, d')).to.equal('50%25 a%0D%0Ab: c, d');
    expect(escapeProperty('50% a\r\nb: c, d')).to.equal('50%25 a%0D%0Ab%3A c%2C d');
    // % first, so that an escape already in the text is not read back as one.
    expect(escapeData('%0A')).to.equal('%250A');
  });

  it('writes Windows paths with forward slashes, as GitHub matches them', () => {
    const report = structuredClone(REPORT);
    report.results = [{ ...report.results[0], file: '.\\deploy\\web.yaml' }];
    expect(github(report, PLAIN).split('\n')[0]).to.match(/^::error file=deploy\/web\.yaml,line=1,col=1,/);
  });

  it('never lets a message start a workflow command of its own', () => {
    // Every line of output is a command we wrote or the summary; the hostile message stays on its line.
    const lines = github(REPORT, PLAIN).trimEnd().split('\n');
    expect(lines).to.have.length(6);
    expect(lines.filter((l) => l.startsWith('::')).map((l) => l.slice(0, l.indexOf(' ')))).to.deep.equal(['::error', '::warning', '::error', '::error', '::warning']);
  });
});
