// Turns the language server's answer for one file into what the Context view draws. Pure: no `vscode` import, the
// clock is a parameter, so every designed state is built and tested in plain Node.
import type { FeatureContext, Link, Problem, ProblemStatus, Quote, Severity, UsageMetric } from '../../shared/contextProtocol';
import type { Freshness } from '../../shared/contextModel';
import type { FileContextResult, FileFeature, MatchReason } from '../../shared/lspProtocol';
import {
  isOpenableUrl,
  type BannerView,
  type ContextViewModel,
  type FeatureView,
  type FileRef,
  type LinkView,
  type ProblemView,
  type QuoteView,
  type UsageView,
  type WhyMappedView,
} from '../../shared/webviewProtocol';
import { arrCurrencies, countProblems, formatAge, formatArr, formatCount, isOpenProblem, mixedCurrencyNote } from '../../shared/displayFormat';
import { outcomeView, recentChangesView, sparkMarkers } from './changeViews';
import { baseName, countOf, epochOf, formatChange, formatValue } from './format';
import type { ChangeMarker } from '../../shared/changeHistory';

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

const STATUS_LABEL: Record<ProblemStatus, string> = {
  open: 'Open',
  planned: 'Planned',
  'in-progress': 'In progress',
  solved: 'Solved',
};

/** The file as the views name it. */
export function fileRef(uri: string, path?: string): FileRef {
  return { uri, name: baseName(path ?? uri), ...(path !== undefined ? { path } : {}) };
}

/** The Context view's model while the server is asked about `uri`. */
export function loadingModel(uri: string, path?: string): ContextViewModel {
  return { state: 'loading', file: fileRef(uri, path) };
}

/** The Context view's model before any file was opened. */
export function noEditorModel(): ContextViewModel {
  return { state: 'no-editor', message: 'Open a file to see the customers of the feature it belongs to.' };
}

const NO_MAP_MESSAGE = 'This workspace has no map yet. A map (.customer-lens.yml) says which product feature each path belongs to.';

/** The Context view's model for a workspace without a map, before any file was opened. */
export function noMapModel(): ContextViewModel {
  return { state: 'no-map', message: NO_MAP_MESSAGE };
}

/** The Context view's model when the language server could not answer. */
export function requestErrorModel(message: string, uri?: string, path?: string): ContextViewModel {
  return {
    state: 'error',
    message: `The Customer Lens language server did not answer: ${message}. See "Customer Lens: Show Logs"; it restarts on its own after a crash.`,
    ...(uri !== undefined ? { file: fileRef(uri, path) } : {}),
  };
}

function whyMapped(reason: MatchReason): WhyMappedView {
  return { pattern: reason.pattern, mapFileUri: reason.mapFileUri, line: reason.line, location: `${baseName(reason.mapFileUri)}:${reason.line}` };
}

function freshnessBanners(freshness: Freshness, now: number): BannerView[] {
  const age = freshness.fetchedAt !== undefined ? formatAge(freshness.fetchedAt, now) : undefined;
  const ageFields = age !== undefined ? { age } : {};
  const detail = freshness.error ? ` ${freshness.error}` : '';
  switch (freshness.state) {
    case 'offline':
      return [{
        kind: 'offline',
        title: 'Offline',
        message: `${age !== undefined ? `Showing context cached ${age}.` : 'No cached context to show yet.'}${detail}`,
        ...ageFields,
      }];
    case 'error':
      return [{
        kind: 'error',
        title: 'Context source error',
        message: `${age !== undefined ? `Showing context cached ${age}.` : 'No context could be read.'}${detail}`,
        ...ageFields,
      }];
    case 'stale':
      return [{
        kind: 'stale',
        title: 'Refreshing',
        message: `${age !== undefined ? `Context from ${age}` : 'Cached context'} is past its refresh time; newer data is on its way.`,
        ...ageFields,
      }];
    default:
      return [];
  }
}

function mapBanners(result: FileContextResult): BannerView[] {
  if (!result.map.usingLastGood) return [];
  const errors = countOf(result.map.errorCount, 'error');
  return [{
    kind: 'map-errors',
    title: 'Map has errors',
    message: `The map file has ${errors}; the last valid version is in use until they are fixed.`,
  }];
}

function sourceText(freshness: Freshness, now: number): string {
  const age = freshness.fetchedAt !== undefined ? ` · ${freshness.source === 'file' ? 'read' : 'fetched'} ${formatAge(freshness.fetchedAt, now)}` : '';
  switch (freshness.source) {
    case 'endpoint':
      return `From ${freshness.origin ?? 'the endpoint'}${age}`;
    case 'file':
      return `From ${freshness.origin ? baseName(freshness.origin) : 'the context file'}${age}`;
    default:
      return 'No context source: set customerLens.endpoint or name a context file with "context:" in the map.';
  }
}

function noDataReason(feature: FileFeature, freshness: Freshness): string {
  if (freshness.source === 'none') {
    return 'No context source is set up. Connect an endpoint (setting customerLens.endpoint) or name a context file with "context:" in the map.';
  }
  if (freshness.state === 'offline' || freshness.state === 'error') {
    return 'Nothing is cached for this feature yet; its customers appear once the context source answers.';
  }
  return `The context source has no entry for "${feature.id}". Add one with that id to see its problems, quotes and usage.`;
}

/**
 * A problem ready to show; `now` dates "updated 3 days ago". `mixedCurrencies`: the list it stands in has ARR in
 * several currencies, so its ARR names its currency code.
 */
export function problemView(problem: Problem, now: number, mixedCurrencies = false, changes: readonly ChangeMarker[] = []): ProblemView {
  const updatedAt = epochOf(problem.updatedAt);
  const view: ProblemView = {
    id: problem.id,
    title: problem.title,
    severityRank: problem.severity ? SEVERITY_RANK[problem.severity] : 0,
    updatedAt,
    open: isOpenProblem(problem),
  };
  if (problem.detail) view.detail = problem.detail;
  if (problem.customers !== undefined) {
    view.customers = problem.customers;
    view.customersText = countOf(problem.customers, 'customer');
  }
  if (problem.mentions !== undefined) view.mentionsText = countOf(problem.mentions, 'mention');
  if (problem.severity) view.severity = problem.severity;
  if (problem.status) {
    view.status = problem.status;
    view.statusLabel = STATUS_LABEL[problem.status];
  }
  if (problem.arr !== undefined) view.arrText = formatArr(problem.arr, problem.currency, mixedCurrencies);
  // More tickets is bad news, so a rising trend reads in the "bad" tone.
  if (problem.trend !== undefined) view.trend = formatChange(problem.trend, false);
  if (updatedAt > 0) view.updatedText = `updated ${formatAge(updatedAt, now)}`;
  if (problem.source) view.source = problem.source;
  if (problem.url && isOpenableUrl(problem.url)) view.url = problem.url;
  const points = [...(problem.series ?? [])].sort((a, b) => epochOf(a.t) - epochOf(b.t));
  if (points.length >= 2) {
    view.series = points.map((point) => point.v);
    view.seriesLabel = `New mentions, ${points.length} points from ${points[0]!.t.slice(0, 10)} to ${points[points.length - 1]!.t.slice(0, 10)}`;
    const markers = sparkMarkers(points, changes, now);
    if (markers.length > 0) view.markers = markers;
  }
  return view;
}

/**
 * A quote ready to show, with its attribution in one line. A quote with a link names its source on the link itself
 * ("Support ticket", else the link's host), so the attribution leaves the source out.
 */
export function quoteView(quote: Quote): QuoteView {
  const who = [quote.author, quote.company].filter((part): part is string => Boolean(part)).join(', ');
  const url = quote.url && isOpenableUrl(quote.url) ? quote.url : undefined;
  const attribution = [who, quote.date?.slice(0, 10), url ? undefined : quote.source].filter((part): part is string => Boolean(part)).join(' · ');
  const view: QuoteView = { id: quote.id, text: quote.text, attribution };
  if (quote.segment) view.segment = quote.segment;
  if (quote.source) view.source = quote.source;
  if (quote.sentiment) view.sentiment = quote.sentiment;
  if (url) {
    view.url = url;
    view.linkText = quote.source || new URL(url).hostname;
  }
  return view;
}

/** A usage metric with its series in time order. */
export function usageView(metric: UsageMetric, changes: readonly ChangeMarker[] = [], now = Date.now()): UsageView {
  const points = [...(metric.series ?? [])].sort((a, b) => epochOf(a.t) - epochOf(b.t));
  const series = points.length >= 2 ? points.map((point) => point.v) : [];
  const view: UsageView = { id: metric.id, label: metric.label, valueText: formatValue(metric.value, metric.unit), series };
  if (metric.period) view.periodText = `last ${metric.period}`;
  if (metric.change !== undefined) view.change = formatChange(metric.change, true);
  if (metric.event) view.event = metric.event;
  if (series.length >= 2) {
    const first = points[0]!;
    const last = points[points.length - 1]!;
    view.seriesLabel = `${series.length} points from ${first.t.slice(0, 10)} to ${last.t.slice(0, 10)}, ${formatCount(first.v)} to ${formatCount(last.v)}`;
    const markers = sparkMarkers(points, changes, now);
    if (markers.length > 0) view.markers = markers;
  }
  return view;
}

/** The map's links then the context's, each URL once; only https ones become links. */
export function splitLinks(...lists: (readonly Link[] | undefined)[]): { links: LinkView[]; unopenable: string[] } {
  const seen = new Set<string>();
  const links: LinkView[] = [];
  const unopenable: string[] = [];
  for (const link of lists.flatMap((list) => list ?? [])) {
    if (seen.has(link.url)) continue;
    seen.add(link.url);
    if (isOpenableUrl(link.url)) links.push({ title: link.title, url: link.url });
    else unopenable.push(link.title);
  }
  return { links, unopenable };
}

/** One feature of the file, with or without context. */
export function featureView(feature: FileFeature, freshness: Freshness, now: number): FeatureView {
  const context: FeatureContext | undefined = feature.context;
  const quotes = (context?.quotes ?? []).map(quoteView);
  const { links, unopenable } = splitLinks(feature.links, context?.links);
  const problems = context?.problems ?? [];
  const currencies = arrCurrencies(problems);
  // Oldest first, so markers are placed left to right.
  const changes = [...(feature.history?.changes ?? [])].sort((a, b) => a.date - b.date);
  const view: FeatureView = {
    id: feature.id,
    name: feature.name,
    primary: feature.primary,
    owners: feature.owners,
    whyMapped: whyMapped(feature.why),
    hasData: context !== undefined,
    problems: problems.map((problem) => problemView(problem, now, currencies.length > 1, changes)),
    problemCounts: countProblems(problems),
    quotes,
    segments: [...new Set(quotes.flatMap((quote) => (quote.segment ? [quote.segment] : [])))].sort((a, b) => a.localeCompare(b)),
    usage: (context?.usage ?? []).map((metric) => usageView(metric, changes, now)),
    links,
    unopenableLinks: unopenable,
  };
  const why = context?.summary ?? feature.description;
  if (why) view.why = why;
  if (!context) view.noDataReason = noDataReason(feature, freshness);
  const currencyNote = mixedCurrencyNote(currencies);
  if (currencyNote) view.currencyNote = currencyNote;
  const updatedAt = epochOf(context?.updatedAt);
  if (updatedAt > 0) view.updatedText = `context updated ${formatAge(updatedAt, now)}`;
  const outcome = outcomeView(feature.history, now);
  if (outcome) view.outcome = outcome;
  return view;
}

function notMappedReason(result: FileContextResult): string {
  if (result.path === undefined) return 'This file is outside every workspace folder, so no map applies to it.';
  if (result.ignored && result.ignoredBy) {
    return `Marked as not customer-facing by "${result.ignoredBy.pattern}" in ${baseName(result.ignoredBy.mapFileUri)}:${result.ignoredBy.line}.`;
  }
  return `No pattern in the map matches ${result.path}. Add it to a feature so its customers show up here.`;
}

/** The Context view's model for the server's answer about one file, at time `now`. */
export function buildContextViewModel(result: FileContextResult, now: number): ContextViewModel {
  const file = fileRef(result.uri, result.path);
  if (result.map.state === 'none') {
    return {
      state: 'no-map',
      file,
      ...(result.map.workspaceFolderUri !== undefined ? { workspaceFolderUri: result.map.workspaceFolderUri } : {}),
      message: NO_MAP_MESSAGE,
    };
  }
  if (result.map.state === 'invalid') {
    const mapFileUri = result.map.mapFileUris[0];
    return {
      state: 'invalid-map',
      file,
      ...(mapFileUri !== undefined ? { mapFileUri } : {}),
      message: `The map has ${countOf(result.map.errorCount, 'error')} and no earlier valid version to fall back on. Fix it (see the Problems panel) to see customer context.`,
    };
  }
  const banners = [...mapBanners(result), ...freshnessBanners(result.freshness, now)];
  const recent = recentChangesView(result.recentChanges, now);
  const recentChanges = recent ? { recentChanges: recent } : {};
  if (result.features.length === 0) {
    return {
      state: 'not-mapped',
      file,
      reason: notMappedReason(result),
      ignored: result.ignored,
      ...(result.ignored && result.ignoredBy ? { ignoredBy: whyMapped(result.ignoredBy) } : {}),
      canAdd: result.path !== undefined,
      // Freshness is about context; a file without features shows none, so only map trouble is worth a banner.
      banners: mapBanners(result),
      ...recentChanges,
    };
  }
  const features = [...result.features]
    .sort((a, b) => Number(b.primary) - Number(a.primary))
    .map((feature) => featureView(feature, result.freshness, now));
  return { state: 'mapped', file, features, banners, sourceText: sourceText(result.freshness, now), ...recentChanges };
}
