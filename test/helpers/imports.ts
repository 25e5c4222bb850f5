/**
 * The import rules of STYLE.md as a checker over one source file's text, for
 * test/architecture.test.ts. It reads the file with the TypeScript parser (not regular
 * expressions), so comments, strings and multi-line imports cannot fool it.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

const LAYERS = ['policies', 'webhook', 'certs', 'cli'];

// What policies/ may import from outside the project: ajv and js-yaml compute; `node:module` only
// gives createRequire, used to load ajv when a policy first needs it (policies/options.ts).
const POLICY_PACKAGES = ['ajv', 'ajv-formats', 'js-yaml'];
const POLICY_NODE_MODULES = ['node:module'];
const PURE = 'policies/ must stay pure (no file system, network, clock or process); do the I/O in cli/ or webhook/ and pass the result in';
const USE = 'evaluate is pure (no file system, network, clock, randomness or process)';

// Globals that read the clock, randomness, the network or the process; and member uses of them.
const BANNED_GLOBALS = ['process', 'performance', 'setTimeout', 'setInterval', 'setImmediate', 'fetch'];
const BANNED_MEMBERS = ['Date.now', 'Math.random', 'crypto.randomUUID', 'crypto.getRandomValues', 'globalThis.process'];

interface Edge {
  line: number;
  specifier: string;
}

/** Returns one message per forbidden import or use in the file; `file` is relative to the root. */
export function sourceProblems(file: string, text: string): string[] {
  const layer = file.split('/')[0];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: Edge[] = [];
  const uses: Edge[] = [];
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    const specifier = moduleSpecifier(node);
    if (specifier !== undefined) edges.push({ line: line(node), specifier });
    const used = layer === 'policies' ? bannedUse(node) : undefined;
    if (used !== undefined) uses.push({ line: line(node), specifier: used });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [
    ...edges.flatMap((e) => {
      const why = edgeProblem(file, layer, e.specifier);
      return why === undefined ? [] : [`${file}:${e.line} imports ${e.specifier}${why}`];
    }),
    ...uses.map((u) => `${file}:${u.line} uses ${u.specifier}: ${USE}`),
  ];
}

/** The module a node imports: import/export declarations, `import()`, `require()`, `createRequire(...)()`. */
function moduleSpecifier(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return node.moduleSpecifier.text;
  }
  if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
    const callee = node.expression;
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
    const isCreated = ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
    if (isImport || isRequire || isCreated) return node.arguments[0].text;
  }
  return undefined;
}

/** Returns why importing `specifier` from `file` is forbidden (with a leading space), or undefined. */
function edgeProblem(file: string, layer: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    const top = target.split('/')[0];
    const shown = ` (${target})`;
    if (!LAYERS.includes(top)) return `${shown}: ${layer}/ must not depend on ${top}/`;
    if (layer === 'policies' && top !== 'policies') return `${shown}: policies/ must not depend on ${top}/; the core imports nothing of the doors`;
    if (layer === 'webhook' && top !== 'webhook' && top !== 'policies') return `${shown}: webhook/ may use only webhook/ and policies/`;
    if (layer === 'certs' && top !== 'certs' && target !== 'policies/errors.ts') return `${shown}: certs/ may use only certs/ and policies/errors.ts`;
    return undefined;
  }
  if (layer !== 'policies') return undefined;
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || builtinModules.includes(bare.split('/')[0])) {
    return POLICY_NODE_MODULES.includes(`node:${bare}`) ? undefined : `: ${PURE}`;
  }
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (POLICY_PACKAGES.includes(pkg)) return undefined;
  return `: policies/ may use only the packages ${POLICY_PACKAGES.join(', ')}; add one to POLICY_PACKAGES in test/helpers/imports.ts only if it does no I/O`;
}

/** Returns the banned global or member a node uses (`Date.now`, `process`, `new Date()`), if any. */
function bannedUse(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const member = `${node.expression.text}.${node.name.text}`;
    if (BANNED_MEMBERS.includes(member)) return member;
  }
  // `new Date()` and `Date()` read the clock; `new Date(0)` and `new Date(text)` do not.
  if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments ?? []).length === 0) {
    return ts.isNewExpression(node) ? 'new Date()' : 'Date()';
  }
  if (ts.isIdentifier(node) && BANNED_GLOBALS.includes(node.text) && isValueReference(node)) return node.text;
  return undefined;
}

/** True when an identifier refers to a variable (not a property name, key or declaration). */
function isValueReference(node: ts.Identifier): boolean {
  const p = node.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === node) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p)) && p.name === node) return false;
  if (ts.isPropertyAccessExpression(p) && p.expression === node && ts.isIdentifier(p.name) && BANNED_MEMBERS.includes(`${node.text}.${p.name.text}`)) return false;
  return !ts.isTypeReferenceNode(p) && !ts.isImportSpecifier(p);
}
