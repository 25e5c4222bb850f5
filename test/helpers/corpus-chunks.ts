/**
 * Documents to compare the fast reader and the Locator's walk against js-yaml on: a generated
 * benchmark corpus (bench/generate.ts) and the shared corpus beside the project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitYamlStream, type Chunk } from '../../cli/documents.ts';
import { buildCorpus, type Injection } from '../../bench/generate.ts';

/** Returns every document of a generated corpus of `slices` slices (and their Services), 5% of them with an injected error. */
export function generatedChunks(seed: number, slices: number): Chunk[] {
  const injected: Injection[] = [];
  const spec = { name: 't', seed, slices, files: 2, prefix: 't', injectRate: 0.05, kinds: ['bad-address' as const, 'bad-port-name' as const] };
  return [...buildCorpus(spec, injected)].flatMap((file) => splitYamlStream(file.text));
}

/** Returns every document of `../shared/corpus/real`, or undefined when `../shared` is not there. */
export function sharedCorpusChunks(): Chunk[] | undefined {
  const dir = new URL('../../../shared/corpus/real', import.meta.url).pathname;
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir).flatMap((name) => splitYamlStream(readFileSync(join(dir, name), 'utf8')));
}
