import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { listLength } from '../slice.ts';

export default defineRule<{ max: number }, 'tooMany'>({
  meta: {
    id: 'max-endpoints',
    category: 'policy',
    description: 'Limit the number of endpoints in one slice (default 1000, the API maximum).',
    defaultSeverity: 'deny',
    fixable: false,
    // The endpointslice controller writes at most 100 per slice (--max-endpoints-per-slice).
    schema: { type: 'object', properties: { max: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false },
    defaultOptions: { max: 1000 },
    messages: { tooMany: 'Slice has {{count}} endpoints; the limit is {{max}}. Split it into several slices.' },
  },
  check(slice, { options, report }) {
    const count = listLength(slice.endpoints) ?? 0;
    if (count > options.max) report({ messageId: 'tooMany', path: pointer('endpoints'), data: { count, max: options.max } });
  },
});
