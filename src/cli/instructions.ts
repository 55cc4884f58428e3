// `customer-lens instructions`: writes agent instruction files from the map (see src/agents/instructionFiles.ts).
import { instructionFiles, INSTRUCTIONS_DIR, writeInstructionFiles } from '../agents/instructionFiles';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { loadWorkspace, plural, requireValidMap, resolveRoot, rootOption } from './mapSupport';

const usage = `Usage: customer-lens instructions [--root DIR] [--check]

Writes agent instruction files into ${INSTRUCTIONS_DIR}/ (read by GitHub Copilot in VS Code and on github.com):
one per feature, applied to the feature's files through "applyTo" globs made from the map's patterns, with the
feature's purpose and owners as the map states them and how to ask the customer_context and customer_impact tools
for live customer context; and one overview for every file. No customer data goes into them: they are meant to be
committed. Files of features that left the map are removed; files this command did not write are never touched.

Options:
  --root DIR  workspace root (default: the outermost folder with a map file up to the git repository's top)
  --check     change nothing; exit 1 when the files are not up to date with the map (for CI)`;

export const instructionsCommand: CliCommand = {
  name: 'instructions',
  summary: 'Write agent instruction files (.github/instructions) from the map',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...rootOption, check: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const root = resolveRoot(io, values.root);
    const map = requireValidMap(io, await loadWorkspace(io, root));
    const files = instructionFiles(map);
    const outcome = await writeInstructionFiles(root, files, { check: values.check });
    for (const conflict of outcome.conflicts) io.err(`warning: ${conflict} exists and was not written by customer-lens; left as is (rename or delete it to let it be generated)`);
    if (values.check) {
      const stale = outcome.written.length + outcome.removed.length;
      if (stale === 0) {
        io.out(`Agent instructions are up to date (${plural(outcome.unchanged.length, 'file')} in ${INSTRUCTIONS_DIR}).`);
        return outcome.conflicts.length > 0 ? ExitCode.failed : ExitCode.ok;
      }
      for (const file of outcome.written) io.out(`out of date: ${file}`);
      for (const file of outcome.removed) io.out(`no longer in the map: ${file}`);
      io.err(`${plural(stale, 'instruction file')} not up to date with the map; run "customer-lens instructions" and commit the result`);
      return ExitCode.failed;
    }
    for (const file of outcome.written) io.out(`wrote ${file}`);
    for (const file of outcome.removed) io.out(`removed ${file} (its feature left the map)`);
    io.out(
      `Agent instructions: ${plural(outcome.written.length, 'file')} written, ${outcome.unchanged.length} unchanged${outcome.removed.length > 0 ? `, ${outcome.removed.length} removed` : ''} in ${INSTRUCTIONS_DIR}.`,
    );
    return outcome.conflicts.length > 0 ? ExitCode.failed : ExitCode.ok;
  },
};
