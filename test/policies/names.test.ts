import { describe, it } from 'mocha';
import { expect } from 'chai';
import { byteLength, dns1123LabelProblems, generatedName, goToLower, maskTrailingDash, qualifiedNameProblems } from '../../policies/names.ts';

describe('name rules (policies/names.ts)', () => {
  it('counts UTF-8 bytes as Go does, lone surrogates as U+FFFD', () => {
    expect(byteLength('abc')).to.equal(3);
    expect(byteLength('é')).to.equal(2);
    expect(byteLength('€')).to.equal(3);
    expect(byteLength('😀')).to.equal(4);
    expect(byteLength('\ud800')).to.equal(3);
    expect(byteLength('\ud800é')).to.equal(5);
    expect(byteLength('\udc00\ud800')).to.equal(6);
  });

  it('says "must not contain dots" only when dots are the one problem (apimachinery IsDNS1123Label)', () => {
    expect(dns1123LabelProblems('a.b')).to.deep.equal(['must not contain dots']);
    expect(dns1123LabelProblems('A.b')[0]).to.match(/lowercase RFC 1123 label/);
    expect(dns1123LabelProblems(`${'a'.repeat(40)}.${'b'.repeat(40)}`)).to.have.length(2);
  });

  it('qualified names: at most one slash, a subdomain prefix, a 1-63 byte name part', () => {
    expect(qualifiedNameProblems('example.com/Name_1.x')).to.deep.equal([]);
    expect(qualifiedNameProblems('a/b/c')).to.have.length(1);
    expect(qualifiedNameProblems('/a')).to.deep.equal(['prefix part must be non-empty']);
    expect(qualifiedNameProblems('a/')).to.deep.equal(['name part must be non-empty']);
  });

  it('masks a trailing dash as apimachinery maskTrailingDash does (the last two bytes become "a")', () => {
    expect(maskTrailingDash('slice-')).to.equal('slica');
    expect(maskTrailingDash('a-')).to.equal('a');
    expect(maskTrailingDash('--')).to.equal('a');
    expect(maskTrailingDash('-')).to.equal('-');
    expect(maskTrailingDash('a..-')).to.equal('a.a');
    expect(maskTrailingDash('slice')).to.equal('slice');
    expect(maskTrailingDash('é-')).to.equal('é');
  });

  it('generates names from the first 58 bytes of generateName plus 5 characters', () => {
    expect(generatedName('web-')).to.equal('web-bcdfg');
    expect(generatedName('a'.repeat(100))).to.equal('a'.repeat(58) + 'bcdfg');
    // a cut inside a 2-byte character leaves a non-ASCII remainder, as Go's partial byte does
    const cut = generatedName('a'.repeat(57) + 'é');
    expect(cut.startsWith('a'.repeat(57))).to.equal(true);
    expect(/^[\x00-\x7f]*$/.test(cut)).to.equal(false);
  });

  it('lowercases as Go strings.ToLower for U+0130 and the Kelvin sign', () => {
    expect(goToLower('\u0130')).to.equal('i');
    expect(goToLower('\u212a')).to.equal('k');
    expect(goToLower('Example.COM/X')).to.equal('example.com/x');
  });
});
