/**
 * Runs a rule over lists of valid and invalid examples (after ESLint's RuleTester). Each invalid
 * example names the exact findings (message id and JSON Pointer, optionally the API path) and, for
 * a fixable rule, the object after fixing. The tester validates options against the rule's schema,
 * deep-freezes the input, checks that messages have no unfilled placeholders, and checks that a
 * fixed object gives no finding of the rule again.
 */
import { describe, it } from 'mocha';
import { expect } from 'chai';
import type { AnyRule } from '../../policies/define-rule.ts';
import { createPolicy } from '../../policies/policy.ts';
import { evaluate } from '../../policies/engine.ts';
import { applyPatch } from '../../policies/patch.ts';
import type { EvalContext, Finding } from '../../policies/types.ts';
import { deepFreeze } from './fixtures.ts';

/** One example: an object, or an object with options and context. */
export type ValidCase =
  | Record<string, unknown>
  | { object: unknown; options?: Record<string, unknown>; context?: EvalContext; name?: string };

/** An expected finding: message id and JSON Pointer; `apiPath` when it differs from the pointer's form. */
export interface ExpectedFinding {
  messageId: string;
  path: string;
  apiPath?: string;
  /** A substring the message must contain. */
  message?: string;
}

/** An invalid example with the exact findings it must produce. */
export interface InvalidCase {
  object: unknown;
  options?: Record<string, unknown>;
  context?: EvalContext;
  name?: string;
  findings: ExpectedFinding[];
  /** For fixable rules: the object after applying this rule's fixes. */
  output?: unknown;
}

function isWrapped(c: ValidCase): c is { object: unknown; options?: Record<string, unknown>; context?: EvalContext; name?: string } {
  return Object.prototype.hasOwnProperty.call(c, 'object') && !Object.prototype.hasOwnProperty.call(c, 'apiVersion');
}

/** Returns this rule's findings for one example. */
export function runRule(rule: AnyRule, object: unknown, options?: Record<string, unknown>, context: EvalContext = {}): Finding[] {
  const policy = createPolicy({ rules: { [rule.meta.id]: options ? { options } : rule.meta.defaultSeverity } }, '<test>', [rule]);
  const report = evaluate(deepFreeze(structuredClone(object)), policy, context);
  return report.findings.filter((f) => f.rule === rule.meta.id);
}

/** Defines mocha tests for `rule` from example lists. */
export function run(rule: AnyRule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`rule ${rule.meta.id}`, () => {
    cases.valid.forEach((c, i) => {
      const { object, options, context, name } = isWrapped(c) ? c : { object: c, options: undefined, context: undefined, name: undefined };
      it(`valid #${i}${name ? `: ${name}` : ''}`, () => {
        const found = runRule(rule, object, options, context);
        expect(found.map((f) => `${f.messageId} ${f.pointer}: ${f.message}`)).to.deep.equal([]);
      });
    });
    cases.invalid.forEach((c, i) => {
      it(`invalid #${i}${c.name ? `: ${c.name}` : ''}`, () => {
        const found = runRule(rule, c.object, c.options, c.context);
        const got = found.map((f) => ({ messageId: f.messageId, path: f.pointer, ...(c.findings.some((e) => e.apiPath) ? { apiPath: f.path } : {}) }));
        const want = c.findings.map((e) => ({ messageId: e.messageId, path: e.path, ...(c.findings.some((x) => x.apiPath) ? { apiPath: e.apiPath ?? pointerPathOf(found, e) } : {}) }));
        expect(got, found.map((f) => f.message).join('\n')).to.deep.equal(want);
        for (const f of found) {
          // The template's own placeholders must all be filled (the data itself may contain `{{`).
          for (const [ph] of (rule.meta.messages[f.messageId] ?? '').matchAll(/\{\{\s*[A-Za-z0-9_]+\s*\}\}/g)) {
            expect(f.message, `unfilled placeholder ${ph} in ${f.messageId}`).not.to.contain(ph);
          }
          expect(f.message, 'messages are sentences').to.match(/^[A-Z0-9"`'(].*[.)]$/s);
        }
        c.findings.forEach((e, k) => {
          if (e.message) expect(found[k].message).to.contain(e.message);
        });
        if (c.output !== undefined) {
          expect(rule.meta.fixable, 'output given for a rule that cannot fix').to.equal(true);
          const ops = found.flatMap((f) => f.fix ?? []);
          const fixed = applyPatch(c.object, ops);
          expect(fixed).to.deep.equal(c.output);
          expect(runRule(rule, fixed, c.options, c.context).map((f) => f.messageId), 'fix leaves findings').to.deep.equal([]);
        }
      });
    });
  });
}

function pointerPathOf(found: Finding[], e: ExpectedFinding): string | undefined {
  return found.find((f) => f.pointer === e.path && f.messageId === e.messageId)?.path;
}

/** The tester, in the shape STYLE.md shows (`ruleTester.run(rule, { valid, invalid })`). */
export const ruleTester = { run };
