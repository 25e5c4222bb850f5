/** Helpers and manifests for the child-process tests of `sliceguard validate`. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RULES } from '../../policies/rules/index.ts';
import { CLI } from './built-cli.ts';
import { main } from '../../cli/main.ts';

let dir = '';

/** Gives each test of the calling suite a fresh temporary directory, the CLI's working directory. */
export function useTempDir(): void {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-process-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
}

/** Returns the absolute path of a file in the test's directory. */
export function tempPath(name: string): string {
  return join(dir, name);
}

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Writes a file (and its directories) in the test's directory. */
export function write(name: string, text: string): void {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
}

/** Runs the CLI's `main` in-process with `cwd` as its working directory and captures its output. */
export async function runInProcess(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { cwd, stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), readStdin: () => '', stdoutIsTTY: false, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

/** Runs the built CLI in the test's directory, with `stdin` on its standard input. */
export function sliceguard(args: string[], stdin?: string): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, SLICEGUARD_DEBUG: '' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input: stdin ?? '', encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export interface JsonViolation { rule: string; path: string; pointer: string; line: number; column: number; severity: string; message: string }
export interface JsonResult { file: string; document: number; item?: number; kind: string | null; name: string | null; namespace: string | null; allowed: boolean; violations: JsonViolation[] }

/** Runs `validate --format json` and returns the parsed report; stderr must be empty. */
export function validateJson(args: string[], stdin?: string): { code: number | null; results: JsonResult[]; summary: Record<string, number> } {
  const r = sliceguard(['validate', '--format', 'json', ...args], stdin);
  expect(r.err, 'stderr').to.equal('');
  const report = JSON.parse(r.out) as { results: JsonResult[]; summary: Record<string, number> };
  return { code: r.code, ...report };
}

/** `file document[.item] line:column rule path` for each finding, for compact exact comparisons. */
export function findings(results: JsonResult[], rules?: string[]): string[] {
  return results.flatMap((r) =>
    r.violations
      .filter((v) => !rules || rules.includes(v.rule))
      .map((v) => `${r.file} ${r.document}${r.item === undefined ? '' : `.${r.item}`} ${v.line}:${v.column} ${v.rule} ${v.path}`),
  );
}

/** Marks the test pending, with the reason on the console, while a rule it needs is missing. */
export function needRules(ctx: Mocha.Context, ...ids: string[]): void {
  const missing = ids.filter((id) => !RULES.some((r) => r.meta.id === id));
  if (missing.length === 0) return;
  console.log(`      pending: waits for rule ${missing.join(', ')} in policies/rules/index.ts`);
  ctx.skip();
}

/** One line on stderr, `sliceguard: ...`, and no stack trace. */
export function expectOneErrorLine(r: Run, pattern: RegExp): void {
  expect(r.code).to.equal(2);
  expect(r.out).to.equal('');
  expect(r.err).to.match(/^sliceguard: [^\n]+\n$/);
  expect(r.err).to.match(pattern);
  expect(r.err).not.to.match(/\n\s+at /);
}

export const LABELS = '  labels:\n    kubernetes.io/service-name: web\n    endpointslice.kubernetes.io/managed-by: team-a\n';
export const CLEAN_SLICE = `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-1\n  namespace: shop\n${LABELS}addressType: IPv4\nports:\n  - name: http\n    port: 8080\n    protocol: TCP\nendpoints:\n  - addresses: ["10.0.0.1"]\n    conditions: {ready: true}\n`;
export const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n';

// Line numbers below are 1-based lines of these texts; the comments mark the ones findings point at.
export const MULTI = [
  '# three documents; the second does not parse', // 1
  'apiVersion: discovery.k8s.io/v1', // 2  <- no addressType: reported at the document root
  'kind: EndpointSlice',
  'metadata:',
  '  name: web-1',
  '  namespace: shop',
  LABELS.trimEnd(), // 7-9
  'endpoints:', // 10
  '  - addresses: ["10.0.0.1"]',
  '---', // 12
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: b',
  '   bad: indentation', // 17 <- syntax
  '---', // 18
  'apiVersion: discovery.k8s.io/v1',
  'kind: EndpointSlice',
  'metadata:',
  '  name: web-2',
  '  namespace: shop',
  LABELS.trimEnd(), // 24-26
  'addressType: IPv5', // 27 <- unsupported addressType, at the key
  'endpoints: []',
  '',
].join('\n');

export const SLICE_JSON = `{
  "apiVersion": "discovery.k8s.io/v1",
  "kind": "EndpointSlice",
  "metadata": {"name": "web-3", "namespace": "shop",
    "labels": {"kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "team-a"}},
  "addressType": "IPv4",
  "endpoints": [
    {"addresses": ["10.0.0.1", "10.0.0.256"]}
  ]
}
`;
