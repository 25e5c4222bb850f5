import rule from '../../../policies/rules/metadata-labels.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const labelled = (labels: Record<string, unknown>) => slice({ metadata: { labels } });
const at = (messageId: 'invalidKey' | 'invalidValue') => ({ messageId, path: '/metadata/labels', apiPath: 'metadata.labels' });
const KEY = at('invalidKey');
const VALUE = at('invalidValue');
const prefix253 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');

ruleTester.run(rule, {
  valid: [
    slice({}),
    slice({ metadata: { labels: null } }),
    slice({ metadata: { labels: {} } }),
    // upstream TestValidateLabels success cases
    ...[
      'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple',
      'now-with-dashes/now-with-dashes', 'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num',
      '1234/5678', '1.2.3.4/5678', 'UpperCaseAreOK123',
    ].map((key) => ({ object: labelled({ [key]: 'bar' }), name: key })),
    labelled({ goodvalue: '123_-.BaR' }),
    // the limits, at the limit
    { object: labelled({ ['a'.repeat(63)]: 'x' }), name: 'name part of 63 bytes' },
    { object: labelled({ [`${prefix253}/x`]: 'x' }), name: 'prefix of 253 bytes' },
    { object: labelled({ a: 'v'.repeat(63) }), name: 'value of 63 bytes' },
    // an empty value is valid; null decodes as ""
    labelled({ a: '' }),
    labelled({ a: null }),
    // wrong-typed values are the decode gate's
    labelled({ a: 7 }),
  ],
  invalid: [
    // upstream TestValidateLabels key failures
    { object: labelled({ 'nospecialchars^=@': 'bar' }), findings: [KEY] },
    { object: labelled({ 'cantendwithadash-': 'bar' }), findings: [KEY] },
    { object: labelled({ 'only/one/slash': 'bar' }), findings: [KEY] },
    { object: labelled({ ['a'.repeat(254)]: 'bar' }), findings: [KEY] },
    // upstream value failures
    { object: labelled({ toolongvalue: 'a'.repeat(64) }), findings: [VALUE], name: 'value of 64 bytes' },
    { object: labelled({ backslashesinvalue: 'some\\bad\\value' }), findings: [VALUE] },
    { object: labelled({ nocommasallowed: 'bad,value' }), findings: [VALUE] },
    { object: labelled({ strangecharsinvalue: '?#$notsogood' }), findings: [VALUE] },
    // one over each limit
    { object: labelled({ ['a'.repeat(64)]: 'x' }), findings: [KEY], name: 'name part of 64 bytes' },
    { object: labelled({ [`${prefix253}d/x`]: 'x' }), findings: [KEY], name: 'prefix of 254 bytes' },
    { object: labelled({ '': 'x' }), findings: [KEY], name: 'empty key' },
    { object: labelled({ '/x': 'x' }), findings: [KEY], name: 'empty prefix' },
    { object: labelled({ 'example.com/': 'x' }), findings: [KEY], name: 'empty name part' },
    { object: labelled({ 'Example.com/x': 'x' }), findings: [KEY], name: 'upper-case prefix' },
    { object: labelled({ a: 'é' }), findings: [VALUE] },
    { object: labelled({ a: '-x' }), findings: [VALUE] },
    // every problem is reported, all at the map's path
    { object: labelled({ 'a/b/c': 'x', ok: 'bad value', 'also bad': 'y-' }), findings: [VALUE, VALUE, KEY, KEY], name: 'several (sorted by message)' },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: labelled({ a: 'a'.repeat(64) }), context: { kubeVersion }, findings: [VALUE], name: `same on ${kubeVersion}` })),
  ],
});
