import { parseArgs } from 'node:util';
import type { KubeVersion } from '../../policies/types.ts';
import { KUBE_VERSIONS } from '../../policies/types.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { expandInputs, regularInputBytes } from '../inputs.ts';
import { FORMAT_NAMES, isFormatName } from '../formatters/names.ts';
import type { Io } from '../io.ts';
import { isBigRun, prepareBigRun } from '../young-generation.ts';

const HELP = `Usage: sliceguard validate [options] PATH... | -

Checks EndpointSlice manifests (files, directories, or - for stdin) against the API server's
rules and the policy. Exit 0: nothing denied; 1: something denied; 2: the run failed.

Options:
  --format text|json|junit|sarif|github   output format (default: text)
  --kube-version ${KUBE_VERSIONS.join('|')}   API-server behaviour to model (default: 1.37)
  --namespace NS        namespace of documents without metadata.namespace (default: default)
  --policy FILE         policy file (rule severities, options, exemptions); see docs/policy.md
  --strict              treat warnings as denials
  --services PATH       Services for the Service-aware rules (repeatable; files or directories)
  --fix                 write the rules' fixes back into the files, then report what is left
  --fix-dry-run         print the fixes as a unified diff instead; exit as --fix would
  --jobs N|auto         threads to validate with (default: auto, one per core but one, at most 4,
                        for inputs over 4 MiB)
  -h, --help            show this help

Service documents among the inputs are used as well.
`;

/** Parsed `validate` options. */
export interface ValidateOptions {
  cwd: string;
  paths: string[];
  format: string;
  kubeVersion: KubeVersion;
  namespace: string;
  policyFile?: string;
  strict: boolean;
  services: string[];
  fix: boolean;
  fixDryRun: boolean;
  jobs: number | 'auto';
}

/** Returns the options of `sliceguard validate`; throws `SG_USAGE` for a bad flag or value. */
export function parseValidateArgs(argv: string[], cwd: string): ValidateOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'kube-version': { type: 'string', default: '1.37' },
        namespace: { type: 'string', default: 'default' },
        policy: { type: 'string' },
        strict: { type: 'boolean', default: false },
        services: { type: 'string', multiple: true, default: [] },
        fix: { type: 'boolean', default: false },
        'fix-dry-run': { type: 'boolean', default: false },
        jobs: { type: 'string', default: 'auto' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new SliceguardError('SG_USAGE', `validate: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!isFormatName(v.format)) throw new SliceguardError('SG_USAGE', `validate: --format ${v.format}: expected one of ${FORMAT_NAMES.join(', ')}`);
  if (!(KUBE_VERSIONS as readonly string[]).includes(v['kube-version'])) {
    throw new SliceguardError('SG_USAGE', `validate: --kube-version ${v['kube-version']}: expected one of ${KUBE_VERSIONS.join(', ')}`);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v.namespace) || v.namespace.length > 63) {
    throw new SliceguardError('SG_USAGE', `validate: --namespace ${JSON.stringify(v.namespace)}: expected a namespace name (a DNS-1123 label)`);
  }
  if (v.jobs !== 'auto' && !/^[1-9][0-9]{0,2}$/.test(v.jobs)) {
    throw new SliceguardError('SG_USAGE', `validate: --jobs ${JSON.stringify(v.jobs)}: expected a number of threads from 1 to 999, or auto`);
  }
  if (parsed.positionals.length === 0) throw new SliceguardError('SG_USAGE', 'validate: no PATH given (use - for stdin); see sliceguard validate --help');
  if (v.services.includes('-')) throw new SliceguardError('SG_USAGE', 'validate: --services takes files or directories, not -');
  if (v.fix && v['fix-dry-run']) throw new SliceguardError('SG_USAGE', 'validate: --fix and --fix-dry-run exclude each other; pick one');
  if (v.fix && parsed.positionals.includes('-')) throw new SliceguardError('SG_USAGE', 'validate: --fix cannot write back to stdin; use --fix-dry-run to see the changes');
  return {
    cwd,
    paths: parsed.positionals,
    format: v.format,
    kubeVersion: v['kube-version'] as KubeVersion,
    namespace: v.namespace,
    policyFile: v.policy,
    strict: v.strict,
    services: v.services,
    fix: v.fix,
    fixDryRun: v['fix-dry-run'],
    jobs: v.jobs === 'auto' ? 'auto' : Number(v.jobs),
  };
}

/**
 * Runs `sliceguard validate` and returns the exit code. A big input (cli/young-generation.ts) first
 * sets V8 up to keep the young generation small. The validation itself (cli/commands/validate-run.ts)
 * is loaded only when a run happens, not for `--help` or a bad flag.
 */
export async function runValidate(argv: string[], io: Io): Promise<number> {
  const opts = parseValidateArgs(argv, io.cwd);
  if (opts === 'help') {
    io.stdout(HELP);
    return 0;
  }
  let bytes: number | undefined = 0;
  try {
    bytes = regularInputBytes(expandInputs(opts.paths, io.cwd));
  } catch {
    // A missing path is reported by the validation, after a bad policy file, as always.
  }
  if (isBigRun(bytes)) prepareBigRun();
  return (await import('./validate-run.ts')).runValidation(opts, io);
}
