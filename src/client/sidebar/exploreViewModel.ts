// Turns the feature list and one feature's files into what the Explore view draws. Pure: no `vscode` import.
import type { FeatureContext } from '../../shared/contextProtocol';
import type { FeatureSummary } from '../../shared/lspProtocol';
import { arrCurrencies, countProblems, formatArr, isOpenProblem, mixedCurrencyNote, problemCountText } from '../../shared/displayFormat';
import { isOpenableUrl, type ExploreDetailView, type ExploreFeatureView, type ModuleView } from '../../shared/webviewProtocol';
import { quoteView, splitLinks } from './contextViewModel';
import { baseName, countOf, formatChange, formatValue } from './format';
import { leadingDocComment, readmeSummary } from './moduleDocs';

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

/** What the repository says about a module's folder: its README and its main file, as read from disk. */
export interface ModuleDocs {
  /** The README in the module's folder: its path relative to the workspace folder, and its text. */
  readme?: { path: string; text: string };
  /** The folder's main file (see `mainFileOf`): its relative path and text. */
  mainFile?: { path: string; text: string };
}

/** Why a module exists and where that is written: the map's comment, the README, then the main file's doc comment. */
export function moduleReason(mapComment: string | undefined, mapFileName: string, docs: ModuleDocs): { why: string; whySource: string } | undefined {
  if (mapComment) return { why: mapComment, whySource: `comment in ${mapFileName}` };
  const readme = docs.readme ? readmeSummary(docs.readme.text) : undefined;
  if (readme && docs.readme) return { why: readme, whySource: docs.readme.path };
  const leading = docs.mainFile ? leadingDocComment(docs.mainFile.text) : undefined;
  if (leading && docs.mainFile) return { why: leading, whySource: `doc comment of ${docs.mainFile.path}` };
  return undefined;
}

/** One pattern's files grouped by folder, folders and files sorted, and why it exists (see {@link moduleReason}). */
export function moduleView(
  pattern: { pattern: string; line: number },
  fileUris: readonly string[],
  workspaceFolderUri: string,
  mapFileUri: string,
  mapText: string | undefined,
  docs: ModuleDocs = {},
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
  const comment = mapText !== undefined ? patternComment(mapText, pattern.line) : undefined;
  const reason = moduleReason(comment, baseName(mapFileUri), docs);
  if (reason) Object.assign(view, reason);
  return view;
}

/** Who a feature's customers are, from its context: segments, companies, what hurts them most, and what they said. */
export function customersOf(context: FeatureContext | undefined): ExploreDetailView['customers'] {
  const quotes = [...(context?.quotes ?? [])].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  const segments = [...new Set(quotes.flatMap((quote) => (quote.segment ? [quote.segment] : [])))].sort((a, b) => a.localeCompare(b));
  const companies = [...new Set(quotes.flatMap((quote) => (quote.company ? [quote.company] : [])))].sort((a, b) => a.localeCompare(b));
  const all = context?.problems ?? [];
  const open = all.filter(isOpenProblem).sort((a, b) => (b.customers ?? -1) - (a.customers ?? -1));
  const top = open.slice(0, 3);
  const mixed = arrCurrencies(top).length > 1;
  const topProblems = top.map((problem) => ({
    title: problem.title,
    ...(problem.customers !== undefined ? { customersText: countOf(problem.customers, 'customer') } : {}),
    ...(problem.arr !== undefined ? { arrText: formatArr(problem.arr, problem.currency, mixed) } : {}),
    ...(problem.status && problem.status !== 'open' ? { statusLabel: problem.status === 'in-progress' ? 'In progress' : 'Planned' } : {}),
    ...(problem.url && isOpenableUrl(problem.url) ? { url: problem.url } : {}),
  }));
  const headline = context?.usage?.[0];
  const parts: string[] = [];
  if (headline) parts.push(`${headline.label}: ${formatValue(headline.value, headline.unit)}${headline.period ? ` (last ${headline.period})` : ''}`);
  if (quotes.length > 0) parts.push(`${countOf(quotes.length, 'quote')} on record`);
  const currencyNote = mixedCurrencyNote(arrCurrencies(top));
  return {
    ...(parts.length > 0 ? { summary: parts.join(' · ') } : {}),
    segments,
    companies,
    ...(all.length > 0 ? { problemCountText: problemCountText(countProblems(all)) } : {}),
    topProblems,
    ...(currencyNote ? { currencyNote } : {}),
    quotes: quotes.map(quoteView),
  };
}

/** An opened feature: purpose, customers and modules. */
export function exploreDetailView(summary: FeatureSummary, modules: ModuleView[], context: FeatureContext | undefined, mapLinks: readonly { title: string; url: string }[]): ExploreDetailView {
  // Why it exists: what the repository says (the map's description) first; the context source's summary speaks for
  // the customers, so it leads that section instead (or stands in when the map says nothing).
  const contextSummary = context?.summary ?? summary.summary;
  const purpose = summary.description ?? contextSummary;
  const purposeSource = summary.description ? 'the map' : contextSummary ? 'the context source' : undefined;
  const customers = customersOf(context);
  if (summary.description && contextSummary && contextSummary !== summary.description) customers.lead = contextSummary;
  return {
    featureId: summary.id,
    name: summary.name,
    ...(purpose ? { purpose } : {}),
    ...(purposeSource ? { purposeSource } : {}),
    owners: summary.owners,
    customers,
    modules,
    links: splitLinks(mapLinks, context?.links).links,
  };
}
