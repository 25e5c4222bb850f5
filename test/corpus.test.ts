/**
 * The labelled corpus in ../shared (real-world-shaped manifests with expected verdicts): every
 * API-server verdict and every policy tag must agree, with no policy denial that no tag asks for.
 * Skipped when ../shared is not beside the project.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './cli/built-cli.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHECK = fileURLToPath(new URL('../../shared/tools/corpus-check.mjs', import.meta.url));

describe('corpus (../shared/tools/corpus-check.mjs)', function () {
  this.timeout(120000);
  before(function () {
    if (!existsSync(CHECK)) this.skip();
    ensureBuilt();
  });

  it('reports no disagreement: API verdicts, policy tags, no unexpected policy deny', () => {
    const run = spawnSync(process.execPath, [CHECK], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SLICEGUARD: '' } });
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(0, -1), run.stderr).to.deep.equal([]);
    expect(lines[lines.length - 1]).to.match(/API verdicts (\d+)\/\1; policy tags (\d+)\/\2; unexpected policy denies 0$/);
    expect(run.status).to.equal(0);
  });
});
