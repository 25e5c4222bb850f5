import rule from '../../../policies/rules/owner-reference.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { service, slice } from '../../helpers/fixtures.ts';
import { withServices } from '../../helpers/services.ts';

const uid = '0b7e3a52-3f1c-4a8e-9d1e-6a2c5f0e7b11';
const known = withServices({ ...service(), metadata: { name: 'example', namespace: 'default', uid } });
const ref = { apiVersion: 'v1', kind: 'Service', name: 'example', uid };
const owned = (refs: unknown) => slice({ metadata: { name: 'example-abc12', namespace: 'default', ownerReferences: refs } });

ruleTester.run(rule, {
  valid: [
    { object: slice(), name: 'no Service source' },
    { object: owned([ref]), context: known },
    { object: owned([{ ...ref, uid: 'other' }]), context: known, name: 'any reference to the Service will do' },
    { object: slice(), context: withServices(service({ name: 'other' })), name: 'unknown Service' },
  ],
  invalid: [
    { object: slice(), context: known, findings: [{ messageId: 'noOwner', path: '/metadata', message: 'no ownerReference to Service example' }], output: owned([ref]) },
    { object: owned([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', uid: 'y' }]), context: known, findings: [{ messageId: 'noOwner', path: '/metadata' }], output: owned([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', uid: 'y' }, ref]) },
    { object: owned(null), context: known, findings: [{ messageId: 'noOwner', path: '/metadata' }], output: owned([ref]) },
    { object: slice(), context: withServices(service()), findings: [{ messageId: 'noOwner', path: '/metadata' }], name: 'without the uid there is no fix' },
  ],
});
