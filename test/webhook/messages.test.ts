import { expect } from 'chai';
import fc from 'fast-check';
import { denialMessage, fit, warningsFor, MAX_WARNING_BYTES, MAX_WARNING_CHARS } from '../../webhook/messages.ts';
import { reviewAdmission } from '../../webhook/review.ts';
import { createPolicy } from '../../policies/policy.ts';
import type { Finding } from '../../policies/types.ts';
import { slice } from '../helpers/fixtures.ts';
import { admissionReview } from './helpers.ts';

function finding(rule: string, path: string, message: string, severity: 'warn' | 'deny' = 'warn'): Finding {
  return { rule, category: 'policy', severity, pointer: `/${path}`, path, message, messageId: 'm' };
}

const chars = (s: string): number => [...s].length;
const bytes = (list: string[]): number => list.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);

describe('webhook messages', () => {
  it('a 1000-endpoint slice with 1000 multi-address endpoints gets three warnings and a count, not 1000', () => {
    const endpoints = Array.from({ length: 1000 }, (_, i) => ({ addresses: [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}`] }));
    const result = reviewAdmission(admissionReview({ object: slice({ endpoints }) }), 'validate', { policy: createPolicy(), onError: 'deny' });
    expect((result.body.response as { warnings: string[] }).warnings).to.deep.equal([
      'multi-address-endpoint at endpoints[0].addresses: Endpoint has 2 addresses; kube-proxy uses only the first, 10.0.0.1.',
      'multi-address-endpoint at endpoints[1].addresses: Endpoint has 2 addresses; kube-proxy uses only the first, 10.0.0.2.',
      'multi-address-endpoint at endpoints[2].addresses: Endpoint has 2 addresses; kube-proxy uses only the first, 10.0.0.3.',
      'multi-address-endpoint: 997 more findings like these.',
    ]);
  });

  it('keeps the total under 4096 bytes and says how many warnings were left out', () => {
    const many = Array.from({ length: 60 }, (_, i) => finding(`rule-${String(i).padStart(2, '0')}`, 'metadata.labels', `Label value is wrong in a way that takes a long sentence to explain, number ${i}.`));
    const out = warningsFor(many);
    expect(bytes(out)).to.be.at.most(MAX_WARNING_BYTES);
    expect(out.length).to.be.below(60);
    expect(out.at(-1)).to.equal(`${60 - (out.length - 1)} more warnings not shown (4096-byte limit).`);
    expect(out.slice(0, -1)).to.deep.equal(many.slice(0, out.length - 1).map((f) => `${f.rule} at ${f.path}: ${f.message}`));
  });

  it('uses the first form that fits in 120 characters, and cuts only as a last resort', () => {
    const short = finding('app-protocol', 'ports[0].appProtocol', 'AppProtocol "TCP" only repeats the transport.');
    const medium = finding('managed-by-missing', 'metadata.labels[endpointslice.kubernetes.io/managed-by]', 'Slice has no endpointslice.kubernetes.io/managed-by label; set it to the tool or team that writes it.');
    const long = finding('some-rule', 'x', `${'word '.repeat(30)}end.`);
    expect(warningsFor([short, medium, long])).to.deep.equal([
      'app-protocol at ports[0].appProtocol: AppProtocol "TCP" only repeats the transport.',
      'Slice has no endpointslice.kubernetes.io/managed-by label; set it to the tool or team that writes it.',
      `some-rule: ${'word '.repeat(20)}word…`,
    ]);
  });

  it('counts characters, not UTF-16 units, and replaces control characters', () => {
    expect(chars(fit('é'.repeat(200)))).to.equal(MAX_WARNING_CHARS);
    expect(chars(fit('🙂'.repeat(119)))).to.equal(119);
    expect(fit('Label "a\nb"\tis odd.')).to.equal('Label "a b" is odd.');
  });

  it('property: every warning fits in 120 characters and all of them in 4096 bytes', () => {
    const arbFinding = fc.record({
      rule: fc.constantFrom('a', 'multi-address-endpoint', 'managed-by-missing', 'duplicate-address'),
      path: fc.string({ maxLength: 80 }),
      message: fc.string({ unit: 'grapheme', maxLength: 400 }),
    });
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 300 }), fc.array(fc.string({ maxLength: 300 }), { maxLength: 2 }), (list, extra) => {
        const out = warningsFor(list.map((f) => finding(f.rule, f.path, f.message)), extra);
        expect(bytes(out)).to.be.at.most(MAX_WARNING_BYTES);
        for (const w of out) expect(chars(w)).to.be.at.most(MAX_WARNING_CHARS);
        expect(out.length > 0).to.equal(list.length + extra.length > 0);
      }),
      { numRuns: 200 },
    );
  });

  it('a denial message lists one finding of every rule even when one rule has many', () => {
    const denials = [
      ...Array.from({ length: 20 }, (_, i) => finding('special-ip', `endpoints[${i}].addresses[0]`, `Address ${i} is reserved.`, 'deny')),
      finding('placeholder', 'metadata.name', 'Name is a template placeholder.', 'deny'),
    ];
    const message = denialMessage(denials);
    expect(message.startsWith('21 problems (rules placeholder, special-ip): [special-ip] endpoints[0].addresses[0]: Address 0 is reserved.')).to.equal(true);
    expect(message.endsWith('[special-ip] endpoints[8].addresses[0]: Address 8 is reserved. [placeholder] metadata.name: Name is a template placeholder. And 11 more.')).to.equal(true);
  });
});
