import { defineRule } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import type { PatchOperation } from '../types.ts';
import { isRecord } from '../slice.ts';
import { forEachObjectEndpoint } from '../slice-policy.ts';

// What the discovery/v1 API says an unset condition means: ready and serving "should be
// interpreted as true", terminating "as false". Some consumers read unset as not ready.
const DOCUMENTED: Record<string, boolean> = { ready: true, serving: true, terminating: false };

export default defineRule<Record<string, never>, 'implicit'>({
  meta: {
    id: 'explicit-conditions',
    category: 'policy',
    description: 'Opt-in fix: write endpoint conditions out (ready, serving, terminating) with their documented defaults.',
    defaultSeverity: 'warn',
    fixable: true,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: { implicit: 'Endpoint leaves {{missing}} unset; consumers disagree on what unset means, so write it out.' },
    optIn: true,
  },
  check(slice, { report }) {
    forEachObjectEndpoint(slice, (endpoint, i) => {
      const conditions = endpoint.conditions;
      if (conditions !== undefined && conditions !== null && !isRecord(conditions)) return; // a type error
      const current = isRecord(conditions) ? conditions : {};
      const missing = Object.keys(DOCUMENTED).filter((k) => current[k] === undefined || current[k] === null);
      if (missing.length === 0) return;
      const at = pointer('endpoints', i, 'conditions');
      const fix: PatchOperation[] = isRecord(conditions)
        ? missing.map((k) => ({ op: conditions[k] === undefined ? 'add' : 'replace', path: pointer('endpoints', i, 'conditions', k), value: DOCUMENTED[k] }) as PatchOperation)
        : [{ op: conditions === undefined ? 'add' : 'replace', path: at, value: { ...DOCUMENTED } }];
      report({ messageId: 'implicit', path: isRecord(conditions) ? at : pointer('endpoints', i), data: { missing: missing.join(', ') }, fix });
    });
  },
});
