import { expect } from 'chai';
import { RULES } from '../../policies/rules/index.ts';
import { compileOptionsValidator } from '../../policies/options.ts';

// createPolicy trusts default options without compiling their schema at start-up; this keeps
// that trust earned.
describe('rule default options', () => {
  for (const rule of RULES) {
    it(`${rule.meta.id}: default options satisfy the rule's option schema`, () => {
      expect(compileOptionsValidator(rule.meta.schema)(rule.meta.defaultOptions)).to.equal(undefined);
    });
  }
});
