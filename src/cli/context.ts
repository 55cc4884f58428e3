// `customer-lens context`: a file's features with their customers' problems, quotes and usage, laid out for a
// terminal (or as JSON), from the endpoint or the map's context file, with the editor's cache rules. Every remote
// string is printed through plainText: no escape sequence, control or bidi character from an endpoint reaches the
// terminal.
import * as path from 'node:path';
import { lensReport, openProblems, problemFigures, type FeatureBrief, type LensReport, type PathMapping } from '../lens/featureBriefs';
import { describeFreshness } from '../lens/freshnessText';
import type { Problem, Quote, UsageMetric } from '../shared/contextProtocol';
import { formatChange, formatCount } from '../shared/displayFormat';
import { plainText, plainUrl, printableJson, printableLines } from '../shared/plainText';
import { ExitCode, InputError, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { commandLogger, ENDPOINT_HINT, lensOptions, lensOptionsUsage, openWorkspace, workspaceOptions } from './lensSupport';

const usage = `Usage: customer-lens context [options] [--json] <path>...

Shows the customers behind the code: for each path, the features it belongs to (and the map line that says so);
for each feature, its purpose, owners, open customer problems, quotes, usage and links. Paths are relative to the
current folder. Context comes from the endpoint when one is given, else from the context file the map names, and is
cached like the editor caches it: fresh for 10 minutes, and shown from the cache (with its age) when the endpoint
cannot be reached.

Options:
${lensOptionsUsage}
  --json           print {"paths", "features": [{"id", "name", …, "context"}], "source", "notes"}`;

const MAX_PROBLEMS = 5;
const MAX_QUOTES = 3;
const MAX_USAGE = 5;
const MAX_LINKS = 5;

/** Words wrapped to `width`, every line after the first indented like the first. */
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

function problemFacts(problem: Problem): string {
  const facts = problemFigures(problem);
  if (problem.source) facts.push(plainText(problem.source, 30));
  return facts.join(' · ');
}

function quoteLines(quote: Quote, width: number): string[] {
  const lines = wrap(`“${plainText(quote.text, 600)}”`, width, '    ');
  const who = [quote.author, quote.company, quote.segment].filter((s): s is string => Boolean(s)).map((s) => plainText(s, 40));
  const date = quote.date ? /^\d{4}-\d{2}-\d{2}/.exec(quote.date)?.[0] : undefined;
  const source = quote.source ? plainText(quote.source, 30) : undefined;
  const attribution = [who.join(', '), date, source].filter((s): s is string => Boolean(s));
  if (attribution.length > 0) lines.push(`      — ${attribution.join(' · ')}`);
  const url = plainUrl(quote.url);
  if (url) lines.push(`      ${url}`);
  return lines;
}

function usageRows(metrics: readonly UsageMetric[]): string[] {
  const rows = metrics.map((m) => {
    const unit = m.unit && !m.label.toLowerCase().includes(m.unit.toLowerCase()) ? (m.unit === '%' ? ' %' : ` ${plainText(m.unit, 16)}`) : '';
    const period = m.period ? ` (${plainText(m.period, 12)})` : '';
    const change = m.change !== undefined ? formatChange(m.change) : '';
    return [plainText(m.label, 50), `${formatCount(m.value)}${unit}${period}`, change];
  });
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  return rows.map((r) => `    ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`.trimEnd());
}

function featureBlock(brief: FeatureBrief, width: number): string[] {
  const context = brief.context;
  const owners = brief.owners.length > 0 ? ` · ${brief.owners.map((o) => plainText(o, 60)).join(', ')}` : '';
  const lines = [`${plainText(context?.name ?? brief.name, 80)} (${plainText(brief.id, 128)})${owners}`];
  const purpose = context?.summary ?? brief.description;
  if (purpose) lines.push(...wrap(plainText(purpose, 600), width, '  '));
  if (!context) {
    lines.push('  No customer context for this feature yet.');
  } else {
    const open = openProblems(context);
    const solved = (context.problems ?? []).length - open.length;
    lines.push(`  Problems: ${open.length} open${solved > 0 ? `, ${solved} solved` : ''}`);
    for (const problem of open.slice(0, MAX_PROBLEMS)) {
      lines.push(...wrap(plainText(problem.title, 300), width, '    '));
      const facts = problemFacts(problem);
      if (facts) lines.push(`      ${facts}`);
      const url = plainUrl(problem.url);
      if (url) lines.push(`      ${url}`);
    }
    if (open.length > MAX_PROBLEMS) lines.push(`    … ${open.length - MAX_PROBLEMS} more open`);
    const quotes = context.quotes ?? [];
    if (quotes.length > 0) {
      lines.push('  Quotes');
      const byDate = [...quotes].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
      for (const quote of byDate.slice(0, MAX_QUOTES)) lines.push(...quoteLines(quote, width));
      if (quotes.length > MAX_QUOTES) lines.push(`    … ${quotes.length - MAX_QUOTES} more`);
    }
    const usage = context.usage ?? [];
    if (usage.length > 0) lines.push('  Usage', ...usageRows(usage.slice(0, MAX_USAGE)));
  }
  const seen = new Set<string>();
  const links = [...brief.links, ...(context?.links ?? [])].flatMap((link) => {
    const url = plainUrl(link.url);
    if (!url || seen.has(url)) return [];
    seen.add(url);
    return [`    ${plainText(link.title, 60)}  ${url}`];
  });
  if (links.length > 0) lines.push('  Links', ...links.slice(0, MAX_LINKS));
  return lines;
}

function pathBlock(mapping: PathMapping, report: LensReport): string[] {
  const lines = [plainText(mapping.path ?? mapping.given, 500)];
  if (mapping.problem) return [...lines, `  ${mapping.problem}`];
  const rows = mapping.featureIds.map((id) => {
    const match = report.features.find((f) => f.id === id && f.root === mapping.root)?.matches.find((m) => m.path === mapping.path);
    return [plainText(id, 128), match?.primary && mapping.featureIds.length > 1 ? 'primary' : '', plainText(match?.pattern ?? '', 200), match ? `${plainText(match.mapFile, 200)}:${match.line}` : ''];
  });
  if (rows.length > 0) {
    // A column no row fills (no "primary" when a path has one feature) takes no room.
    const columns = [0, 1, 2, 3].filter((c) => rows.some((r) => r[c] !== ''));
    const widths = columns.map((c) => Math.max(...rows.map((r) => [...r[c]!].length)));
    for (const row of rows) {
      const cells = columns.map((c, i) => (i < columns.length - 1 ? row[c]!.padEnd(widths[i]!) : row[c]!));
      lines.push(`  ${cells.join('  ')}`.trimEnd());
    }
  } else if (mapping.ignored && mapping.ignoredBy) {
    lines.push(`  not customer-facing: unmapped by ${mapping.ignoredBy.pattern} at ${mapping.ignoredBy.mapFile}:${mapping.ignoredBy.line}`);
  } else {
    lines.push('  in no feature: add a pattern for it to a feature\'s "paths", or to "unmapped"');
  }
  return lines;
}

/** The report as terminal lines, `width` columns wide. */
export function terminalReport(report: LensReport, now: number, width: number): string {
  const lines: string[] = [];
  for (const mapping of report.paths) lines.push(...pathBlock(mapping, report));
  for (const brief of report.features) lines.push('', ...featureBlock(brief, width));
  lines.push('', `${upperFirst(describeFreshness(report.freshness, now, { endpointHint: ENDPOINT_HINT }))}.`);
  for (const note of report.notes) lines.push(`Note: ${plainText(note, 500)}`);
  // Map text (names, patterns, ids) and file names are printed too: nothing unprintable gets through, whatever its source.
  return printableLines(lines.join('\n'));
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reportJson(report: LensReport, now: number) {
  return {
    paths: report.paths.map((p) => ({
      path: p.path ?? p.given,
      features: p.featureIds,
      ignored: p.ignored,
      ...(p.ignoredBy ? { ignoredBy: p.ignoredBy } : {}),
      ...(p.problem ? { problem: p.problem } : {}),
    })),
    features: report.features.map(({ root, ...brief }) => ({ ...brief, root: path.resolve(root) })),
    source: { ...report.freshness, text: describeFreshness(report.freshness, now, { endpointHint: ENDPOINT_HINT }) },
    notes: report.notes,
  };
}

export const contextCommand: CliCommand = {
  name: 'context',
  summary: 'Show the customers behind a path: its features\' problems, quotes and usage',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...lensOptions, json: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('give at least one path');
    const log = commandLogger(io.err, { info: false, warn: true, error: false });
    const options = workspaceOptions(io, values, 'once', log);
    const absolute = positionals.map((arg) => path.resolve(io.cwd, arg) + (/[\\/]$/.test(arg) ? '/' : ''));
    const outside = positionals.find((_, i) => {
      const relative = path.relative(options.root, absolute[i]!);
      return relative.startsWith('..') || path.isAbsolute(relative);
    });
    if (outside !== undefined) throw new InputError(`${outside} is outside the workspace root ${options.root}; pass a path inside it, or use --root`);
    const workspace = await openWorkspace(options);
    try {
      const report = await lensReport([workspace], { paths: absolute }, { waitMs: workspace.waitMs });
      const now = Date.now();
      io.out(values.json ? printableJson(reportJson(report, now), 2) : terminalReport(report, now, Math.max(60, Math.min(process.stdout.columns || 100, 120))));
    } finally {
      await workspace.dispose();
    }
    return ExitCode.ok;
  },
};
