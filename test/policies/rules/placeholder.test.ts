import rule from '../../../policies/rules/placeholder.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const addr = (a: string) => slice({ endpoints: [{ addresses: [a] }] });
const bad = (path: string, message?: string) => ({ messageId: 'inValue', path, ...(message ? { message } : {}) });

ruleTester.run(rule, {
  valid: [
    slice(),
    slice({ metadata: { name: 'x', namespace: 'default', annotations: { note: 'a < b and c > d', price: '$5 {not a template}' } } }),
    slice({ metadata: { name: 'replacement-service', namespace: 'default' } }),
    slice({ metadata: { name: 'x', namespace: 'default', annotations: { 'example.com/mode': 'changemeter' } } }),
    { object: slice({ ports: [{ name: 'http', port: '{{ .Values.port }}' }] }), name: 'a wrong-typed field is the decode gate\'s finding alone' },
  ],
  invalid: [
    { object: addr('${BACKEND_IP}'), findings: [bad('/endpoints/0/addresses/0', 'Value contains the template placeholder "${BACKEND_IP}"')] },
    { object: addr('{{ .Values.backend.ip }}'), findings: [bad('/endpoints/0/addresses/0', '"{{ .Values.backend.ip }}"')], name: 'Helm' },
    { object: addr('<your-ip-here>'), findings: [bad('/endpoints/0/addresses/0')] },
    { object: slice({ metadata: { name: 'REPLACE_ME', namespace: 'default' } }), findings: [bad('/metadata/name')] },
    { object: slice({ metadata: { name: 'x', namespace: 'CHANGEME' } }), findings: [bad('/metadata/namespace')] },
    { object: slice({ metadata: { name: 'x', namespace: 'default', annotations: { 'note': 'set to changeme later' } } }), findings: [bad('/metadata/annotations/note')] },
    {
      object: slice({ metadata: { name: 'x', namespace: 'default', labels: { '${KEY}': 'v' } } }),
      findings: [{ messageId: 'inKey', path: '/metadata/labels/${KEY}', message: 'Key "${KEY}"' }],
    },
  ],
});
