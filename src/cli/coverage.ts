import { computeCoverage } from '../map/coverage';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { coverageLine, loadWorkspace, requireValidMap, resolveRoot, rootOption } from './mapSupport';

const usage = `Usage: customer-lens coverage [--root DIR] [--unmapped] [--json]

Counts the files of each feature and the files no feature covers (neither mapped nor listed under "unmapped").

Options:
  --root DIR   workspace root (default: the outermost folder with a map file up to the git repository's top)
  --unmapped   list the unmapped files, grouped by folder
  --json       print the result as JSON (with every feature's files)`;

function groupByFolder(files: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const folder = slash < 0 ? './' : file.slice(0, slash + 1);
    const list = groups.get(folder) ?? [];
    list.push(file);
    groups.set(folder, list);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const coverageCommand: CliCommand = {
  name: 'coverage',
  summary: 'Count files per feature and list the files no feature covers',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...rootOption, unmapped: { type: 'boolean' }, json: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const root = resolveRoot(io, values.root);
    const workspace = await loadWorkspace(io, root);
    const map = requireValidMap(io, workspace);
    const report = computeCoverage(map, workspace.files);
    const groups = groupByFolder(report.unmappedFiles);

    if (values.json) {
      const json: Record<string, unknown> = {
        root,
        total: report.total,
        mapped: report.mapped,
        ignored: report.ignored,
        unmapped: report.unmappedFiles.length,
        percent: Math.round(report.ratio * 10000) / 100,
        features: map.features.map((f) => ({ id: f.id, name: f.name, files: report.filesByFeature.get(f.id) ?? [] })),
      };
      if (values.unmapped) json.unmappedFiles = [...groups.entries()].map(([folder, files]) => ({ folder, files }));
      io.out(JSON.stringify(json, null, 2));
      return ExitCode.ok;
    }
    const lines = [coverageLine(report), '', 'Files per feature:'];
    const idWidth = Math.max(0, ...map.features.map((f) => f.id.length));
    const counts = map.features.map((f) => String(report.filesByFeature.get(f.id)?.length ?? 0));
    const countWidth = Math.max(0, ...counts.map((c) => c.length));
    map.features.forEach((f, i) => lines.push(`  ${f.id.padEnd(idWidth)}  ${counts[i].padStart(countWidth)}  ${f.name}`));
    if (report.unmappedFiles.length === 0) {
      lines.push('', 'No unmapped files.');
    } else if (values.unmapped) {
      lines.push('', `Unmapped files (${report.unmappedFiles.length}):`);
      for (const [folder, files] of groups) {
        lines.push(`  ${folder} (${files.length})`, ...files.map((f) => `    ${f}`));
      }
    } else {
      lines.push('', `${report.unmappedFiles.length} unmapped file(s) in ${groups.size} folder(s); list them with --unmapped.`);
    }
    io.out(lines.join('\n'));
    return ExitCode.ok;
  },
};
