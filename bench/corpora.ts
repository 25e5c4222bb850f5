/**
 * The corpora of `npm run bench` (issue 8): 10,000 typical slices in 100 files and 200 slices of
 * 1000 endpoints in 20 files, about 3% of slices with one injected error each; smaller ones for
 * `--quick`; and the scaling corpora (the same number of endpoints as slices of 10, 100 and 1000).
 */
import type { CorpusSpec } from './generate.ts';
import type { InjectionKind } from './inject.ts';

const TYPICAL_KINDS: InjectionKind[] = ['bad-address', 'bad-port-name', 'duplicate-port-name', 'missing-service-name'];
// 1001 endpoints first: the large corpus has only about six injected slices, and this one must be among them.
const LARGE_KINDS: InjectionKind[] = ['too-many-endpoints', ...TYPICAL_KINDS];

/** Returns the typical and 1000-endpoint corpus specs; `quick` scales them down five-fold. */
export function offlineCorpora(seed: number, quick: boolean): { typical: CorpusSpec; large: CorpusSpec } {
  const k = quick ? 5 : 1;
  return {
    typical: { name: 'typical', seed, slices: 10_000 / k, files: 100 / k, prefix: 'slices', injectRate: 0.03, kinds: TYPICAL_KINDS },
    large: {
      name: 'large',
      seed,
      slices: 200 / k,
      files: 20 / k,
      prefix: 'large',
      injectRate: 0.03,
      kinds: LARGE_KINDS,
      group: { endpoints: 1000, fqdn: false, exported: 0.3 },
    },
  };
}

/** Returns the scaling corpora: 20,000 endpoints each (4,000 in quick), as slices of 10, 100 and 1000. */
export function scalingCorpora(seed: number, quick: boolean): CorpusSpec[] {
  const endpoints = quick ? 4_000 : 20_000;
  return [10, 100, 1000].map((size) => ({
    name: `scaling-${size}`,
    seed,
    slices: endpoints / size,
    files: Math.max(1, endpoints / size / 100),
    prefix: `e${size}`,
    injectRate: 0,
    kinds: [],
    group: { endpoints: size, fqdn: false, exported: 0.2 },
  }));
}
