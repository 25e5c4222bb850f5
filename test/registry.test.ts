/**
 * A rule lives in four places (STYLE.md): its file in policies/rules/, one line in
 * policies/rules/index.ts, its test in test/policies/rules/, and a row in docs/rules.md. This test
 * checks that they agree and that each rule's metadata is complete, and every failure says which
 * file to edit.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyRule } from '../policies/define-rule.ts';
import { RULES } from '../policies/rules/index.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const RULES_DIR = 'policies/rules';
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

// Templates that only document a message: the `syntax` finding carries the YAML or JSON
// parser's own message (cli/validate-files.ts), so its {{reason}} is never filled.
const TEMPLATE_ONLY = ['syntax/syntax'];
// The core's files outside policies/rules/, where findings can also be reported by message id.
const CORE = readdirSync(join(ROOT, 'policies')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(ROOT, 'policies', f), 'utf8'));

const ruleFiles = readdirSync(join(ROOT, RULES_DIR)).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort();
const idOf = (file: string) => file.replace(/\.ts$/, '');

/** Fails with every problem on its own line. */
function expectNone(problems: string[]): void {
  expect(problems, `\n${problems.join('\n')}\n`).to.deep.equal([]);
}

interface DocRow {
  id: string;
  section: 'apiserver' | 'policy' | 'other';
  cells: string[];
}

/** Returns the table rows of docs/rules.md that start with a rule id, with the section they are in. */
function docRows(text: string): DocRow[] {
  let section: DocRow['section'] = 'other';
  const rows: DocRow[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = /API-server rules/.test(line) ? 'apiserver' : /^## Policy rules \(/.test(line) ? 'policy' : 'other';
    const m = /^\| `([^`]+)` \|(.*)\|\s*$/.exec(line);
    if (m) rows.push({ id: m[1], section, cells: m[2].split('|').map((c) => c.trim()) });
  }
  return rows;
}

describe('registry: rule files, index.ts, tests and docs/rules.md agree', () => {
  let modules: Map<string, AnyRule>;
  before(async () => {
    modules = new Map();
    for (const file of ruleFiles) {
      const mod = (await import(`../${RULES_DIR}/${file}`)) as { default?: AnyRule };
      if (mod.default) modules.set(file, mod.default);
    }
  });

  it('finds the rules it checks', () => {
    expect(ruleFiles.length).to.be.greaterThan(0);
    expect(RULES.length).to.be.greaterThan(0);
  });

  it('has one rule per file in policies/rules/, default-exported, with id == file name in kebab-case', () => {
    const problems: string[] = [];
    for (const file of ruleFiles) {
      const rule = modules.get(file);
      const where = `${RULES_DIR}/${file}`;
      if (!KEBAB.test(idOf(file))) problems.push(`${where}: the file name must be the rule id in kebab-case; rename the file`);
      if (!rule || typeof rule.check !== 'function' || typeof rule.meta !== 'object') {
        problems.push(`${where}: default-export defineRule({ meta, check }); helpers belong in policies/, not policies/rules/`);
      } else if (rule.meta.id !== idOf(file)) {
        problems.push(`${where}: meta.id is ${JSON.stringify(rule.meta.id)} but the file is ${file}; make them equal (ids are never reused once released)`);
      }
    }
    expectNone(problems);
  });

  it('registers every rule file exactly once in policies/rules/index.ts, and nothing else', () => {
    const problems: string[] = [];
    for (const [file, rule] of modules) {
      const count = RULES.filter((r) => r === rule).length;
      if (count !== 1) problems.push(`policies/rules/index.ts: ${count === 0 ? 'add' : 'register only once'} ${idOf(file)} (import from './${file}' and list it in RULES)`);
    }
    const known = new Set(modules.values());
    for (const rule of RULES) if (!known.has(rule)) problems.push(`policies/rules/index.ts: ${rule.meta.id} is registered but is not the default export of a file in ${RULES_DIR}/`);
    const ids = RULES.map((r) => r.meta.id);
    for (const id of new Set(ids)) if (ids.indexOf(id) !== ids.lastIndexOf(id)) problems.push(`policies/rules/index.ts: two rules have the id ${id}`);
    expectNone(problems);
  });

  it('keeps index.ts in two sorted sections: apiserver rules, then policy rules', () => {
    const categories = RULES.map((r) => r.meta.category);
    const problems: string[] = [];
    if (categories.indexOf('policy') !== -1 && categories.lastIndexOf('apiserver') > categories.indexOf('policy')) problems.push('policies/rules/index.ts: list every apiserver rule before the policy rules');
    for (const category of ['apiserver', 'policy']) {
      const ids = RULES.filter((r) => r.meta.category === category).map((r) => r.meta.id);
      const sorted = [...ids].sort();
      if (ids.join() !== sorted.join()) problems.push(`policies/rules/index.ts: sort the ${category} section by id: ${sorted.join(', ')}`);
    }
    expectNone(problems);
  });

  it('has a test file test/policies/rules/<id>.test.ts for every rule, and none for a rule that does not exist', () => {
    const problems: string[] = [];
    for (const rule of RULES) {
      const test = `test/policies/rules/${rule.meta.id}.test.ts`;
      if (!existsSync(join(ROOT, test))) problems.push(`${test}: create it (ruleTester.run(rule, { valid, invalid }))`);
    }
    const ids = new Set(RULES.map((r) => r.meta.id));
    for (const file of readdirSync(join(ROOT, 'test/policies/rules'))) {
      const id = file.replace(/\.test\.ts$/, '');
      if (file.endsWith('.test.ts') && !ids.has(id)) problems.push(`test/policies/rules/${file}: there is no rule ${id}; rename or delete the test`);
    }
    expectNone(problems);
  });

  it('has one row per rule in docs/rules.md, in the table of its category, and no row for an unknown rule', () => {
    const rows = docRows(readFileSync(join(ROOT, 'docs/rules.md'), 'utf8'));
    const problems: string[] = [];
    for (const rule of RULES) {
      const { id, category } = rule.meta;
      const mine = rows.filter((r) => r.id === id);
      if (mine.length === 0) problems.push(`docs/rules.md: add a row for ${id} to the ${category} table`);
      else if (mine.length > 1) problems.push(`docs/rules.md: ${id} has ${mine.length} rows; keep one`);
      else if (mine[0].section !== category) problems.push(`docs/rules.md: move ${id} to the ${category} table (it is in the ${mine[0].section} one)`);
    }
    const ids = new Set(RULES.map((r) => r.meta.id));
    for (const row of rows) if (!ids.has(row.id)) problems.push(`docs/rules.md: the row for ${row.id} names no registered rule; fix or remove it`);
    expectNone(problems);
  });

  it('documents every rule, API-server rules too, in a section whose anchor is its id (SARIF links there)', () => {
    const text = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
    const missing = RULES.filter(({ meta }) => !new RegExp(`^### ${meta.id}$`, 'm').test(text)).map(({ meta }) => `docs/rules.md: add a section "### ${meta.id}" (what it refuses, where, a bad and a good example)`);
    expectNone(missing);
  });

  it("agrees with docs/rules.md on each policy rule's default severity and fixability, and documents it in a section", () => {
    const text = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8');
    const rows = new Map(docRows(text).map((r) => [r.id, r]));
    const problems: string[] = [];
    for (const { meta } of RULES.filter((r) => r.meta.category === 'policy')) {
      const row = rows.get(meta.id);
      if (!row) continue; // reported by the test above
      const [severity, fixable] = row.cells;
      const expected = meta.optIn ? `off (opt-in; ${meta.defaultSeverity})` : meta.defaultSeverity;
      if (!severity.startsWith(expected)) problems.push(`docs/rules.md: the default of ${meta.id} is ${JSON.stringify(expected)} (policies/rules/${meta.id}.ts), the table says ${JSON.stringify(severity)}`);
      if (fixable.startsWith('yes') !== meta.fixable) problems.push(`docs/rules.md: ${meta.id} is ${meta.fixable ? '' : 'not '}fixable (policies/rules/${meta.id}.ts), the table says ${JSON.stringify(fixable)}`);
      if (!new RegExp(`^### ${meta.id}$`, 'm').test(text)) problems.push(`docs/rules.md: add a section "### ${meta.id}" (what it prevents, a bad and a good example)`);
    }
    expectNone(problems);
  });

  it('has complete metadata for every rule', () => {
    const problems = RULES.flatMap((rule) => metaProblems(rule).map((p) => `policies/rules/${rule.meta.id}.ts: ${p}`));
    expectNone(problems);
  });

  it("writes messages as sentences with well-formed placeholders that the rule's file fills", () => {
    const problems: string[] = [];
    for (const rule of RULES) {
      const where = `policies/rules/${rule.meta.id}.ts`;
      const source = readFileSync(join(ROOT, where), 'utf8');
      for (const [id, template] of Object.entries(rule.meta.messages as Record<string, string>)) {
        // Cross-slice findings are reported outside the rule file, by message id (policies/cross-slice.ts).
        const elsewhere = CORE.filter((text) => text.includes(`'${id}'`)).join('\n');
        const filled = TEMPLATE_ONLY.includes(`${rule.meta.id}/${id}`) ? template.replace(PLACEHOLDER, '') : template;
        problems.push(...messageProblems(id, filled, `${source}\n${elsewhere}`).map((p) => `${where}: ${p}`));
      }
    }
    expectNone(problems);
  });

  it('catches the mistakes it looks for (the checks can fail)', () => {
    expect(messageProblems('bad', 'value {{ name } is {{other}}', 'other')).to.deep.equal([
      'message bad must start with a capital letter: "value {{ name } is {{other}}"',
      'message bad must end with a period: "value {{ name } is {{other}}"',
      'message bad has a malformed placeholder; write {{name}}: "value {{ name } is {{other}}"',
    ]);
    expect(messageProblems('typo', 'Address {{adress}} is bad.', 'report({ data: { address } })')).to.deep.equal([
      'message typo uses {{adress}}, but the file never mentions adress; fix the template or the data passed to report()',
    ]);
    const rule = { meta: { ...RULES[0].meta, id: 'x', category: 'apiserver', defaultSeverity: 'warn', description: 'no period' } } as AnyRule;
    expect(metaProblems(rule)).to.include.members(['apiserver rules always deny; set defaultSeverity: deny', 'description must be one sentence ending with a period']);
  });
});

/** Returns what is missing or wrong in a rule's metadata. */
function metaProblems(rule: AnyRule): string[] {
  const m = rule.meta;
  const problems: string[] = [];
  if (m.category !== 'apiserver' && m.category !== 'policy') problems.push(`category must be apiserver or policy, not ${JSON.stringify(m.category)}`);
  if (m.defaultSeverity !== 'deny' && m.defaultSeverity !== 'warn') problems.push(`defaultSeverity must be deny or warn, not ${JSON.stringify(m.defaultSeverity)}`);
  if (m.category === 'apiserver' && m.defaultSeverity !== 'deny') problems.push('apiserver rules always deny; set defaultSeverity: deny');
  if (m.category === 'apiserver' && m.optIn) problems.push('apiserver rules cannot be opt-in');
  if (typeof m.description !== 'string' || !/^\S[^\n]*\.$/.test(m.description)) problems.push('description must be one sentence ending with a period');
  if (typeof m.fixable !== 'boolean') problems.push('fixable must be true or false');
  if (typeof m.schema !== 'object' || m.schema === null || m.schema.type !== 'object') problems.push('schema must be the JSON Schema of an options object ({ type: "object", ... })');
  if (typeof m.defaultOptions !== 'object' || m.defaultOptions === null || Array.isArray(m.defaultOptions)) problems.push('defaultOptions must be an object ({} when there are no options)');
  if (typeof m.messages !== 'object' || m.messages === null || Object.keys(m.messages).length === 0) problems.push('messages must have at least one template');
  for (const id of Object.keys(m.messages ?? {})) if (!/^[a-z][A-Za-z0-9]*$/.test(id)) problems.push(`message id ${id} must be camelCase`);
  for (const mode of m.modes ?? []) if (mode !== 'offline' && mode !== 'webhook') problems.push(`modes may hold offline and webhook, not ${JSON.stringify(mode)}`);
  if (m.kinds !== undefined && !Array.isArray(m.kinds)) problems.push('kinds must be a list of kinds');
  return problems;
}

/** Returns what is wrong with one message template; `source` is the rule file's text. */
function messageProblems(id: string, template: string, source: string): string[] {
  const problems: string[] = [];
  const shown = JSON.stringify(template);
  if (!/^[A-Z]/.test(template)) problems.push(`message ${id} must start with a capital letter: ${shown}`);
  if (!/\.$/.test(template)) problems.push(`message ${id} must end with a period: ${shown}`);
  if (/\{\{|\}\}/.test(template.replace(PLACEHOLDER, ''))) problems.push(`message ${id} has a malformed placeholder; write {{name}}: ${shown}`);
  // The templates themselves do not count as mentions.
  const code = source.replace(PLACEHOLDER, ' ');
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!new RegExp(`\\b${name}\\b`).test(code)) {
      problems.push(`message ${id} uses {{${name}}}, but the file never mentions ${name}; fix the template or the data passed to report()`);
    }
  }
  return problems;
}

describe('registry: every error code has its section in docs/errors.md', () => {
  it('documents each code of the ErrorCode union, and no other', () => {
    const union = /export type ErrorCode =([^;]*);/.exec(readFileSync(join(ROOT, 'policies/errors.ts'), 'utf8'))?.[1] ?? '';
    const codes = [...union.matchAll(/'(SG_[A-Z0-9_]+)'/g)].map((m) => m[1]);
    expect(codes).to.include('SG_USAGE');
    const docs = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    const sections = [...docs.matchAll(/^## (SG_[A-Z0-9_]+)\s*$/gm)].map((m) => m[1]);
    const problems = [
      ...codes.filter((c) => !sections.includes(c)).map((c) => `docs/errors.md: add a "## ${c}" section (what it means, when it happens, what to do)`),
      ...sections.filter((s) => !codes.includes(s)).map((s) => `docs/errors.md: "## ${s}" is not in the ErrorCode union of policies/errors.ts; add it there or remove the section`),
      ...sections.filter((s, i) => sections.indexOf(s) !== i).map((s) => `docs/errors.md: "## ${s}" appears twice`),
    ];
    expectNone(problems);
  });
});
