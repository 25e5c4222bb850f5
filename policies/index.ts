/** The public API of the policy core. */
export { evaluate, compareFindings, SERVED_API_VERSION } from './engine.ts';
export { createPolicy, type Policy, type PolicyConfig, type ActiveRule, type Exemption } from './policy.ts';
export { pointer, parsePointer, pointerToPath, getAt } from './pointer.ts';
export { SliceguardError, type ErrorCode } from './errors.ts';
export { RULES } from './rules/index.ts';
export * from './types.ts';
