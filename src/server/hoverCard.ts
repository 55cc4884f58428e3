// The hover card: one feature's customer context as markdown, designed to fit VS Code's hover without scrolling (about
// 250 px high at a 1400×900 window): who is hurting and how much first, one voice, the usage headline, and why the
// card is about this feature; everything else is one click away in the sidebar. Every string from the context source
// goes through format.ts (escaped, one line, cut with "…"); links are https only; the one command link is "Open in
// sidebar".
import { headlineFigures, outcomeSentence, type ChangeOutcome, type SentenceStyle } from '../shared/changeHistory';
import type { Freshness } from '../shared/contextModel';
import type { FeatureContext, Link, Problem, Quote, UsageMetric } from '../shared/contextProtocol';
import { arrCurrencies, countProblems, formatAge, formatArr, formatChange, formatCount, isOpenProblem, openProblemsText } from '../shared/displayFormat';
import { code, formatDate, link, safeHttpsUrl, text } from '../shared/markdownText';

/** Why the card is about this feature: the file is mapped to it, or the cursor is on one of its anchors. */
export type CardReason =
  | { kind: 'file'; pattern: string; mapFile: string; line: number }
  | { kind: 'symbol' | 'event' | 'tag'; anchor: string; mapFile: string; line: number };

/** What a card shows. `mapFile` values are already display paths (relative to the workspace folder). */
export interface CardInput {
  feature: { id: string; name: string; description?: string; owners: readonly string[]; links: readonly Link[] };
  context?: FeatureContext;
  freshness: Freshness;
  reason: CardReason;
  /** Epoch ms, for "updated 3 h ago". */
  now: number;
  /** The event under the cursor, for an event anchor: the card shows that event's metric. */
  event?: string;
  /** Add the "Open in sidebar" command link (only clients that render `command:` links ask for it). */
  sidebarLink: boolean;
  /** What the feature's series did since its latest change to the code (git), when known: one line. */
  outcome?: ChangeOutcome;
}

/** The command the card may link to; the client's `isTrusted` allow-list names exactly this one. */
export const OPEN_SIDEBAR_COMMAND = 'customerLens.openSidebar';

/** At most this many problems: each is one line, so with the heading, a quote, usage and footer the card fits. */
const MAX_PROBLEMS = 3;
/** Problem titles are cut so each problem stays on one line, the quote so it and its attribution take two, at a 750 px wide hover. */
const PROBLEM_TITLE_MAX = 56;
const QUOTE_MAX = 110;
/** A no-break space: "▲ 35%" and "42 customers" never wrap apart. */
const NBSP = '\u00a0';

/** Renders the card as markdown. */
export function renderFeatureCard(input: CardInput): string {
  const { feature, context } = input;
  const blocks: string[] = [];
  const state = input.freshness.state;

  const heading = [`**${text(context?.name ?? feature.name, 60)}**`];
  if (feature.owners.length > 0) heading.push(feature.owners.slice(0, 2).map((o) => text(o, 30)).join(', '));
  if (context !== undefined) heading.push(keepTogether(openProblemsText(countProblems(context.problems ?? []).open)));
  blocks.push(heading.join(' · '));

  if (context === undefined) {
    // No customers to show: why the feature exists is then the most useful line.
    const why = feature.description;
    if (why) blocks.push(text(why, 160));
    if (state === 'error' || state === 'offline') blocks.push('*Customer context is unavailable right now.*');
    else if (state === 'none') blocks.push('*No customer context source: set `customerLens.endpoint`, or name a context file with `context:` in the map.*');
    else blocks.push('*No customer context for this feature yet.*');
  } else {
    const problems = topProblems(context.problems ?? []);
    if (problems.length > 0) {
      const mixed = arrCurrencies(problems).length > 1;
      blocks.push(problems.map((p) => `- ${problemLine(p, mixed)}`).join('\n'));
    }
    const quote = representativeQuote(context.quotes ?? []);
    if (quote) blocks.push(quoteBlock(quote));
    const usage = usageLines(context.usage ?? [], input.event);
    // The change line shares the usage block (a line break, not a paragraph): the card keeps its height.
    if (input.outcome) usage.push(outcomeLine(input.outcome, input.now));
    if (usage.length > 0) blocks.push(usage.join('  \n'));
  }

  if ((state === 'error' || state === 'offline') && input.freshness.error) blocks.push(`⚠ ${text(input.freshness.error, 300)}`);
  blocks.push('---');
  const footer = [reasonText(input.reason), freshnessText(input.freshness, input.now)];
  if (input.sidebarLink) footer.push(`[Open in sidebar](command:${OPEN_SIDEBAR_COMMAND} "Problems, quotes, usage and links of this feature")`);
  blocks.push(footer.join(' · '));
  return blocks.join('\n\n');
}

const MARKDOWN_STYLE: SentenceStyle = { text, code, keep: (figure) => keepTogether(figure) };

/** "Since the change of 3 Nov (`a1b2c3d` Accept lower-case…): Checkouts completed ▲ 4%, mentions of “…” ▼ 60% (…)". */
function outcomeLine(outcome: ChangeOutcome, now: number): string {
  const short = outcome.state === 'measured' ? { ...outcome, figures: headlineFigures(outcome.figures) } : outcome;
  return outcomeSentence(short, now, MARKDOWN_STYLE, { labelMax: 32, subjectMax: 40 });
}

/** Joins the words of a figure we formatted ourselves with no-break spaces (never used on remote text). */
function keepTogether(figure: string): string {
  return figure.replace(/ /g, NBSP);
}

/** Open problems only, the ones hurting most customers (then most mentioned) on top. */
function topProblems(problems: readonly Problem[]): Problem[] {
  return [...problems]
    .filter(isOpenProblem)
    .sort((a, b) => (b.customers ?? 0) - (a.customers ?? 0) || (b.mentions ?? 0) - (a.mentions ?? 0))
    .slice(0, MAX_PROBLEMS);
}

const STATUS_WORDS: Partial<Record<NonNullable<Problem['status']>, string>> = { planned: 'planned', 'in-progress': 'in progress' };

/** "[Title](url) — 42 customers · $386k ARR · ▲ 35% · in progress": who, how much, which way, and whether work is under way. */
function problemLine(problem: Problem, mixedCurrencies: boolean): string {
  const facts: string[] = [];
  if (problem.customers !== undefined) facts.push(`${formatCount(problem.customers)} ${problem.customers === 1 ? 'customer' : 'customers'}`);
  else if (problem.mentions !== undefined) facts.push(`${formatCount(problem.mentions)} ${problem.mentions === 1 ? 'mention' : 'mentions'}`);
  if (problem.arr !== undefined) facts.push(formatArr(problem.arr, problem.currency, mixedCurrencies));
  if (problem.trend !== undefined && formatChange(problem.trend) !== '') facts.push(formatChange(problem.trend));
  const status = problem.status ? STATUS_WORDS[problem.status] : undefined;
  if (status) facts.push(status);
  const title = link(problem.title, problem.url, PROBLEM_TITLE_MAX);
  return facts.length > 0 ? `${title} — ${facts.map(keepTogether).join(' · ')}` : title;
}

/** A negative quote if there is one (the card is about problems), the most recent first. */
function representativeQuote(quotes: readonly Quote[]): Quote | undefined {
  const byDate = [...quotes].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  return byDate.find((q) => q.sentiment === 'negative') ?? byDate[0];
}

/** The quote, then who said it, when and where, the source named ("Support ticket") and linked when https. */
function quoteBlock(quote: Quote): string {
  const who = [quote.author, quote.company ?? quote.segment].filter((s): s is string => Boolean(s)).map((s) => text(s, 40));
  const date = formatDate(quote.date);
  const attribution = [...(who.length > 0 ? [who.join(', ')] : []), ...(date ? [date] : [])];
  const source = safeHttpsUrl(quote.url) ? link(quote.source ?? hostOf(quote.url) ?? 'source', quote.url, 30) : quote.source ? text(quote.source, 30) : undefined;
  if (source) attribution.push(source);
  const said = `> “${text(quote.text, QUOTE_MAX)}”`;
  // The attribution runs on after the quote rather than on a line of its own: one line less in a card that must fit.
  return attribution.length > 0 ? `${said} — ${attribution.join(' · ')}` : said;
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
}

function metricText(metric: UsageMetric): string {
  const period = metric.period ? ` (${text(metric.period, 12)})` : '';
  const change = metric.change !== undefined && formatChange(metric.change) !== '' ? ` ${keepTogether(formatChange(metric.change))}` : '';
  return `${text(metric.label, 60)} ${formatMetricValue(metric, (s) => text(s, 20))}${period}${change}`;
}

/** "18k", "230 ms", "12 %": the unit is left out when the label already says it ("Checkouts started", "checkouts"). */
export function formatMetricValue(metric: UsageMetric, escape: (s: string) => string = (s) => s): string {
  const unit = metric.unit?.trim();
  const said = unit !== undefined && unit !== '' && metric.label.toLowerCase().includes(unit.toLowerCase());
  if (!unit || said) return formatCount(metric.value);
  return unit === '%' ? `${formatCount(metric.value)} %` : `${formatCount(metric.value)} ${escape(unit)}`;
}

/** The usage headline, and for an event anchor that event's metric. */
function usageLines(usage: readonly UsageMetric[], event: string | undefined): string[] {
  const lines: string[] = [];
  const headline = usage.find((m) => event === undefined || m.event !== event);
  if (headline) lines.push(`**Usage** ${metricText(headline)}`);
  if (event !== undefined) {
    const metric = usage.find((m) => m.event === event);
    lines.push(metric ? `**${code(event)}** ${metricText(metric)}` : `**${code(event)}** no usage data for this event`);
  }
  return lines;
}

function reasonText(reason: CardReason): string {
  const where = `${text(reason.mapFile, 80)}:${reason.line}`;
  switch (reason.kind) {
    case 'file':
      return `Mapped by ${code(reason.pattern)} in ${where}`;
    case 'symbol':
      return `${code(reason.anchor)} is a symbol of this feature in ${where}`;
    case 'event':
      return `${code(reason.anchor)} is an event of this feature in ${where}`;
    case 'tag':
      return `Tagged ${code(`customer-lens: ${reason.anchor}`)} (feature in ${where})`;
  }
}

/** "updated 3 h ago", "offline — cached 2 days ago", "from customer-context.json". */
export function freshnessText(freshness: Freshness, now: number): string {
  const age = freshness.fetchedAt !== undefined ? formatAge(freshness.fetchedAt, now) : undefined;
  switch (freshness.state) {
    case 'none':
      return 'no context source configured';
    case 'synced':
      if (freshness.source === 'file') return `from ${text(baseName(freshness.origin ?? 'the context file'), 60)}`;
      return age ? `updated ${age}` : 'updated';
    case 'stale':
      return age ? `stale — updated ${age}, refreshing` : 'stale, refreshing';
    case 'offline':
      return age ? `offline — cached ${age}` : 'offline — nothing cached';
    case 'error':
      return age ? `error — cached ${age}` : 'context error';
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
