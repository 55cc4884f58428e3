// `customer-lens impact`: what a change puts at stake for customers, from git and the map: for a pull request in CI
// (`--base origin/main --head HEAD`), or for the working tree before committing. `--format github` writes the
// markdown report to the step summary and one annotation per feature, for a workflow that needs no comment rights.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { changedFiles } from '../git/gitDiff';
import { GitError } from '../git/gitRunner';
import { impactAnnotations, impactJson, impactMarkdown, impactText } from '../lens/impactFormats';
import { impactReport } from '../lens/impactReport';
import { ExitCode, InputError, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { commandLogger, lensOptions, lensOptionsUsage, openWorkspace, workspaceOptions } from './lensSupport';

const FORMATS = ['text', 'markdown', 'json', 'github'] as const;
type Format = (typeof FORMATS)[number];

const usage = `Usage: customer-lens impact [options] [--base REF] [--head REF] [--format text|markdown|json|github]

Shows what a change puts at stake for customers: the features its files belong to (through the map), each with its
open problems (customers, ARR), a customer's words, the usage headline and its owners. Features with no customer
context are listed too, with their owners.

  --base REF       compare with this revision (default HEAD). With --head: the files changed from their merge base,
                   as a pull request counts them. Without --head: the working tree against the merge base of REF and
                   HEAD, staged, unstaged and untracked files included
  --head REF       the revision holding the change (default: the working tree)
  --format F       text (default); markdown, ready to post as a pull request comment (its first line is the marker
                   <!-- customer-lens-impact --> a workflow finds its own comment by); json; github, which appends
                   the markdown to $GITHUB_STEP_SUMMARY and prints one ::notice annotation per feature
${lensOptionsUsage}`;

export const impactCommand: CliCommand = {
  name: 'impact',
  summary: 'Show the customers a change (a branch, or the working tree) touches, for review',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...lensOptions, base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; name the change with --base and --head`);
    const format = (values.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (format === 'github' && !summaryFile) throw new InputError('--format github writes to the file $GITHUB_STEP_SUMMARY names, and it is not set: run it in a GitHub Actions step, or use --format markdown');
    const log = commandLogger(io.err, { info: false, warn: true, error: false });
    const options = workspaceOptions(io, values, 'once', log);
    let change;
    try {
      change = await changedFiles(options.root, { base: values.base, head: values.head });
    } catch (error) {
      if (error instanceof GitError) throw new InputError(error.message);
      throw error;
    }
    const workspace = await openWorkspace(options);
    try {
      const absolute = change.files.map((file) => path.join(workspace.root, file));
      const report = await impactReport([workspace], absolute, change.label, { waitMs: workspace.waitMs });
      const now = Date.now();
      if (format === 'json') io.out(impactJson(report, now));
      else if (format === 'markdown') io.out(impactMarkdown(report, now));
      else if (format === 'text') io.out(impactText(report, now));
      else {
        fs.appendFileSync(summaryFile!, `${impactMarkdown(report, now)}\n`);
        const annotations = impactAnnotations(report, change.prefix);
        io.out([...annotations, `Customer impact: ${report.features.length} feature${report.features.length === 1 ? '' : 's'} touched; the report is in the step summary.`].join('\n'));
      }
    } finally {
      await workspace.dispose();
    }
    return ExitCode.ok;
  },
};
