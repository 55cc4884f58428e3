/**
 * How much of a feature's context Customer Lens keeps, whatever a source sends: every string neutralised
 * ({@link neutralizeText}) and cut to its field's length, every list cut to its length, and URLs too long to be a real
 * link dropped. Applied once, where protocol data is parsed, so the cache, the hover card, the CodeLens, the sidebar
 * and the CLI all work with bounded, displayable text. No `vscode` import here.
 */
import type { DocumentPath, FeatureContext, Link, Problem, Quote, UsageMetric } from './contextProtocol';
import { displayText } from './safeText';

/** Context files larger than this are not read (an endpoint's answers are capped at 5 MB). */
export const MAX_CONTEXT_FILE_BYTES = 10 * 1024 * 1024;

/** The longest URL kept; longer ones are dropped (the rest of the item stays). */
export const MAX_URL_LENGTH = 2048;

/** The longest text kept per field, in characters; longer text ends with "…". */
export const TEXT_LIMITS = {
  /** Ids of problems, quotes and metrics. */
  id: 200,
  name: 200,
  summary: 1000,
  title: 300,
  detail: 1000,
  quote: 1000,
  /** Authors, companies, segments, sources, labels, event names, link titles. */
  short: 200,
  /** Units and periods (`ms`, `7d`). */
  unit: 40,
  date: 64,
} as const;

/** The most items kept per list, in the order the source sent them. */
export const LIST_LIMITS = {
  problems: 50,
  quotes: 50,
  usage: 20,
  links: 20,
  /** Points of a usage series (the most recent ones are kept). */
  series: 200,
} as const;

type Warn = (path: DocumentPath, message: string) => void;

function bounded(value: string, max: number): string {
  return displayText(value, max);
}

function optional(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : bounded(value, max);
}

function url(value: string | undefined, field: DocumentPath, warn: Warn): string | undefined {
  if (value === undefined || value.length <= MAX_URL_LENGTH) return value;
  warn(field, `URL of ${value.length} characters is longer than ${MAX_URL_LENGTH}; field ignored`);
  return undefined;
}

function list<T>(items: readonly T[] | undefined, max: number, field: DocumentPath, warn: Warn, keep: 'first' | 'last' = 'first'): T[] | undefined {
  if (items === undefined || items.length <= max) return items as T[] | undefined;
  warn(field, `${items.length} entries; the ${keep} ${max} are kept`);
  return keep === 'first' ? items.slice(0, max) : items.slice(items.length - max);
}

/** Removes keys whose value is undefined, so bounded items compare and serialise like the originals. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function problem(p: Problem, at: DocumentPath, warn: Warn): Problem {
  return defined({
    ...p,
    id: bounded(p.id, TEXT_LIMITS.id),
    title: bounded(p.title, TEXT_LIMITS.title),
    detail: optional(p.detail, TEXT_LIMITS.detail),
    source: optional(p.source, TEXT_LIMITS.short),
    url: url(p.url, [...at, 'url'], warn),
    updatedAt: optional(p.updatedAt, TEXT_LIMITS.date),
  });
}

function quote(q: Quote, at: DocumentPath, warn: Warn): Quote {
  return defined({
    ...q,
    id: bounded(q.id, TEXT_LIMITS.id),
    text: bounded(q.text, TEXT_LIMITS.quote),
    author: optional(q.author, TEXT_LIMITS.short),
    company: optional(q.company, TEXT_LIMITS.short),
    segment: optional(q.segment, TEXT_LIMITS.short),
    date: optional(q.date, TEXT_LIMITS.date),
    source: optional(q.source, TEXT_LIMITS.short),
    url: url(q.url, [...at, 'url'], warn),
  });
}

function metric(m: UsageMetric, at: DocumentPath, warn: Warn): UsageMetric {
  return defined({
    ...m,
    id: bounded(m.id, TEXT_LIMITS.id),
    label: bounded(m.label, TEXT_LIMITS.short),
    unit: optional(m.unit, TEXT_LIMITS.unit),
    period: optional(m.period, TEXT_LIMITS.unit),
    event: optional(m.event, TEXT_LIMITS.short),
    series: list(m.series, LIST_LIMITS.series, [...at, 'series'], warn, 'last')?.map((point) => ({ ...point, t: bounded(point.t, TEXT_LIMITS.date) })),
  });
}

function link(l: Link, at: DocumentPath, warn: Warn): Link | undefined {
  const target = url(l.url, [...at, 'url'], warn);
  return target === undefined ? undefined : { ...l, title: bounded(l.title, TEXT_LIMITS.short), url: target };
}

/**
 * A feature's context within the limits above. `warn` hears about every list cut and URL dropped, with the path of
 * the field within the feature (`['problems', 3, 'url']`); text that is merely shortened is not worth a warning.
 */
export function boundFeatureContext(feature: FeatureContext, warn: Warn): FeatureContext {
  const problems = list(feature.problems, LIST_LIMITS.problems, ['problems'], warn)?.map((p, i) => problem(p, ['problems', i], warn));
  const quotes = list(feature.quotes, LIST_LIMITS.quotes, ['quotes'], warn)?.map((q, i) => quote(q, ['quotes', i], warn));
  const usage = list(feature.usage, LIST_LIMITS.usage, ['usage'], warn)?.map((m, i) => metric(m, ['usage', i], warn));
  const links = list(feature.links, LIST_LIMITS.links, ['links'], warn)?.flatMap((l, i) => link(l, ['links', i], warn) ?? []);
  return defined({
    ...feature,
    name: optional(feature.name, TEXT_LIMITS.name),
    summary: optional(feature.summary, TEXT_LIMITS.summary),
    updatedAt: optional(feature.updatedAt, TEXT_LIMITS.date),
    problems,
    quotes,
    usage,
    links,
  });
}
