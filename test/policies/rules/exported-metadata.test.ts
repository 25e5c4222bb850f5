import rule from '../../../policies/rules/exported-metadata.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const meta = (extra: Record<string, unknown>) => slice({ metadata: { name: 'web-abc12', namespace: 'default', ...extra } });

ruleTester.run(rule, {
  valid: [
    slice(),
    { object: meta({ creationTimestamp: null }), name: 'kubectl create --dry-run=client writes creationTimestamp: null' },
    { object: meta({ generateName: 'web-' , name: undefined }), name: 'generateName alone' },
    { object: slice({ metadata: { name: 'web-server', namespace: 'default', generateName: 'web-' } }), name: 'suffix not generated (vowels)' },
    { object: slice({ metadata: { name: 'web-abc123', namespace: 'default', generateName: 'web-' } }), name: 'six characters' },
    { object: meta({ uid: 'x' }), context: { mode: 'webhook' }, name: 'offline only' },
  ],
  invalid: [
    {
      object: meta({ uid: '5d6f1c2a', resourceVersion: '123', creationTimestamp: '2023-05-02T17:30:20Z', generation: 265, managedFields: [{ manager: 'kubectl' }] }),
      findings: ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'].map((f) => ({ messageId: 'serverField', path: `/metadata/${f}`, apiPath: `metadata.${f}` })).sort((a, b) => (a.path < b.path ? -1 : 1)),
      output: meta({}),
    },
    {
      object: slice({ metadata: { name: 'test-spjnn', namespace: 'test', generateName: 'test-' } }),
      findings: [{ messageId: 'generatedName', path: '/metadata/name', message: 'Name "test-spjnn" is generateName plus a generated suffix' }],
      name: 'kubernetes#114155 mirrored slice',
    },
    {
      object: slice({ metadata: { name: `${'a'.repeat(58)}x2b4z`, namespace: 'default', generateName: `${'a'.repeat(70)}-` } }),
      findings: [{ messageId: 'generatedName', path: '/metadata/name' }],
      name: 'a long generateName is cut to 58 characters',
    },
  ],
});
