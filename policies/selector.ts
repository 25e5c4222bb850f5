/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** True when `labels` satisfy every term of `selector`, as the API server evaluates selectors. */
export function matchesSelector(selector: LabelSelector, labels: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    const inValues = has && (e.values ?? []).includes(String(value));
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * Returns what is wrong with a label selector written in a policy file, as `<where>: <problem>`
 * relative to the selector (`.matchExpressions[0].operator: ...`), or undefined when it is valid.
 * The rules are metav1's: In and NotIn need values, Exists and DoesNotExist take none.
 */
export function selectorProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return ': expected a map with matchLabels and/or matchExpressions';
  for (const key of Object.keys(value)) {
    if (key !== 'matchLabels' && key !== 'matchExpressions') return `: unknown key "${key}"; allowed keys: matchLabels, matchExpressions`;
  }
  if (value.matchLabels !== undefined) {
    if (!isRecord(value.matchLabels)) return '.matchLabels: expected a map from label key to value';
    for (const [k, v] of Object.entries(value.matchLabels)) {
      if (typeof v !== 'string') return `.matchLabels.${k}: expected a string value, got ${JSON.stringify(v)}`;
    }
  }
  if (value.matchExpressions !== undefined) {
    if (!Array.isArray(value.matchExpressions)) return '.matchExpressions: expected a list of {key, operator, values}';
    for (let i = 0; i < value.matchExpressions.length; i++) {
      const problem = expressionProblem(value.matchExpressions[i]);
      if (problem) return `.matchExpressions[${i}]${problem}`;
    }
  }
  return undefined;
}

function expressionProblem(e: unknown): string | undefined {
  if (!isRecord(e)) return ': expected a map with key, operator and values';
  for (const key of Object.keys(e)) {
    if (!['key', 'operator', 'values'].includes(key)) return `: unknown key "${key}"; allowed keys: key, operator, values`;
  }
  if (typeof e.key !== 'string' || e.key === '') return '.key: expected a non-empty label key';
  if (typeof e.operator !== 'string' || !OPERATORS.includes(e.operator)) {
    return `.operator: ${JSON.stringify(e.operator)} is not one of ${OPERATORS.join(', ')}`;
  }
  const values = e.values;
  if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) {
    return '.values: expected a list of strings';
  }
  const count = Array.isArray(values) ? values.length : 0;
  if ((e.operator === 'In' || e.operator === 'NotIn') && count === 0) return `.values: operator ${e.operator} needs at least one value`;
  if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && count > 0) return `.values: operator ${e.operator} takes no values`;
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
