/**
 * Writes policies/generated/endpointslice-validator.ts: the decode gate's ajv validator compiled
 * ahead of time with ajv's standalone mode, so that `sliceguard validate` neither imports ajv nor
 * compiles a schema at start-up (together ~100 ms of every CI run). A test checks that the file
 * matches what this script would write: run `node scripts/gen-schema-validator.ts` after changing
 * policies/schema.ts.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateValidatorSource } from './schema-validator-source.ts';

const target = fileURLToPath(new URL('../policies/generated/endpointslice-validator.ts', import.meta.url));
writeFileSync(target, generateValidatorSource());
console.log(`wrote ${target}`);
