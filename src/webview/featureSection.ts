// One feature of the active file in the Context view: who owns it, why it exists, why this file is in it, and its
// customers (usage, problems, quotes, links).
import type { ChangeView, FeatureView, LinkView, ProblemSort, ProblemView, QuoteView, UsageView, WebviewMessage } from '../shared/webviewProtocol';
import { openProblemsText, problemCountText } from '../shared/displayFormat';
import { h, type Child } from './dom';
import { expandableText } from './longText';
import { filterQuotes, PROBLEM_SORT_LABELS, sortProblems } from './order';
import { sparkline } from './sparkline';

/** What a feature section needs from the Context app. */
export interface FeatureSectionHost {
  post(message: WebviewMessage): void;
  problemSort: ProblemSort;
  setProblemSort(sort: ProblemSort): void;
  segment(featureId: string): string | undefined;
  setSegment(featureId: string, segment: string | undefined): void;
  isOpen(feature: FeatureView): boolean;
  setOpen(feature: FeatureView, open: boolean): void;
}

/**
 * A link that opens through the host (which only opens https URLs, through VS Code's opener and its "open external
 * website?" prompt); Enter and click both work. VS Code's webview frame also turns every click on an `<a href>` into
 * an "open this link" of its own, whether or not the page handled it: that second route opened a tab even when the
 * prompt was cancelled, and two when it was accepted. Stopping the click here keeps it from reaching that handler, so
 * the link opens once, and only if the user accepts.
 */
export function externalLink(post: (message: WebviewMessage) => void, link: LinkView, testId: string, focusKey: string): HTMLAnchorElement {
  return h(
    'a',
    {
      className: 'external-link',
      testId,
      attrs: { href: link.url, title: link.url, 'data-focus-key': focusKey },
      on: {
        click: (event) => {
          event.preventDefault();
          event.stopPropagation();
          post({ method: 'link/open', params: { url: link.url } });
        },
        // A middle click would otherwise reach the frame's own handler too.
        auxclick: (event) => {
          event.preventDefault();
          event.stopPropagation();
        },
      },
    },
    link.title,
  );
}

/** `▲ 12%` with its meaning for screen readers and a tone class (good / bad / neutral). */
export function changeBadge(change: ChangeView, testId: string): HTMLElement {
  return h('span', { className: `change change-${change.tone}`, testId, attrs: { 'aria-label': change.label, title: change.label } }, change.text);
}

function section(featureId: string, name: string, title: string, count: number | string | undefined, ...body: Child[]): HTMLElement {
  const headingId = `${featureId.replace(/[^A-Za-z0-9_-]/g, '_')}-${name}-heading`;
  return h(
    'section',
    { className: `block block-${name}`, attrs: { 'aria-labelledby': headingId } },
    h('h3', { attrs: { id: headingId } }, title, count !== undefined ? h('span', { className: 'count', testId: `${name}-count` }, ` ${count}`) : null),
    ...body,
  );
}

function usageItem(metric: UsageView): HTMLElement {
  const line = metric.series.length >= 2 ? sparkline(metric.series, `${metric.label}: ${metric.seriesLabel ?? ''}`, metric.markers) : undefined;
  return h(
    'li',
    { className: 'metric', testId: 'usage-metric' },
    h('div', { className: 'metric-label' }, metric.label, metric.event ? h('code', { className: 'event' }, metric.event) : null),
    h(
      'div',
      { className: 'metric-figures' },
      h('span', { className: 'metric-value', testId: 'usage-value' }, metric.valueText),
      metric.periodText ? h('span', { className: 'muted' }, metric.periodText) : null,
      metric.change ? changeBadge(metric.change, 'usage-change') : null,
    ),
    line ?? null,
  );
}

function problemItem(host: FeatureSectionHost, featureId: string, problem: ProblemView): HTMLElement {
  const title = problem.url
    ? externalLink(host.post, { title: problem.title, url: problem.url }, 'problem-link', `${featureId}:problem:${problem.id}`)
    : h('span', {}, problem.title);
  const facts: Child[] = [
    problem.customersText ? h('span', { className: 'fact fact-customers' }, problem.customersText) : null,
    problem.arrText ? h('span', { className: 'fact fact-arr', testId: 'problem-arr' }, problem.arrText) : null,
    problem.mentionsText ? h('span', { className: 'fact' }, problem.mentionsText) : null,
    problem.trend ? changeBadge(problem.trend, 'problem-trend') : null,
    problem.updatedText ? h('span', { className: 'fact muted' }, problem.updatedText) : null,
    problem.source ? h('span', { className: 'fact muted' }, problem.source) : null,
  ];
  return h(
    'li',
    { className: `problem${problem.open ? '' : ' problem-solved'}`, testId: 'problem', attrs: { 'data-problem-id': problem.id } },
    h(
      'div',
      { className: 'problem-head' },
      problem.statusLabel ? h('span', { className: `badge status status-${problem.status}`, testId: 'problem-status' }, problem.statusLabel) : null,
      problem.severity
        ? h('span', { className: `badge severity severity-${problem.severity}`, testId: 'problem-severity', attrs: { 'aria-label': `severity ${problem.severity}` } }, problem.severity)
        : null,
      h('span', { className: 'problem-title' }, title),
    ),
    h('div', { className: 'facts' }, ...facts),
    problem.series && problem.series.length >= 2 ? (sparkline(problem.series, `${problem.title}: ${problem.seriesLabel ?? ''}`, problem.markers) ?? null) : null,
    problem.detail ? h('p', { className: 'problem-detail' }, ...expandableText(problem.detail)) : null,
  );
}

/** A quote in full with who said it and when, its segment, and a link named after its source. */
export function quoteFigure(post: (message: WebviewMessage) => void, quote: QuoteView, focusKey: string): HTMLElement {
  return h(
    'figure',
    {},
    h('blockquote', {}, ...expandableText(quote.text)),
    h(
      'figcaption',
      {},
      quote.attribution ? h('span', {}, `— ${quote.attribution}`) : null,
      quote.segment ? h('span', { className: 'badge segment', testId: 'quote-segment-badge' }, quote.segment) : null,
      quote.url ? externalLink(post, { title: quote.linkText ?? quote.url, url: quote.url }, 'quote-link', focusKey) : null,
    ),
  );
}

function quoteItem(host: FeatureSectionHost, featureId: string, quote: QuoteView): HTMLElement {
  return h('li', { className: `quote sentiment-${quote.sentiment ?? 'unknown'}`, testId: 'quote' }, quoteFigure(host.post, quote, `${featureId}:quote:${quote.id}`));
}

function select(label: string, testId: string, focusKey: string, value: string, options: [string, string][], onChange: (value: string) => void): HTMLElement {
  const control = h(
    'select',
    { testId, attrs: { 'aria-label': label, 'data-focus-key': focusKey }, on: { change: () => onChange(control.value) } },
    ...options.map(([optionValue, text]) => h('option', { attrs: { value: optionValue, selected: optionValue === value ? '' : undefined } }, text)),
  );
  return h('label', { className: 'control' }, h('span', { className: 'control-label' }, label), control);
}

function problemsBlock(host: FeatureSectionHost, feature: FeatureView): HTMLElement {
  const sort = select(
    'Sort by',
    'problem-sort',
    `${feature.id}:sort`,
    host.problemSort,
    Object.entries(PROBLEM_SORT_LABELS) as [ProblemSort, string][],
    (value) => host.setProblemSort(value as ProblemSort),
  );
  return section(
    feature.id,
    'problems',
    'Problems',
    problemCountText(feature.problemCounts),
    feature.problems.length > 1 ? sort : null,
    feature.currencyNote ? h('p', { className: 'muted small currency-note', testId: 'currency-note' }, feature.currencyNote) : null,
    h('ol', { className: 'problems', testId: 'problem-list' }, ...sortProblems(feature.problems, host.problemSort).map((p) => problemItem(host, feature.id, p))),
  );
}

function quotesBlock(host: FeatureSectionHost, feature: FeatureView): HTMLElement {
  const segment = host.segment(feature.id);
  const shown = filterQuotes(feature.quotes, segment);
  const filter =
    feature.segments.length > 1
      ? select(
          'Segment',
          'quote-segment',
          `${feature.id}:segment`,
          shown.length === feature.quotes.length ? '' : (segment ?? ''),
          [['', 'All segments'], ...feature.segments.map((s): [string, string] => [s, s])],
          (value) => host.setSegment(feature.id, value || undefined),
        )
      : null;
  return section(feature.id, 'quotes', 'Quotes', feature.quotes.length, filter, h('ul', { className: 'quotes' }, ...shown.map((q) => quoteItem(host, feature.id, q))));
}

/** "Did it work?": the before/after of the latest measurable change, a newer change still waiting for data, a note. */
function outcomeBlock(feature: FeatureView): HTMLElement {
  const outcome = feature.outcome!;
  return section(
    feature.id,
    'outcome',
    'Did it work?',
    undefined,
    outcome.measured ? h('p', { className: 'outcome', testId: 'outcome-measured' }, outcome.measured) : null,
    outcome.pending ? h('p', { className: 'outcome muted', testId: 'outcome-pending' }, outcome.pending) : null,
    outcome.note ? h('p', { className: 'muted small', testId: 'outcome-note' }, outcome.note) : null,
  );
}

function featureBody(host: FeatureSectionHost, feature: FeatureView): Child[] {
  const owners = feature.owners.length > 0 ? h('p', { className: 'owners', testId: 'feature-owners' }, h('span', { className: 'muted' }, 'Owners '), ...feature.owners.map((o) => h('span', { className: 'owner' }, o))) : null;
  const whyMapped = h(
    'button',
    {
      className: 'link-button',
      testId: 'why-mapped',
      attrs: { type: 'button', 'data-focus-key': `${feature.id}:why-mapped`, title: 'Open the map file at this pattern' },
      on: { click: () => host.post({ method: 'file/open', params: { uri: feature.whyMapped.mapFileUri, line: feature.whyMapped.line } }) },
    },
    `${feature.whyMapped.pattern} · ${feature.whyMapped.location}`,
  );
  return [
    owners,
    feature.why ? h('p', { className: 'why', testId: 'feature-why' }, ...expandableText(feature.why)) : null,
    h('p', { className: 'why-mapped muted' }, 'In this feature because of ', whyMapped),
    feature.hasData ? null : h('p', { className: 'no-data', testId: 'feature-no-data', attrs: { role: 'note' } }, feature.noDataReason ?? 'No customer context for this feature.'),
    feature.outcome ? outcomeBlock(feature) : null,
    feature.usage.length > 0 ? section(feature.id, 'usage', 'Usage', undefined, h('ul', { className: 'metrics' }, ...feature.usage.map(usageItem))) : null,
    feature.problems.length > 0 ? problemsBlock(host, feature) : null,
    feature.quotes.length > 0 ? quotesBlock(host, feature) : null,
    feature.links.length + feature.unopenableLinks.length > 0
      ? section(
          feature.id,
          'links',
          'Links',
          undefined,
          h(
            'ul',
            { className: 'links' },
            ...feature.links.map((link, i) => h('li', {}, externalLink(host.post, link, 'feature-link', `${feature.id}:link:${i}`))),
            ...feature.unopenableLinks.map((title) => h('li', { className: 'muted', attrs: { title: 'Only https links are opened' } }, title)),
          ),
        )
      : null,
    feature.updatedText ? h('p', { className: 'muted small' }, feature.updatedText) : null,
  ];
}

/** A collapsible section for one feature; the primary feature starts open. */
export function featureSection(host: FeatureSectionHost, feature: FeatureView): HTMLElement {
  const details = h(
    'details',
    { className: `feature${feature.primary ? ' primary' : ''}`, testId: 'feature', attrs: { 'data-feature-id': feature.id } },
    h(
      'summary',
      { attrs: { 'data-focus-key': `${feature.id}:summary` } },
      h('span', { className: 'feature-name', testId: 'feature-name' }, feature.name),
      feature.primary ? h('span', { className: 'badge primary-badge' }, 'primary') : null,
      feature.problems.length > 0 ? h('span', { className: 'muted summary-count', testId: 'feature-problem-summary' }, openProblemsText(feature.problemCounts.open)) : null,
    ),
    ...featureBody(host, feature),
  );
  details.open = host.isOpen(feature);
  details.addEventListener('toggle', () => host.setOpen(feature, details.open));
  return details;
}
