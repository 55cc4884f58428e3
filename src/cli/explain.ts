import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PathExplanation } from '../shared/mapModel';
import { ExitCode, InputError, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { loadWorkspace, relativePath, requireValidMap, resolveRoot, rootOption } from './mapSupport';

const usage = `Usage: customer-lens explain [--root DIR] [--json] [--stdin] <path>...

Shows the features each path belongs to, primary first, with the pattern and the map file line that matched.
Paths are relative to the current folder; a folder is explained as a whole (patterns that cover everything in it).

Options:
  --root DIR  workspace root (default: the outermost folder with a map file up to the git repository's top)
  --json      print [{"path", "features": [{"id", "primary", "pattern", "map", "line"}], "ignored"}]
  --stdin     read the paths from standard input, one a line (after those given as arguments), e.g.
              git diff --name-only main | customer-lens explain --stdin`;

/** The lines of a stream, without line ends and empty lines. */
async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  let rest = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() as string;
    for (const line of parts) lines.push(line);
  }
  lines.push(rest);
  return lines.map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
}

function toRootRelative(root: string, cwd: string, arg: string): string {
  const absolute = path.resolve(cwd, arg);
  const relative = path.relative(root, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(`${arg} is outside the workspace root ${root}; pass a path inside it, or use --root`);
  }
  let isDir = arg.endsWith('/') || arg.endsWith(path.sep) || relative === '';
  try {
    // A path that does not exist (yet) is explained as a file: the map answers for any path.
    isDir ||= fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // Unreadable (a permission, a loop): explained as a file too.
  }
  const posix = relative.split(path.sep).join('/');
  return isDir ? `${posix}/` : posix;
}

function textBlock(explanation: PathExplanation, root: string): string[] {
  const lines = [explanation.path === '' ? './' : explanation.path];
  const rows = explanation.features.map((f) => [f.featureId, f.primary ? 'primary' : '', f.pattern, `${relativePath(root, f.mapFile)}:${f.line}`]);
  if (explanation.ignoredBy) {
    const by = explanation.ignoredBy;
    rows.push(['(unmapped)', 'ignored', by.pattern, `${relativePath(root, by.mapFile)}:${by.line}`]);
  } else if (explanation.partOfMap) {
    rows.push(['(unmapped)', 'ignored', `the map's own ${explanation.partOfMap}`, '']);
  }
  if (rows.length === 0) {
    lines.push('  no feature: add a pattern for it to a feature\'s "paths", or to "unmapped"');
    return lines;
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) {
    lines.push(`  ${row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('  ')}`.trimEnd());
  }
  return lines;
}

export const explainCommand: CliCommand = {
  name: 'explain',
  summary: 'Show which features a path belongs to, and which map line says so',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...rootOption, json: { type: 'boolean' }, stdin: { type: 'boolean' } });
    if (values.stdin && !io.stdin) throw new UsageError('--stdin: there is no standard input to read');
    const given = values.stdin && io.stdin ? [...positionals, ...(await readLines(io.stdin))] : positionals;
    if (given.length === 0) throw new UsageError(values.stdin ? 'standard input held no path to explain (one path a line)' : 'give at least one path to explain, or --stdin');
    const root = resolveRoot(io, values.root);
    const paths = given.map((arg) => toRootRelative(root, io.cwd, arg));
    const map = requireValidMap(io, await loadWorkspace(io, root));
    const explanations = paths.map((p) => map.explain(p));
    if (values.json) {
      const json = explanations.map((e) => ({
        path: e.path,
        features: e.features.map((f) => ({ id: f.featureId, primary: f.primary, pattern: f.pattern, map: relativePath(root, f.mapFile), line: f.line })),
        ignored: e.ignored,
        ...(e.partOfMap ? { partOfMap: e.partOfMap } : {}),
      }));
      io.out(JSON.stringify(json, null, 2));
    } else {
      io.out(explanations.flatMap((e) => textBlock(e, root)).join('\n'));
    }
    return ExitCode.ok;
  },
};
