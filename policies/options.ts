import { createRequire } from 'node:module';
import type { Ajv as AjvType } from 'ajv';
import { parseCIDR } from './cidr.ts';

let instance: AjvType | undefined;

/**
 * The ajv instance for rule options, created on first use: only a policy that sets options needs
 * it, and importing ajv costs ~55 ms of every `validate` start-up otherwise.
 */
function ajv(): AjvType {
  if (instance) return instance;
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  // verbose: errors carry their schema, so a `not: {enum}` can say which values are refused.
  instance = new Ajv({ allErrors: false, strict: true, useDefaults: false, verbose: true });
  // `format: cidr` lets a rule's schema say "an IPv4 or IPv6 CIDR", checked when the policy loads.
  instance.addFormat('cidr', { type: 'string', validate: (s: string) => parseCIDR(s) !== undefined });
  return instance;
}

/**
 * Returns a function that checks rule options against the rule's JSON Schema and returns
 * undefined when they are valid, else a short description such as `.max: must be <= 1000`
 * (list items as `.podCIDRs[1]`).
 */
export function compileOptionsValidator(schema: Record<string, unknown>): (options: unknown) => string | undefined {
  const validate = ajv().compile(schema);
  return (options) => {
    if (validate(options)) return undefined;
    const e = validate.errors?.[0];
    if (!e) return ': invalid';
    const where = e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
    const allowed = e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    const got = e.keyword === 'format' || e.keyword === 'pattern' || e.keyword === 'not' ? `, got ${JSON.stringify(valueAt(options, e.instancePath))}` : '';
    const refused = (e.schema as { enum?: unknown[] } | undefined)?.enum;
    const message = e.keyword === 'not' && Array.isArray(refused) ? `must not be ${refused.join(' or ')}` : e.message ?? 'invalid';
    return `${where}: ${message}${extra}${allowed}${got}`;
  };
}

function valueAt(root: unknown, instancePath: string): unknown {
  let cur = root;
  for (const seg of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}
