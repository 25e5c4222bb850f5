import { Ajv } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: true, useDefaults: false });

/**
 * Returns a function that checks rule options against the rule's JSON Schema and returns
 * undefined when they are valid, else a short description such as `.max: must be <= 1000`.
 */
export function compileOptionsValidator(schema: Record<string, unknown>): (options: unknown) => string | undefined {
  const validate = ajv.compile(schema);
  return (options) => {
    if (validate(options)) return undefined;
    const e = validate.errors?.[0];
    if (!e) return ': invalid';
    const where = e.instancePath.replace(/\//g, '.');
    const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
    const allowed = e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    return `${where}: ${e.message ?? 'invalid'}${extra}${allowed}`;
  };
}
