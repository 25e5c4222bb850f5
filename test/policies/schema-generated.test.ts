import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { generateValidatorSource } from '../../scripts/schema-validator-source.ts';

describe('precompiled decode gate', () => {
  it('matches policies/schema.ts (run `node scripts/gen-schema-validator.ts` after changing the schema)', () => {
    const committed = readFileSync(new URL('../../policies/generated/endpointslice-validator.ts', import.meta.url), 'utf8');
    expect(committed === generateValidatorSource(), 'policies/generated/endpointslice-validator.ts is stale').to.equal(true);
  });
});
