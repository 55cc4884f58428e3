import type { MapProblem } from '../shared/mapModel';
import { computeCoverage } from '../map/coverage';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { coverageLine, formatPercent, formatProblem, loadWorkspace, plural, problemJson, relativePath, resolveRoot, rootOption } from './mapSupport';

const usage = `Usage: customer-lens check [--root DIR] [--min-coverage PCT] [--json]

Validates every map file, warns about patterns that match no file and features with no files, and prints coverage:
files mapped or ignored, divided by all files (git ls-files in a git repository, otherwise every file except .git
and node_modules). Exit code 0 when clean, 1 on errors or coverage below the minimum, 2 on usage errors.

Options:
  --root DIR          workspace root (default: the outermost folder with a map file up to the git repository's top)
  --min-coverage PCT  fail when coverage is below PCT percent (0-100)
  --json              print the result as JSON`;

function parseMinimum(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new UsageError(`--min-coverage must be a percentage from 0 to 100, got "${text}"`);
  }
  return value;
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Validate the map files, warn about dead patterns, and check coverage (for CI)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...rootOption, 'min-coverage': { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const minimum = parseMinimum(values['min-coverage']);
    const root = resolveRoot(io, values.root);
    const workspace = await loadWorkspace(io, root);
    const problems: MapProblem[] = [...workspace.problems];
    const hasErrors = problems.some((p) => p.severity === 'error');
    // Coverage of a map with errors would count files against half a map; the errors come first.
    const coverage = !hasErrors && workspace.map ? computeCoverage(workspace.map, workspace.files) : undefined;
    // With no file listed, every pattern "matches no file": warnings that would only hide the real problem.
    if (coverage && coverage.total > 0) problems.push(...coverage.problems);
    // Coverage of no files is not 100%: a minimum cannot be met by a folder whose files were not listed.
    const belowMinimum = coverage !== undefined && minimum !== undefined && (coverage.total === 0 || coverage.ratio * 100 < minimum);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - errors;
    const ok = errors === 0 && !belowMinimum;

    if (values.json) {
      io.out(
        JSON.stringify(
          {
            ok,
            root,
            mapFiles: workspace.parsed.map((m) => relativePath(root, m.file)),
            features: workspace.map?.features.length ?? 0,
            errors,
            warnings,
            problems: problems.map((p) => problemJson(p, root)),
            coverage: coverage
              ? {
                  total: coverage.total,
                  mapped: coverage.mapped,
                  ignored: coverage.ignored,
                  unmapped: coverage.unmappedFiles.length,
                  percent: coverage.total === 0 ? null : Math.round(coverage.ratio * 10000) / 100,
                }
              : null,
            minCoverage: minimum ?? null,
          },
          null,
          2,
        ),
      );
      return ok ? ExitCode.ok : ExitCode.failed;
    }
    const lines = problems.map((p) => formatProblem(p, io.cwd));
    if (coverage) lines.push(coverageLine(coverage));
    else lines.push('Coverage: not computed until the errors above are fixed');
    if (belowMinimum && coverage?.total === 0) {
      lines.push(`error: coverage cannot reach the minimum of ${minimum}%: no files were listed in ${root}; check that git does not ignore them (git ls-files), or pass the folder that holds them with --root`);
    } else if (belowMinimum && coverage && minimum !== undefined) {
      lines.push(`error: coverage ${formatPercent(coverage.ratio)} is below the minimum of ${minimum}%; map the unmapped files (customer-lens coverage --unmapped) or list them under "unmapped"`);
    }
    const features = workspace.map?.features.length ?? 0;
    lines.push(`${plural(workspace.parsed.length, 'map file')}, ${plural(features, 'feature')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
    io.out(lines.join('\n'));
    return ok ? ExitCode.ok : ExitCode.failed;
  },
};
