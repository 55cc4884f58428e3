// Every figure the hub serves is computed here, from stored records, by the rules the README documents ("How the hub
// computes figures"). Pure: records and a clock in, protocol v1 features out, so a rule change recomputes without a
// resync and each rule is tested on fixtures with hand-computed answers.
import { createHash } from 'node:crypto';
import type { FeatureContext, Problem, Quote, UsageMetric } from '../shared/contextProtocol';
import type { AccountDirectory, JoinedAccount } from './accounts';
import type { HubFeature } from './hubConfig';
import type { AccountRef, ProblemRecord, QuoteRecord, TicketRecord, UsageRecord } from './records';

export interface Sourced<R> {
  sourceId: string;
  /** The source's display name, shown as `source` on problems and quotes. */
  sourceName: string;
  record: R;
}

export interface ComputationInput {
  features: readonly HubFeature[];
  tickets: readonly Sourced<TicketRecord>[];
  problems: readonly Sourced<ProblemRecord>[];
  quotes: readonly Sourced<QuoteRecord>[];
  usage: readonly Sourced<UsageRecord>[];
  accounts: AccountDirectory;
  /** The end of the current period (epoch ms). */
  now: number;
  periodDays: number;
  /** The period as written in the config (`28d`), shown on usage metrics. */
  period: string;
  quotesPerFeature: number;
  problemsPerFeature: number;
}

const DAY = 86_400_000;
/** Served strings are bounded: a 100 kB title from a vendor must not become a 100 kB hover card. */
const MAX_TITLE_CHARS = 300;
const MAX_DETAIL_CHARS = 2000;
const MAX_QUOTE_CHARS = 1000;
const MAX_NAME_CHARS = 200;

const severityOfPriority = { urgent: 'critical', high: 'high', normal: 'medium', low: 'low' } as const;
const priorityRank = { low: 0, normal: 1, high: 2, urgent: 3 } as const;
const OPEN_STATUSES = new Set(['open', 'pending', 'on-hold']);

/** The grouping key of a title: case, punctuation and spacing do not make two problems. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function problemId(key: string): string {
  if (key.length <= 100) return key;
  // Long keys keep a readable start and a hash that keeps them apart.
  return `${key.slice(0, 88)}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

/** `this ÷ previous − 1`, rounded to 4 places; undefined when the previous period has nothing to compare with. */
export function changeRatio(current: number, previous: number): number | undefined {
  if (previous <= 0) return undefined;
  return Math.round((current / previous - 1) * 10_000) / 10_000;
}

function newestFirst<T extends { record: { updatedAt: string; id: string } }>(a: T, b: T): number {
  return Date.parse(b.record.updatedAt) - Date.parse(a.record.updatedAt) || a.record.id.localeCompare(b.record.id);
}

/** Appends to the list under `key` (no copying: a feature may have tens of thousands of tickets). */
function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function maxIso(values: Iterable<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const value of values) if (value !== undefined && (best === undefined || Date.parse(value) > Date.parse(best))) best = value;
  return best;
}

function formatAmount(amount: number): string {
  return amount.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Tickets of one feature grouped into problems, by the rules in the README. */
export function ticketProblems(tickets: readonly Sourced<TicketRecord>[], input: Pick<ComputationInput, 'accounts' | 'now' | 'periodDays'>): Problem[] {
  const groups = new Map<string, Sourced<TicketRecord>[]>();
  for (const ticket of tickets) {
    const key = ticket.record.problem?.trim() || normaliseTitle(ticket.record.title) || ticket.record.id;
    push(groups, key, ticket);
  }
  const periodMs = input.periodDays * DAY;
  const problems: Problem[] = [];
  for (const [key, members] of groups) {
    members.sort(newestFirst);
    const newest = members[0]!;
    // The ticket that is the problem itself (a Zendesk problem ticket, its incidents grouped under it) names and links
    // it; else the title most of its tickets carry (the newest of those on a tie): one lower-cased ticket does not
    // rename it.
    const titles = new Map<string, number>();
    for (const t of members) titles.set(t.record.title, (titles.get(t.record.title) ?? 0) + 1);
    const own = members.find((t) => t.record.problem !== undefined && t.record.problem === `${t.sourceId}#${t.record.id}`);
    const title = own?.record.title ?? [...titles].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
    const figures = accountFigures(members.map((t) => ({ ref: t.record.account, sourceId: t.sourceId })), input.accounts);
    const priority = members.reduce<TicketRecord['priority']>(
      (best, t) => (t.record.priority !== undefined && (best === undefined || priorityRank[t.record.priority] > priorityRank[best]) ? t.record.priority : best),
      undefined,
    );
    const statuses = new Set(members.map((t) => t.record.status));
    const status = [...statuses].some((s) => OPEN_STATUSES.has(s)) ? 'open' : statuses.has('in-progress') ? 'in-progress' : statuses.has('planned') ? 'planned' : 'solved';
    let current = 0;
    let previous = 0;
    for (const t of members) {
      const age = input.now - Date.parse(t.record.createdAt);
      if (age >= 0 && age < periodMs) current++;
      else if (age >= periodMs && age < 2 * periodMs) previous++;
    }
    const trend = changeRatio(current, previous);
    const sourceNames = [...new Set(members.map((t) => t.sourceName))].sort();
    problems.push({
      id: problemId(key),
      title: bound(title, MAX_TITLE_CHARS),
      ...(figures.others ? { detail: figures.others } : {}),
      customers: figures.customers,
      mentions: members.length,
      ...(figures.arr !== undefined ? { arr: figures.arr, currency: figures.currency } : {}),
      ...(priority !== undefined ? { severity: severityOfPriority[priority] } : {}),
      status,
      ...(trend !== undefined ? { trend } : {}),
      source: bound(sourceNames.join(', '), MAX_NAME_CHARS),
      ...((own?.record.url ?? members.find((t) => t.record.url)?.record.url) ? { url: own?.record.url ?? members.find((t) => t.record.url)!.record.url } : {}),
      updatedAt: newest.record.updatedAt,
    });
  }
  return problems;
}

/**
 * Distinct accounts among references (unmatched ones count by their key) and the sum of their ARR per currency: the
 * currency most of them pay in is `arr`/`currency`, the others are named in `others` (never adding dollars to euros).
 */
function accountFigures(refs: ReadonlyArray<{ ref: AccountRef | undefined; sourceId: string }>, directory: AccountDirectory): { customers: number; arr?: number; currency?: string; others?: string } {
  const accounts = new Map<string, JoinedAccount | undefined>();
  for (const { ref, sourceId } of refs) {
    if (!ref) continue;
    const account = directory.resolve(ref, sourceId);
    const id = account?.key ?? `ref:${(ref.key ?? ref.domain ?? '').toLowerCase()}`;
    accounts.set(id, account);
  }
  const byCurrency = new Map<string, { sum: number; count: number }>();
  for (const account of accounts.values()) {
    if (account?.arr === undefined || !account.currency) continue;
    const entry = byCurrency.get(account.currency) ?? { sum: 0, count: 0 };
    entry.sum += account.arr;
    entry.count++;
    byCurrency.set(account.currency, entry);
  }
  const currencies = [...byCurrency].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const others = currencies.slice(1).map(([currency, { sum, count }]) => `${formatAmount(sum)} ${currency} from ${count} ${count === 1 ? 'customer' : 'customers'}`);
  return {
    customers: accounts.size,
    ...(currencies.length > 0 ? { arr: Math.round(currencies[0]![1].sum * 100) / 100, currency: currencies[0]![0] } : {}),
    ...(others.length > 0 ? { others: `Also ${others.join(', ')}.` } : {}),
  };
}

/** A problem from a tool that has them; quotes linked to it (customer needs) give its customers and ARR. */
function recordProblem(p: Sourced<ProblemRecord>, linked: readonly Sourced<QuoteRecord>[], directory: AccountDirectory): Problem {
  const r = p.record;
  const figures = linked.length > 0 ? accountFigures(linked.map((q) => ({ ref: q.record.account, sourceId: q.sourceId })), directory) : undefined;
  const customers = figures ? figures.customers : r.customers;
  const arr = figures ? (figures.arr !== undefined ? { arr: figures.arr, currency: figures.currency! } : undefined) : r.arr !== undefined && r.currency ? { arr: r.arr, currency: r.currency } : undefined;
  const detail = [r.detail ? bound(r.detail, MAX_DETAIL_CHARS - 200) : undefined, figures?.others].filter((d) => d !== undefined).join('\n\n');
  return {
    id: r.id,
    title: bound(r.title, MAX_TITLE_CHARS),
    ...(detail ? { detail } : {}),
    ...(customers !== undefined ? { customers } : {}),
    mentions: Math.max(r.mentions, linked.length),
    ...(arr ? arr : {}),
    ...(r.severity ? { severity: r.severity } : {}),
    status: r.status,
    source: p.sourceName,
    ...(r.url ? { url: r.url } : {}),
    updatedAt: r.updatedAt,
  };
}

function bound(text: string, max = MAX_QUOTE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Usage of one event: the total over the period ending on `now`'s day, the change against the period before, daily. */
export function usageMetric(event: string, points: ReadonlyMap<string, number>, input: Pick<ComputationInput, 'now' | 'periodDays' | 'period'>): UsageMetric | undefined {
  if (points.size === 0) return undefined;
  const lastDay = Date.parse(dayOf(input.now));
  const series: Array<{ t: string; v: number }> = [];
  let current = 0;
  let previous = 0;
  for (let i = 2 * input.periodDays - 1; i >= 0; i--) {
    const day = dayOf(lastDay - i * DAY);
    const value = points.get(day) ?? 0;
    if (i < input.periodDays) {
      current += value;
      series.push({ t: day, v: value });
    } else previous += value;
  }
  const change = changeRatio(current, previous);
  return {
    id: event,
    label: event,
    value: Math.round(current * 1000) / 1000,
    period: input.period,
    ...(change !== undefined ? { change } : {}),
    event,
    series,
  };
}

function rankProblems(a: Problem, b: Problem): number {
  return (
    (b.customers ?? 0) - (a.customers ?? 0) ||
    (b.mentions ?? 0) - (a.mentions ?? 0) ||
    Date.parse(b.updatedAt ?? '1970-01-01') - Date.parse(a.updatedAt ?? '1970-01-01') ||
    a.id.localeCompare(b.id)
  );
}

/** Computes every feature's document. Deterministic: the same records and clock give byte-identical documents. */
export function computeFeatures(input: ComputationInput): FeatureContext[] {
  const byTag = new Map<string, HubFeature[]>();
  for (const feature of input.features) for (const tag of feature.tags) push(byTag, tag, feature);
  const featuresOf = (tags: readonly string[]) => {
    const found = new Set<HubFeature>();
    for (const tag of tags) for (const f of byTag.get(tag.toLowerCase()) ?? []) found.add(f);
    return found;
  };
  const ticketsBy = new Map<string, Sourced<TicketRecord>[]>();
  for (const t of input.tickets) for (const f of featuresOf(t.record.tags)) push(ticketsBy, f.id, t);
  const problemsBy = new Map<string, Sourced<ProblemRecord>[]>();
  for (const p of input.problems) for (const f of featuresOf(p.record.tags)) push(problemsBy, f.id, p);
  // Quotes about a problem of their source count toward it and show under its features too.
  const problemKey = (sourceId: string, id: string) => `${sourceId}\u0000${id}`;
  const problemByKey = new Map(input.problems.map((p) => [problemKey(p.sourceId, p.record.id), p]));
  const linkedQuotes = new Map<string, Sourced<QuoteRecord>[]>();
  const quotesBy = new Map<string, Sourced<QuoteRecord>[]>();
  for (const q of input.quotes) {
    const about = q.record.problem !== undefined ? problemByKey.get(problemKey(q.sourceId, q.record.problem)) : undefined;
    if (about) push(linkedQuotes, problemKey(about.sourceId, about.record.id), q);
    const tags = about ? [...q.record.tags, ...about.record.tags] : q.record.tags;
    for (const f of featuresOf(tags)) push(quotesBy, f.id, q);
  }
  const problemQuotes = (p: Sourced<ProblemRecord>) => linkedQuotes.get(problemKey(p.sourceId, p.record.id)) ?? [];
  const linkedQuoteIds = new Set([...linkedQuotes.values()].flat());
  const usageBy = new Map<string, Map<string, number>>();
  for (const u of input.usage) {
    const days = usageBy.get(u.record.event) ?? new Map<string, number>();
    days.set(u.record.date, (days.get(u.record.date) ?? 0) + u.record.value);
    usageBy.set(u.record.event, days);
  }

  return input.features.map((feature) => {
    const tickets = ticketsBy.get(feature.id) ?? [];
    const problems = [...ticketProblems(tickets, input), ...(problemsBy.get(feature.id) ?? []).map((p) => recordProblem(p, problemQuotes(p), input.accounts))]
      .sort(rankProblems)
      .slice(0, input.problemsPerFeature);

    const quotes: Quote[] = [];
    const quoteCandidates = [
      ...tickets.filter((t) => t.record.text?.trim()).map((t) => ({ date: t.record.createdAt, id: t.record.id, build: () => ticketQuote(t, input) })),
      ...(quotesBy.get(feature.id) ?? []).filter((q) => q.record.text?.trim()).map((q) => ({ date: q.record.date, id: q.record.id, build: () => recordQuote(q, input, linkedQuoteIds.has(q)) })),
    ].sort((a, b) => Date.parse(b.date) - Date.parse(a.date) || a.id.localeCompare(b.id));
    for (const candidate of quoteCandidates.slice(0, input.quotesPerFeature)) quotes.push(candidate.build());

    const usage = feature.events.flatMap((event) => usageMetric(event, usageBy.get(event) ?? new Map(), input) ?? []);
    const updatedAt = maxIso([...problems.map((p) => p.updatedAt), ...quotes.map((q) => q.date)]);
    const doc: FeatureContext = { id: feature.id };
    if (feature.name) doc.name = feature.name;
    if (feature.summary) doc.summary = feature.summary;
    if (updatedAt) doc.updatedAt = updatedAt;
    if (problems.length > 0) doc.problems = problems;
    if (quotes.length > 0) doc.quotes = quotes;
    if (usage.length > 0) doc.usage = usage;
    if (feature.links.length > 0) doc.links = feature.links;
    return doc;
  });
}

function accountFields(account: JoinedAccount | undefined): Pick<Quote, 'company' | 'segment'> {
  return { ...(account ? { company: bound(account.name, MAX_NAME_CHARS) } : {}), ...(account?.segment ? { segment: bound(account.segment, MAX_NAME_CHARS) } : {}) };
}

function ticketQuote(t: Sourced<TicketRecord>, input: Pick<ComputationInput, 'accounts'>): Quote {
  // Resolution was counted once already (for the problem); do not count an unmatched reference twice.
  const account = t.record.account ? input.accounts.lookup(t.record.account) : undefined;
  return {
    id: t.record.id,
    text: bound(t.record.text!.trim()),
    ...accountFields(account),
    date: t.record.createdAt,
    source: t.sourceName,
    ...(t.record.url ? { url: t.record.url } : {}),
  };
}

function recordQuote(q: Sourced<QuoteRecord>, input: Pick<ComputationInput, 'accounts'>, aboutAProblem: boolean): Quote {
  // A quote about a problem was resolved once already (for the problem's customers); do not count a miss twice.
  const account = q.record.account ? (aboutAProblem ? input.accounts.lookup(q.record.account) : input.accounts.resolve(q.record.account, q.sourceId)) : undefined;
  return {
    id: q.record.id,
    text: bound(q.record.text!.trim()),
    ...(q.record.author ? { author: bound(q.record.author, MAX_NAME_CHARS) } : {}),
    ...accountFields(account),
    date: q.record.date,
    source: q.sourceName,
    ...(q.record.url ? { url: q.record.url } : {}),
  };
}
