// Turns the feature list and one feature's files into what the Explore view draws. Pure: no `vscode` import.
import type { FeatureContext } from '../../shared/contextProtocol';
import type { FeatureSummary } from '../../shared/lspProtocol';
import type { ExploreDetailView, ExploreFeatureView, ModuleView } from '../../shared/webviewProtocol';
import { splitLinks } from './contextViewModel';
import { baseName, countOf, formatChange, formatValue } from './format';

/** A feature as the Explore list shows it. `folderName` is set only in multi-root workspaces. */
export function exploreFeatureView(summary: FeatureSummary, folderName?: string): ExploreFeatureView {
  const view: ExploreFeatureView = {
    id: summary.id,
    name: summary.name,
    owners: summary.owners,
    filesText: countOf(summary.fileCount, 'file'),
    hasContext: summary.hasContext,
  };
  const purpose = summary.summary ?? summary.description;
  if (purpose) view.purpose = purpose;
  if (summary.topProblem) {
    const { title, customers, severity } = summary.topProblem;
    view.topProblem = {
      title,
      ...(customers !== undefined ? { customersText: countOf(customers, 'customer') } : {}),
      ...(severity ? { severity } : {}),
    };
  }
  if (summary.usageHeadline) {
    const metric = summary.usageHeadline;
    view.usageHeadline = {
      label: metric.label,
      valueText: formatValue(metric.value, metric.unit),
      ...(metric.change !== undefined ? { change: formatChange(metric.change, true) } : {}),
    };
  }
  if (folderName !== undefined) view.workspaceFolderName = folderName;
  return view;
}

/**
 * Why a pattern is in the map, as its author wrote it: the comment lines right above the pattern's line, or a comment
 * at the end of that line. `line` is 1-based. Flow-style lists (`paths: [/src/a/]`) share one line, so their comment
 * would describe the whole list; it is still the closest thing to a reason the map holds.
 */
export function patternComment(mapText: string, line: number): string | undefined {
  const lines = mapText.split(/\r?\n/);
  const own = lines[line - 1];
  if (own === undefined) return undefined;
  const above: string[] = [];
  for (let index = line - 2; index >= 0; index--) {
    const text = lines[index]!.trim();
    if (!text.startsWith('#')) break;
    above.unshift(text.replace(/^#+\s?/, ''));
  }
  if (above.length > 0) return above.join(' ');
  // A trailing comment needs whitespace before `#`; `#` inside a quoted pattern has none.
  const trailing = /\s#\s?(.*)$/.exec(own.replace(/"[^"]*"|'[^']*'/g, (quoted) => ' '.repeat(quoted.length)));
  return trailing?.[1]?.trim() || undefined;
}

/** `file:///ws/src/a/b.ts` under `file:///ws` → `src/a/b.ts`; other roots keep the full uri path. */
export function relativeTo(workspaceFolderUri: string, uri: string): string {
  const root = workspaceFolderUri.replace(/\/+$/, '');
  const rest = uri.startsWith(`${root}/`) ? uri.slice(root.length + 1) : uri;
  try {
    return decodeURIComponent(rest);
  } catch (error) {
    void error; // a stray `%`: show the encoded path rather than nothing
    return rest;
  }
}

/** One pattern's files grouped by folder, folders and files sorted. */
export function moduleView(
  pattern: { pattern: string; line: number },
  fileUris: readonly string[],
  workspaceFolderUri: string,
  mapFileUri: string,
  mapText: string | undefined,
): ModuleView {
  const byFolder = new Map<string, { uri: string; name: string; path: string }[]>();
  for (const uri of fileUris) {
    const path = relativeTo(workspaceFolderUri, uri);
    const slash = path.lastIndexOf('/');
    const folder = slash < 0 ? '' : path.slice(0, slash);
    const files = byFolder.get(folder) ?? [];
    files.push({ uri, name: baseName(path), path });
    byFolder.set(folder, files);
  }
  const folders = [...byFolder.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, files]) => ({ folder, files: files.sort((a, b) => a.name.localeCompare(b.name)) }));
  const view: ModuleView = { pattern: pattern.pattern, filesText: countOf(fileUris.length, 'file'), folders, mapFileUri, line: pattern.line };
  const why = mapText !== undefined ? patternComment(mapText, pattern.line) : undefined;
  if (why) view.why = why;
  return view;
}

/** Who a feature's customers are, from its context: segments, companies, and the problems that hit the most of them. */
export function customersOf(context: FeatureContext | undefined): ExploreDetailView['customers'] {
  const quotes = context?.quotes ?? [];
  const segments = [...new Set(quotes.flatMap((quote) => (quote.segment ? [quote.segment] : [])))].sort((a, b) => a.localeCompare(b));
  const companies = [...new Set(quotes.flatMap((quote) => (quote.company ? [quote.company] : [])))].sort((a, b) => a.localeCompare(b));
  const problems = [...(context?.problems ?? [])].sort((a, b) => (b.customers ?? -1) - (a.customers ?? -1));
  const topProblems = problems.slice(0, 3).map((problem) => ({
    title: problem.title,
    ...(problem.customers !== undefined ? { customersText: countOf(problem.customers, 'customer') } : {}),
  }));
  const headline = context?.usage?.[0];
  const parts: string[] = [];
  if (headline) parts.push(`${headline.label}: ${formatValue(headline.value, headline.unit)}${headline.period ? ` (last ${headline.period})` : ''}`);
  if (quotes.length > 0) parts.push(`${countOf(quotes.length, 'quote')} on record`);
  return { ...(parts.length > 0 ? { summary: parts.join(' · ') } : {}), segments, companies, topProblems };
}

/** An opened feature: purpose, customers and modules. */
export function exploreDetailView(summary: FeatureSummary, modules: ModuleView[], context: FeatureContext | undefined, mapLinks: readonly { title: string; url: string }[]): ExploreDetailView {
  const purpose = context?.summary ?? summary.summary ?? summary.description;
  return {
    featureId: summary.id,
    name: summary.name,
    ...(purpose ? { purpose } : {}),
    owners: summary.owners,
    customers: customersOf(context),
    modules,
    links: splitLinks(mapLinks, context?.links).links,
  };
}
