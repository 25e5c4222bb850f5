import rule from '../../../policies/rules/metadata-annotations.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const annotated = (annotations: Record<string, unknown>) => slice({ metadata: { annotations } });
const KEY = { messageId: 'invalidKey', path: '/metadata/annotations', apiPath: 'metadata.annotations' };
const TOO_LONG = { messageId: 'tooLong', path: '/metadata/annotations', apiPath: 'metadata.annotations' };
/** apimachinery TotalAnnotationSizeLimitB */
const LIMIT = 262144;

ruleTester.run(rule, {
  valid: [
    slice({}),
    slice({ metadata: { annotations: null } }),
    // upstream TestValidateAnnotations success cases
    ...[
      'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
      'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
      '1234/5678', '1.2.3.4/5678', 'UpperCase123',
    ].map((key) => ({ object: annotated({ [key]: 'bar' }), name: key })),
    { object: annotated({ a: 'b'.repeat(LIMIT - 1) }), name: 'exactly 262144 bytes' },
    { object: annotated({ a: 'b'.repeat(LIMIT / 2 - 1), c: 'd'.repeat(LIMIT / 2 - 1) }), name: 'two halves, 262144 bytes' },
    // UTF-8 bytes, not characters: 1 + 2 * 131071 + 1 = 262144
    { object: annotated({ a: 'é'.repeat(131071) + 'x' }), name: '2-byte characters up to the limit' },
    // 1 + 4 * 65535 + 3 = 262144 (surrogate pairs are 4 bytes, not 2 code units)
    { object: annotated({ x: '😀'.repeat(65535) + 'abc' }), name: '4-byte characters up to the limit' },
    // keys are lowercased first: an upper-case prefix is fine here, unlike a label key
    annotated({ 'Example.COM/Trigger': 'x' }),
    // Go lowercases U+212A KELVIN SIGN and U+0130 to ASCII letters
    annotated({ 'example.com/\u212a': 'x' }),
    annotated({ '\u0130': 'x' }),
    // values are free-form; null decodes as ""
    annotated({ note: 'Any text, even "quotes" and spaces.' }),
    annotated({ note: null }),
    annotated({ note: 7 }),
  ],
  invalid: [
    // upstream TestValidateAnnotations name failures
    { object: annotated({ 'nospecialchars^=@': 'bar' }), findings: [KEY] },
    { object: annotated({ 'cantendwithadash-': 'bar' }), findings: [KEY] },
    { object: annotated({ 'only/one/slash': 'bar' }), findings: [KEY] },
    { object: annotated({ ['a'.repeat(254)]: 'bar' }), findings: [KEY] },
    { object: annotated({ ['a'.repeat(64)]: 'bar' }), findings: [KEY], name: 'name part of 64 bytes' },
    { object: annotated({ 'example.com/é': 'x' }), findings: [KEY] },
    // upstream total-size failures, one byte over
    { object: annotated({ a: 'b'.repeat(LIMIT) }), findings: [TOO_LONG], name: '262145 bytes' },
    { object: annotated({ a: 'b'.repeat(LIMIT / 2), c: 'd'.repeat(LIMIT / 2) }), findings: [TOO_LONG], name: 'two halves, 262146 bytes' },
    { object: annotated({ a: 'é'.repeat(131072) }), findings: [TOO_LONG], name: '2-byte characters, 262145 bytes' },
    { object: annotated({ x: '😀'.repeat(65535) + 'abcd' }), findings: [TOO_LONG], name: '4-byte characters, 262145 bytes' },
    // keys count too
    { object: annotated({ ['k'.repeat(63)]: 'v'.repeat(LIMIT - 62) }), findings: [TOO_LONG], name: 'key bytes count' },
    { object: annotated({ 'bad key': 'v'.repeat(LIMIT) }), findings: [KEY, TOO_LONG], name: 'both problems' },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: annotated({ a: 'b'.repeat(LIMIT) }), context: { kubeVersion }, findings: [TOO_LONG], name: `same on ${kubeVersion}` })),
  ],
});
