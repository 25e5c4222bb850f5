import rule from '../../../policies/rules/port-name-mismatch.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { service, slice } from '../../helpers/fixtures.ts';
import { withServices } from '../../helpers/services.ts';

const unnamed = service({ ports: [{ port: 3306, protocol: 'TCP' }] });
const http = withServices(service());
// More ports than the rule compares one by one (it matches these through a set).
const many = withServices(service({ ports: Array.from({ length: 20 }, (_, i) => ({ name: `p${i}`, protocol: i % 2 ? 'UDP' : 'TCP', port: 1000 + i })) }));

ruleTester.run(rule, {
  valid: [
    { object: slice(), name: 'no Service source' },
    { object: slice(), context: http },
    { object: slice({ ports: [{ name: '', port: 3306 }] }), context: withServices(unnamed), name: 'explicit "" matches an unnamed Service port' },
    { object: slice({ ports: [{ port: 3306 }] }), context: withServices(unnamed), name: 'no name, no protocol: "" and TCP' },
    { object: slice({ ports: [{ name: 'http' }] }), context: http, name: 'numbers play no part' },
    { object: slice({ ports: [{ name: 'mysql', port: 3306 }], endpoints: [] }), context: withServices(unnamed), name: 'no endpoints: not judged' },
    { object: slice({ ports: [{ name: 'mysql', port: 3306 }], endpoints: null }), context: withServices(unnamed) },
    { object: slice({ ports: [{ name: 'mysql' }] }), context: withServices(service({ name: 'other' })), name: 'unknown Service: service-not-found reports it' },
    { object: slice({ ports: [] }), context: http, name: 'a slice without ports has nothing to mismatch (cross-slice check covers it)' },
    { object: slice({ ports: [{ name: 'http', protocol: 'TCP' }, { name: 'dns', protocol: 'UDP' }] }), context: withServices(service({ ports: [{ name: 'http' }, { name: 'dns', protocol: 'UDP' }] })) },
    { object: slice({ ports: [{ name: 'p0' }, { name: 'p17', protocol: 'UDP' }, { name: 'p18', protocol: 'TCP' }] }), context: many, name: 'a Service of 20 ports' },
  ],
  invalid: [
    {
      object: slice({ ports: [{ name: 'mysql', port: 3306, protocol: 'TCP' }] }),
      context: withServices(unnamed),
      findings: [{ messageId: 'noServicePort', path: '/ports/0/name', apiPath: 'ports[0].name', message: 'Port "mysql"/TCP matches no port of Service example by name and protocol (unnamed/TCP)' }],
      name: 'kubernetes#123954: named slice port, unnamed Service port',
    },
    {
      object: slice({ ports: [{ port: 80 }] }),
      context: http,
      findings: [{ messageId: 'noServicePort', path: '/ports/0', message: 'Port unnamed/TCP matches no port' }],
      name: 'unnamed slice port, named Service port',
    },
    {
      object: slice({ ports: [{ name: 'http', protocol: 'UDP' }] }),
      context: http,
      findings: [{ messageId: 'noServicePort', path: '/ports/0/name' }],
      name: 'same name, other protocol',
    },
    {
      object: slice({ ports: [{ name: 'http' }, null, { name: 'metrics', port: 9100 }] }),
      context: http,
      findings: [{ messageId: 'noServicePort', path: '/ports/1' }, { messageId: 'noServicePort', path: '/ports/2/name' }],
      name: 'a null port decodes as unnamed TCP',
    },
    {
      object: slice({ ports: [{ name: 'p1', protocol: 'TCP' }, { name: 'p18' }, { name: 'p20' }] }),
      context: many,
      findings: [
        { messageId: 'noServicePort', path: '/ports/0/name', message: 'Port "p1"/TCP matches no port of Service example' },
        { messageId: 'noServicePort', path: '/ports/2/name', message: 'Port "p20"/TCP matches no port of Service example' },
      ],
      name: 'a Service of 20 ports: wrong protocol, unknown name',
    },
    {
      object: slice({ ports: [{ name: 'http' }] }),
      context: withServices(service({ ports: [] })),
      findings: [{ messageId: 'noServicePort', path: '/ports/0/name', message: '(it has no ports)' }],
    },
  ],
});
