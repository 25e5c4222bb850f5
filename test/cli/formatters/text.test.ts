import { expect } from 'chai';
import text from '../../../cli/formatters/text.ts';
import type { RunReport } from '../../../cli/report.ts';
import { EMPTY, PLAIN, REPORT } from './fixture.ts';

describe('formatter: text', () => {
  it('prints findings by file in line order, aligned, escaped, then a summary; clean files are not listed', () => {
    expect(text(REPORT, PLAIN)).to.equal(
      [
        'deploy/web.yaml:1:1   deny  Slice has no addressType; it must be IPv4, IPv6 or FQDN.  address-type',
        'deploy/web.yaml:5:3   warn  Slice has no endpointslice.kubernetes.io/managed-by label.  managed-by-missing',
        'deploy/web.yaml:9:19  deny  Address "10.0.0.256" is not a valid IP address.  ip-address',
        'deploy/web.yaml:21:7  deny  Unexpected end of the stream within a flow collection.  syntax',
        '',
        'deploy/a b%,c:d.yaml:16:17  warn  Value "<a&b> 100%, x:y\\u001b[2J\\u000d\\u000a::error::fake" is odd.  placeholder',
        '',
        '5 problems (3 deny, 2 warn) in 2 files; checked 3 files, 5 documents, 4 EndpointSlices.',
        '',
      ].join('\n'),
    );
  });

  it('prints one line for a clean run, with singular nouns where they belong', () => {
    const one: RunReport = { summary: { files: 1, documents: 1, endpointSlices: 1, denied: 0, warned: 0 }, results: [REPORT.results[5]] };
    expect(text(one, PLAIN)).to.equal('No problems; checked 1 file, 1 document, 1 EndpointSlice.\n');
    expect(text(EMPTY, PLAIN)).to.equal('No problems; checked 0 files, 0 documents, 0 EndpointSlices.\n');
  });

  it('colours severities, rule ids and the summary only when asked to', () => {
    const report: RunReport = { summary: { ...REPORT.summary, files: 1 }, results: [REPORT.results[4]] };
    const color = { ...PLAIN, color: true };
    expect(text(report, color)).to.equal(
      'deploy/a b%,c:d.yaml:16:17  \x1b[33mwarn\x1b[0m  Value "<a&b> 100%, x:y\\u001b[2J\\u000d\\u000a::error::fake" is odd.  \x1b[90mplaceholder\x1b[0m\n' +
        '\n' +
        '\x1b[33m1 problem (0 deny, 1 warn)\x1b[0m in 1 file; checked 1 file, 5 documents, 4 EndpointSlices.\n',
    );
    expect(text(REPORT, color)).to.contain('\x1b[31mdeny\x1b[0m').and.contain('\x1b[31m5 problems (3 deny, 2 warn)\x1b[0m');
    expect(text(EMPTY, color)).to.equal('\x1b[32mNo problems\x1b[0m; checked 0 files, 0 documents, 0 EndpointSlices.\n');
    expect(text(REPORT, PLAIN)).not.to.contain('\x1b');
  });

  it('prints the same bytes whatever order the findings of a document come in', () => {
    const shuffled = structuredClone(REPORT);
    shuffled.results[0].violations.reverse();
    expect(text(shuffled, PLAIN)).to.equal(text(REPORT, PLAIN));
  });
});
