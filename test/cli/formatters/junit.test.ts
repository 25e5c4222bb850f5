import { expect } from 'chai';
import junit, { attr, text } from '../../../cli/formatters/junit.ts';
import { EMPTY, HOSTILE, PLAIN, REPORT } from './fixture.ts';
import { parseXml } from './xml.ts';

const EXPECTED = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="sliceguard" tests="6" failures="2" errors="0" skipped="0" time="0">
  <testsuite name="deploy/web.yaml" tests="3" failures="2" errors="0" skipped="0" time="0">
    <testcase name="EndpointSlice shop/web-1 (document 0)" classname="deploy/web.yaml" file="deploy/web.yaml" time="0">
      <failure message="2 problems: address-type, ip-address" type="sliceguard">deploy/web.yaml:1:1  deny  Slice has no addressType; it must be IPv4, IPv6 or FQDN.  address-type
deploy/web.yaml:9:19  deny  Address "10.0.0.256" is not a valid IP address.  ip-address
</failure>
      <system-out>deploy/web.yaml:5:3  warn  Slice has no endpointslice.kubernetes.io/managed-by label.  managed-by-missing
</system-out>
    </testcase>
    <testcase name="Service shop/web (document 1)" classname="deploy/web.yaml" file="deploy/web.yaml" time="0"/>
    <testcase name="document 2" classname="deploy/web.yaml" file="deploy/web.yaml" time="0">
      <failure message="Unexpected end of the stream within a flow collection. (syntax)" type="syntax">deploy/web.yaml:21:7  deny  Unexpected end of the stream within a flow collection.  syntax
</failure>
    </testcase>
  </testsuite>
  <testsuite name="deploy/a b%,c:d.yaml" tests="2" failures="0" errors="0" skipped="0" time="0">
    <testcase name="EndpointSlice default/a (document 0, item 0)" classname="deploy/a b%,c:d.yaml" file="deploy/a b%,c:d.yaml" time="0"/>
    <testcase name="EndpointSlice default/(unnamed) (document 0, item 1)" classname="deploy/a b%,c:d.yaml" file="deploy/a b%,c:d.yaml" time="0">
      <system-out>deploy/a b%,c:d.yaml:16:17  warn  Value "&lt;a&amp;b&gt; 100%, x:y\\u001b[2J&#13;
::error::fake" is odd.  placeholder
</system-out>
    </testcase>
  </testsuite>
  <testsuite name="clean.json" tests="1" failures="0" errors="0" skipped="0" time="0">
    <testcase name="EndpointSlice default/c (document 0)" classname="clean.json" file="clean.json" time="0"/>
  </testsuite>
</testsuites>
`;

describe('formatter: junit', () => {
  it('writes a suite per file, a test case per document, denials as failures and warnings as system-out', () => {
    expect(junit(REPORT, PLAIN)).to.equal(EXPECTED);
  });

  it('writes well-formed XML whose values read back as the findings say', () => {
    const root = parseXml(junit(REPORT, PLAIN));
    expect(root.name).to.equal('testsuites');
    expect(root.children.map((s) => [s.attributes.name, s.children.length])).to.deep.equal([['deploy/web.yaml', 3], ['deploy/a b%,c:d.yaml', 2], ['clean.json', 1]]);
    const unnamed = root.children[1].children[1];
    // The one thing that does not survive: ESC, which XML 1.0 cannot carry at all.
    expect(unnamed.children[0].text).to.equal(`deploy/a b%,c:d.yaml:16:17  warn  ${HOSTILE.replace('\u001b', '\\u001b')}  placeholder\n`);
    const failure = root.children[0].children[0].children[0];
    expect(failure.name).to.equal('failure');
    expect(failure.attributes).to.deep.equal({ message: '2 problems: address-type, ip-address', type: 'sliceguard' });
  });

  it('escapes attributes so that tabs, line breaks and quotes read back unchanged', () => {
    const nasty = 'a\t"b"\r\n<c> & \'d\' \u0000\u0008\uffff \ud800x \u{1F600}';
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<r a="${attr(nasty)}">${text(nasty)}</r>`);
    const readable = 'a\t"b"\r\n<c> & \'d\' \\u0000\\u0008\\uffff \\ud800x \u{1F600}';
    expect(root.attributes.a).to.equal(readable);
    // Character data: a CR written as &#13; stays; XML readers turn a literal CR LF into LF.
    expect(root.text).to.equal(readable);
  });

  it('writes an empty report as an empty testsuites element', () => {
    expect(junit(EMPTY, PLAIN)).to.equal('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sliceguard" tests="0" failures="0" errors="0" skipped="0" time="0">\n</testsuites>\n');
    expect(parseXml(junit(EMPTY, PLAIN)).children).to.deep.equal([]);
  });

  it('is read by the strict reader only when well-formed (the reader can fail)', () => {
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a b="x & y"/>')).to.throw(/bare &/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>\u001b</a>')).to.throw(/illegal character/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a></b>')).to.throw(/closes/);
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a b="1" b="2"/>')).to.throw(/duplicate/);
  });
});
