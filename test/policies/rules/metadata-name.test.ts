import rule from '../../../policies/rules/metadata-name.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

/** A slice whose metadata has exactly these name fields (namespace and labels stay). */
const named = (name: unknown, generateName?: unknown) => slice({ metadata: { name, ...(generateName !== undefined ? { generateName } : {}) } });
const update = (object: unknown) => ({ object, context: { operation: 'UPDATE' as const, oldObject: slice({}) } });
const NAME = { messageId: 'invalid', path: '/metadata/name', apiPath: 'metadata.name' };
const REQUIRED = { messageId: 'required', path: '/metadata/name', apiPath: 'metadata.name' };
const PREFIX = { messageId: 'invalidPrefix', path: '/metadata/generateName', apiPath: 'metadata.generateName' };
const GENERATED = { messageId: 'invalidGenerated', path: '/metadata/name', apiPath: 'metadata.name' };
// 253 bytes in labels of at most 63 (a subdomain has no per-label limit either way).
const name253 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');

ruleTester.run(rule, {
  valid: [
    slice({}),
    // upstream good-slice (standardMeta)
    named('hello'),
    named('a.b.c'),
    named('0'),
    { object: named(name253), name: '253 bytes' },
    { object: named('a'.repeat(253)), name: '253 bytes in one label' },
    // upstream TestValidateObjectMetaTrimsTrailingDash: a trailing dash is fine in a prefix
    named('test', 'foo-'),
    // upstream TestValidateObjectMetaCustomName "valid name and generateName"
    named('test', 'test'),
    // 0.4: generated on create from a valid prefix
    { object: named(undefined, 'web-'), name: 'generated web-xxxxx' },
    { object: named('', 'web-'), name: 'empty name is generated too' },
    // maskTrailingDash replaces the last two bytes: "a..-" is checked as "a.a"
    named('x', 'a..-'),
    // "--" is checked as "a"
    named('x', '--'),
    // a 253-byte prefix is valid; the generated name keeps 58 bytes of it
    { object: named(undefined, name253), name: '253-byte generateName' },
    // 254 bytes ending in a dash are checked as 253
    { object: named(undefined, 'a'.repeat(253) + '-'), name: '254-byte generateName ending in -' },
    named('x', null),
    named('x', ''),
    // wrong types are the decode gate's
    named(7),
    named('x', 7),
  ],
  invalid: [
    // upstream bad-meta
    { object: named('*&^'), findings: [NAME] },
    // upstream empty-everything (with TestValidateObjectMeta "name or generateName is required")
    { object: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, findings: [REQUIRED], name: 'empty-everything' },
    { object: named(''), findings: [REQUIRED] },
    { object: named(null), findings: [REQUIRED] },
    { object: named(undefined), findings: [REQUIRED] },
    { object: named(name253 + 'd'), findings: [NAME], name: '254 bytes' },
    { object: named('a'.repeat(254)), findings: [NAME], name: '254 bytes in one label' },
    { object: named('Hello'), findings: [NAME] },
    { object: named('hello-'), findings: [NAME] },
    { object: named('a..b'), findings: [NAME] },
    { object: named('.'), findings: [NAME] },
    { object: named('a_b'), findings: [NAME] },
    { object: named('é'), findings: [NAME] },
    // a valid name does not excuse an invalid generateName (TestValidateObjectMetaCustomName)
    { object: named('test', 'Web-'), findings: [PREFIX] },
    // both the prefix and the name generated from it are validated
    { object: named(undefined, 'Web-'), findings: [PREFIX, GENERATED] },
    { object: named(undefined, 'web.'), findings: [PREFIX], name: 'web.bcdfg is valid, the prefix is not' },
    { object: named(undefined, 'a..-'), findings: [GENERATED], name: 'the prefix masks to a.a, the name keeps a..-' },
    { object: named(undefined, '--'), findings: [GENERATED] },
    { object: named(undefined, '-'), findings: [PREFIX, GENERATED], name: 'a single dash is not masked' },
    { object: named(undefined, 'é-'), findings: [PREFIX, GENERATED] },
    // over 253 bytes the prefix fails, though the generated name (58 + 5 bytes) is fine
    { object: named(undefined, 'a'.repeat(254)), findings: [PREFIX], name: '254-byte generateName' },
    { object: named(undefined, 'a'.repeat(254) + '-'), findings: [PREFIX], name: '255 bytes ending in - are checked as 254' },
    // no name generation on update
    { ...update(named(undefined, 'web-')), findings: [REQUIRED], name: 'update without a name' },
    { ...update(named('Bad')), findings: [NAME], name: 'update revalidates the name' },
    ...(['1.32', '1.36', '1.37'] as const).map((kubeVersion) => ({ object: named('Bad'), context: { kubeVersion }, findings: [NAME], name: `same on ${kubeVersion}` })),
  ],
});
