/** `sliceguard rules`: every registered rule, in both formats, and its errors. */
import { expect } from 'chai';
import { main } from '../../cli/main.ts';
import { rulesText } from '../../cli/commands/rules.ts';
import { RULES } from '../../policies/rules/index.ts';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { cwd: '/', stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), readStdin: () => '', stdoutIsTTY: false, env: {} };
  const code = await main(['rules', ...argv], io);
  return { code, out, err };
}

describe('sliceguard rules', () => {
  it('lists every registered rule as JSON, sorted by id, with the registry metadata', async () => {
    const r = await run('--format', 'json');
    expect(r.code).to.equal(0);
    const { rules } = JSON.parse(r.out) as { rules: Record<string, unknown>[] };
    const expected = RULES.map((rule) => ({
      id: rule.meta.id,
      category: rule.meta.category,
      defaultSeverity: rule.meta.defaultSeverity,
      enabledByDefault: rule.meta.optIn !== true,
      fixable: rule.meta.fixable,
      description: rule.meta.description,
    })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(rules).to.deep.equal(expected);
  });

  it('prints an aligned table with one line per rule by default', async () => {
    const r = await run();
    expect(r.code).to.equal(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).to.match(/^RULE +CATEGORY +SEVERITY +FIXABLE +DESCRIPTION$/);
    expect(lines).to.have.length(RULES.length + 3);
    const col = lines[0].indexOf('CATEGORY');
    for (const line of lines.slice(1, RULES.length + 1)) expect(line[col - 1]).to.equal(' ');
    expect(lines.at(-1)).to.match(new RegExp(`^${RULES.length} rules: \\d+ apiserver \\(always deny\\), \\d+ policy`));
  });

  it('formats a fixed list exactly, opt-in rules as off (severity)', () => {
    const out = rulesText([
      { id: 'address-type', category: 'apiserver', defaultSeverity: 'deny', enabledByDefault: true, fixable: false, description: 'Checks addressType.' },
      { id: 'fqdn-lowercase', category: 'policy', defaultSeverity: 'warn', enabledByDefault: false, fixable: true, description: 'Lower-cases FQDNs.' },
    ]);
    expect(out).to.equal(
      [
        'RULE            CATEGORY   SEVERITY    FIXABLE  DESCRIPTION',
        'address-type    apiserver  deny        no       Checks addressType.',
        'fqdn-lowercase  policy     off (warn)  yes      Lower-cases FQDNs.',
        '',
        '2 rules: 1 apiserver (always deny), 1 policy (severity from the policy file; see docs/policy.md).',
        '',
      ].join('\n'),
    );
  });

  it('refuses an unknown format, an unknown flag and an argument with exit 2 and one line', async () => {
    for (const argv of [['--format', 'sarif'], ['--colour'], ['extra']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.out).to.equal('');
      expect(r.err).to.match(/^sliceguard: rules: .+ \[SG_USAGE\]\n$/);
    }
  });

  it('prints its help with exit 0', async () => {
    const r = await run('--help');
    expect(r.code).to.equal(0);
    expect(r.out).to.contain('Usage: sliceguard rules [--format text|json]');
  });
});
