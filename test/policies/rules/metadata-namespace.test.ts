import rule from '../../../policies/rules/metadata-namespace.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const inNs = (namespace: unknown) => slice({ metadata: { namespace } });
const INVALID = { messageId: 'invalid', path: '/metadata/namespace', apiPath: 'metadata.namespace' };
const REQUIRED = { messageId: 'required', path: '/metadata/namespace', apiPath: 'metadata.namespace' };

ruleTester.run(rule, {
  valid: [
    slice({}),
    // upstream standardMeta
    inNs('world'),
    inNs('a'.repeat(63)),
    inNs('0'),
    inNs('kube-system'),
    // 0.5: a manifest without a namespace is in the context's (kubectl's) namespace
    { object: inNs(undefined), context: { namespace: 'team-a' } },
    { object: inNs(''), context: { namespace: 'default' } },
    { object: inNs(null), context: { namespace: 'default' } },
    // the object's own namespace wins over the context's
    { object: inNs('team-a'), context: { namespace: 'Not_Valid' } },
    // wrong types are the decode gate's (the engine falls back to the context's namespace)
    { object: inNs(7), context: { namespace: 'default' } },
  ],
  invalid: [
    // upstream TestValidateObjectMetaNamespaces
    { object: inNs('foo.bar'), findings: [INVALID] },
    { object: inNs('a'.repeat(64)), findings: [INVALID], name: '64 bytes' },
    { object: inNs('Team-A'), findings: [INVALID] },
    { object: inNs('-a'), findings: [INVALID] },
    { object: inNs('é'), findings: [INVALID] },
    // upstream empty-everything: no namespace anywhere (an AdmissionReview without request.namespace)
    { object: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' }, findings: [REQUIRED], name: 'empty-everything' },
    { object: inNs(undefined), findings: [REQUIRED] },
    { object: inNs(''), findings: [REQUIRED] },
    // the namespace the object is written to is validated even when it comes from the context
    { object: inNs(undefined), context: { namespace: 'Team_A' }, findings: [INVALID] },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: inNs('foo.bar'), context: { kubeVersion }, findings: [INVALID], name: `same on ${kubeVersion}` })),
  ],
});
