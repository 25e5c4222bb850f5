import { defineRule, type RuleContext } from '../define-rule.ts';
import { pointer } from '../pointer.ts';
import { quote } from '../format.ts';
import { dns1123SubdomainProblems, labelValueProblems } from '../names.ts';
import { asItem, forEachEndpoint, isRecord } from '../slice.ts';

type MessageId = 'tooMany' | 'invalidZone' | 'invalidNode' | 'duplicate';
type Report = RuleContext<unknown, MessageId>['report'];

/** At most 8 zone hints and 8 node hints per endpoint (C-E8). */
const MAX_HINTS = 8;

/** Checks one hint list of endpoint `i`; returns false when it is over the limit (validation stops there). */
function checkHints(list: unknown, i: number, kind: 'zone' | 'node', report: Report): boolean {
  if (!Array.isArray(list)) return true;
  const listKey = kind === 'zone' ? 'forZones' : 'forNodes';
  if (list.length > MAX_HINTS) {
    report({ messageId: 'tooMany', path: pointer('endpoints', i, 'hints', listKey), data: { count: list.length, kind, max: MAX_HINTS } });
    return false;
  }
  const seen: string[] = [];
  for (let k = 0; k < list.length; k++) {
    const item = asItem(list[k]);
    // A missing name is Go's "" (valid as a zone, invalid as a node); other types are the gate's.
    const name = item?.name ?? '';
    if (!item || typeof name !== 'string') continue;
    const path = () => pointer('endpoints', i, 'hints', listKey, k, 'name');
    if (seen.includes(name)) report({ messageId: 'duplicate', path: path(), data: { name: quote(name), kind } });
    seen.push(name);
    const problems = kind === 'zone' ? labelValueProblems(name) : dns1123SubdomainProblems(name);
    if (problems.length > 0) report({ messageId: kind === 'zone' ? 'invalidZone' : 'invalidNode', path: path(), data: { name: quote(name), problems: problems.join('; ') } });
  }
  return true;
}

/** True when some endpoint of the stored object already has node hints (they then survive the gate). */
function usesNodeHints(old: unknown): boolean {
  if (!isRecord(old) || !Array.isArray(old.endpoints)) return false;
  return old.endpoints.some((e) => isRecord(e) && isRecord(e.hints) && Array.isArray(e.hints.forNodes) && e.hints.forNodes.length > 0);
}

export default defineRule<Record<string, never>, MessageId>({
  meta: {
    id: 'endpoint-hints',
    category: 'apiserver',
    description: 'Endpoint hints: at most 8 unique zone names (label values) and 8 unique node names (DNS-1123 subdomains).',
    defaultSeverity: 'deny',
    fixable: false,
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
    messages: {
      tooMany: 'Endpoint has {{count}} {{kind}} hints; the limit is {{max}}.',
      invalidZone: 'Zone hint {{name}} is not a valid label value: {{problems}}.',
      invalidNode: 'Node hint {{name}} is not a valid node name: {{problems}}.',
      duplicate: 'The {{kind}} hint {{name}} appears more than once.',
    },
    ratchet: 'endpoints',
  },
  check(slice, { report, atLeast, operation, oldObject }) {
    // 0.3: forNodes is dropped before validation while PreferSameTrafficDistribution is off
    // (1.32 and 1.33), unless the stored object already used it.
    const nodeHints = atLeast('1.34') || (operation === 'UPDATE' && usesNodeHints(oldObject));
    forEachEndpoint(slice, (endpoint, i) => {
      const hints = endpoint.hints;
      if (!isRecord(hints)) return;
      // Too many zone hints returns from validateHints at once: node hints are not checked.
      if (checkHints(hints.forZones, i, 'zone', report) && nodeHints) checkHints(hints.forNodes, i, 'node', report);
    });
  },
});
