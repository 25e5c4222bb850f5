import rule from '../../../policies/rules/explicit-conditions.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const all = { ready: true, serving: true, terminating: false };
const ep = (conditions?: unknown) => slice({ endpoints: [{ addresses: ['10.0.0.1'], ...(conditions === undefined ? {} : { conditions }) }] });

ruleTester.run(rule, {
  valid: [ep(all), ep({ ready: false, serving: false, terminating: true }), slice({ endpoints: [] })],
  invalid: [
    { object: ep(), findings: [{ messageId: 'implicit', path: '/endpoints/0', message: 'ready, serving, terminating' }], output: ep(all), name: 'no conditions' },
    { object: ep(null), findings: [{ messageId: 'implicit', path: '/endpoints/0' }], output: ep(all), name: 'conditions: null' },
    { object: ep({}), findings: [{ messageId: 'implicit', path: '/endpoints/0/conditions' }], output: ep(all) },
    {
      object: ep({ ready: false }),
      findings: [{ messageId: 'implicit', path: '/endpoints/0/conditions', message: 'Endpoint leaves serving, terminating unset' }],
      output: ep({ ready: false, serving: true, terminating: false }),
      name: 'unset serving means true, as the v1 API documents it',
    },
    { object: ep({ ready: true, serving: null }), findings: [{ messageId: 'implicit', path: '/endpoints/0/conditions' }], output: ep(all) },
  ],
});
