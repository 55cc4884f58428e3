// The Explore view: every feature at a glance, searchable; opening one shows its purpose, its customers and the code
// that makes it up, one click from each file.
import { exploreUiStateSchema, type ExploreDetailView, type ExploreFeatureView, type ExploreUiState, type ExploreViewModel, type ModuleView } from '../shared/webviewProtocol';
import { countTestIds, h, renderKeepingFocus, type Child } from './dom';
import { changeBadge, externalLink, quoteFigure } from './featureSection';
import { connectToHost, type HostChannel } from './host';
import { matchesSearch } from './order';

function featureCard(feature: ExploreFeatureView, open: (id: string) => void): HTMLElement {
  return h(
    'button',
    {
      className: 'feature-card',
      testId: 'explore-feature',
      attrs: { type: 'button', 'data-feature-id': feature.id, 'data-focus-key': `feature:${feature.id}`, 'aria-label': `Open ${feature.name}` },
      on: { click: () => open(feature.id) },
    },
    h('span', { className: 'card-title' }, h('span', { className: 'feature-name' }, feature.name), h('span', { className: 'muted small' }, feature.filesText)),
    feature.purpose ? h('span', { className: 'card-purpose' }, feature.purpose) : null,
    feature.owners.length > 0 ? h('span', { className: 'card-owners muted' }, feature.owners.join(', ')) : null,
    feature.topProblem
      ? h('span', { className: 'card-problem', testId: 'explore-top-problem' }, h('span', { className: 'muted' }, 'Top problem: '), feature.topProblem.title, feature.topProblem.customersText ? ` (${feature.topProblem.customersText})` : '')
      : null,
    feature.usageHeadline
      ? h('span', { className: 'card-usage', testId: 'explore-usage' }, `${feature.usageHeadline.label}: ${feature.usageHeadline.valueText} `, feature.usageHeadline.change ? changeBadge(feature.usageHeadline.change, 'explore-usage-change') : null)
      : null,
    !feature.hasContext ? h('span', { className: 'muted small' }, 'No customer context yet') : null,
    feature.workspaceFolderName ? h('span', { className: 'muted small' }, feature.workspaceFolderName) : null,
  );
}

function moduleSection(channel: HostChannel<ExploreUiState>, module: ModuleView, index: number): HTMLElement {
  const headingId = `module-${index}`;
  return h(
    'section',
    { className: 'module', testId: 'explore-module', attrs: { 'aria-labelledby': headingId } },
    h(
      'h4',
      { attrs: { id: headingId } },
      h(
        'button',
        {
          className: 'link-button mono',
          attrs: { type: 'button', title: 'Show this pattern in the map', 'data-focus-key': `module:${index}` },
          on: { click: () => channel.post({ method: 'file/open', params: { uri: module.mapFileUri, line: module.line } }) },
        },
        module.pattern,
      ),
      h('span', { className: 'muted small' }, ` ${module.filesText}`),
    ),
    module.why
      ? h(
          'p',
          { className: 'why', testId: 'explore-module-why' },
          module.why,
          module.whySource ? h('span', { className: 'why-source muted small', testId: 'explore-module-why-source' }, ` — ${module.whySource}`) : null,
        )
      : null,
    ...module.folders.map((folder) =>
      h(
        'div',
        { className: 'folder' },
        h('p', { className: 'folder-name mono muted' }, `${folder.folder || '.'}/`),
        h(
          'ul',
          { className: 'files' },
          ...folder.files.map((file) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  className: 'link-button',
                  testId: 'explore-file',
                  attrs: { type: 'button', title: file.path, 'data-uri': file.uri, 'data-focus-key': `file:${file.uri}` },
                  on: { click: () => channel.post({ method: 'file/open', params: { uri: file.uri } }) },
                },
                file.name,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** A titled part of the opened feature: a heading, an optional count, and its body. */
function detailBlock(name: string, title: string, count: string | undefined, ...body: Child[]): HTMLElement {
  const headingId = `detail-${name}-heading`;
  return h(
    'section',
    { className: `detail-block detail-${name}`, testId: `explore-${name}`, attrs: { 'aria-labelledby': headingId } },
    h('h3', { attrs: { id: headingId } }, title, count ? h('span', { className: 'count' }, ` ${count}`) : null),
    ...body,
  );
}

function customersBlock(channel: HostChannel<ExploreUiState>, detail: ExploreDetailView): HTMLElement {
  const { customers } = detail;
  const problems = customers.topProblems.map((problem, i) =>
    h(
      'li',
      { className: 'problem', testId: 'explore-problem' },
      h(
        'div',
        { className: 'problem-head' },
        problem.statusLabel ? h('span', { className: 'badge status', testId: 'explore-problem-status' }, problem.statusLabel) : null,
        h(
          'span',
          { className: 'problem-title' },
          problem.url ? externalLink(channel.post, { title: problem.title, url: problem.url }, 'explore-problem-link', `detail-problem:${i}`) : problem.title,
        ),
      ),
      h(
        'div',
        { className: 'facts' },
        problem.customersText ? h('span', { className: 'fact fact-customers' }, problem.customersText) : null,
        problem.arrText ? h('span', { className: 'fact' }, problem.arrText) : null,
      ),
    ),
  );
  const body: Child[] = [
    customers.lead ? h('p', { className: 'lead', testId: 'explore-customers-lead' }, customers.lead) : null,
    customers.summary ? h('p', { className: 'muted' }, customers.summary) : null,
    customers.segments.length > 0
      ? h('p', { className: 'segments' }, h('span', { className: 'muted' }, 'Segments '), ...customers.segments.map((segment) => h('span', { className: 'badge segment' }, segment)))
      : null,
    problems.length > 0 ? h('h4', {}, 'Hurting them most') : null,
    problems.length > 0 ? h('ol', { className: 'problems top-problems' }, ...problems) : null,
    customers.currencyNote ? h('p', { className: 'muted small currency-note' }, customers.currencyNote) : null,
    customers.quotes.length > 0 ? h('h4', {}, 'In their words') : null,
    customers.quotes.length > 0
      ? h(
          'ul',
          { className: 'quotes' },
          ...customers.quotes.map((quote) =>
            h('li', { className: `quote sentiment-${quote.sentiment ?? 'unknown'}`, testId: 'explore-quote' }, quoteFigure(channel.post, quote, `detail-quote:${quote.id}`)),
          ),
        )
      : null,
  ];
  const hasCustomers = body.some(Boolean);
  return detailBlock('customers', 'Customers', customers.problemCountText, ...(hasCustomers ? body : [h('p', { className: 'muted' }, 'No customer context for this feature yet.')]));
}

function detailSection(channel: HostChannel<ExploreUiState>, detail: ExploreDetailView, close: () => void): HTMLElement {
  return h(
    'section',
    { className: 'detail', testId: 'explore-detail', attrs: { 'aria-labelledby': 'detail-heading', 'data-feature-id': detail.featureId } },
    h('button', { className: 'link-button', testId: 'explore-back', attrs: { type: 'button', 'data-focus-key': 'back' }, on: { click: close } }, '← All features'),
    h(
      'header',
      { className: 'detail-header' },
      h('h2', { attrs: { id: 'detail-heading', tabindex: '-1', 'data-focus-key': 'detail-heading' } }, detail.name),
      detail.owners.length > 0
        ? h('p', { className: 'owners', testId: 'explore-owners' }, h('span', { className: 'muted' }, 'Owned by '), ...detail.owners.map((owner) => h('span', { className: 'owner' }, owner)))
        : null,
    ),
    detail.purpose
      ? detailBlock(
          'purpose',
          'Why it exists',
          undefined,
          h('p', { className: 'purpose', testId: 'explore-purpose' }, detail.purpose),
          detail.purposeSource ? h('p', { className: 'muted small' }, `From ${detail.purposeSource}`) : null,
        )
      : null,
    customersBlock(channel, detail),
    detailBlock(
      'modules',
      'Code',
      detail.modules.length > 0 ? `${detail.modules.length}` : undefined,
      ...(detail.modules.length > 0 ? detail.modules.map((module, i) => moduleSection(channel, module, i)) : [h('p', { className: 'muted' }, 'No files match this feature yet.')]),
    ),
    detail.links.length > 0
      ? detailBlock('links', 'Links', undefined, h('ul', { className: 'links' }, ...detail.links.map((link, i) => h('li', {}, externalLink(channel.post, link, 'explore-link', `detail-link:${i}`)))))
      : null,
    h(
      'p',
      {},
      h('button', { className: 'button secondary', testId: 'explore-reveal', attrs: { type: 'button' }, on: { click: () => channel.post({ method: 'map/reveal', params: { featureId: detail.featureId } }) } }, 'Reveal in map'),
    ),
  );
}

/** Starts the Explore view in `root`. */
export function startExploreApp(root: HTMLElement): void {
  const channel = connectToHost('explore', exploreUiStateSchema);
  let current: { seq: number; model: ExploreViewModel } | undefined;
  // Which feature's detail the last render showed, to move focus when the detail opens or closes.
  let shownDetail: string | undefined;

  const search = h('input', {
    className: 'search',
    testId: 'explore-search',
    attrs: { type: 'search', placeholder: 'Search features, owners, problems', 'aria-label': 'Search features', value: channel.state().search, 'aria-controls': 'explore-results' },
    on: {
      input: () => {
        channel.setState({ ...channel.state(), search: search.value });
        render();
      },
    },
  });
  const status = h('p', { className: 'muted small', testId: 'explore-count', attrs: { role: 'status', 'aria-live': 'polite' } });
  // Until the host's first model arrives, say the list is coming (the page's own placeholder is replaced here).
  const results = h('div', { attrs: { id: 'explore-results' } }, h('p', { className: 'empty', testId: 'explore-loading', attrs: { role: 'status' } }, 'Reading the map…'));
  root.replaceChildren(h('div', { className: 'search-row' }, search), status, results);

  // The host decides which feature is open; a click shows its effect at once, until the host's next model arrives.
  let clicked: { featureId: string | undefined } | undefined;
  const openedId = (model: Extract<ExploreViewModel, { state: 'ready' }>) => (clicked ? clicked.featureId : model.opened?.featureId);
  const openFeature = (featureId: string | undefined) => {
    clicked = { featureId };
    channel.setState({ ...channel.state(), openFeatureId: featureId });
    channel.post({ method: 'explore/openFeature', params: featureId !== undefined ? { featureId } : {} });
    render();
  };

  function body(model: ExploreViewModel): Child[] {
    switch (model.state) {
      case 'loading':
        return [h('p', { className: 'empty', testId: 'explore-loading', attrs: { role: 'status' } }, 'Reading the map…')];
      case 'error':
        return [h('div', { className: 'banner banner-error', testId: 'explore-error', attrs: { role: 'alert' } }, model.message)];
      case 'no-map':
        return [
          h('p', { testId: 'explore-no-map' }, model.message),
          h('button', { className: 'button', testId: 'create-map', attrs: { type: 'button' }, on: { click: () => channel.post({ method: 'map/create', params: {} }) } }, 'Create map…'),
        ];
      case 'ready': {
        const opened = model.opened;
        const openId = openedId(model);
        if (openId !== undefined) {
          const shown = opened?.featureId === openId ? opened : undefined;
          if (shown?.state === 'ready') return [detailSection(channel, shown.detail, () => openFeature(undefined))];
          if (shown?.state === 'error') {
            return [
              h('button', { className: 'link-button', testId: 'explore-back', attrs: { type: 'button', 'data-focus-key': 'back' }, on: { click: () => openFeature(undefined) } }, '← All features'),
              h('div', { className: 'banner banner-error', testId: 'explore-error', attrs: { role: 'alert' } }, shown.message),
            ];
          }
          return [h('p', { className: 'empty', testId: 'explore-opening', attrs: { role: 'status' } }, 'Opening…')];
        }
        const query = channel.state().search;
        const shown = model.features.filter((f) => matchesSearch([f.id, f.name, f.purpose, f.owners.join(' '), f.topProblem?.title], query));
        status.textContent = query ? `${shown.length} of ${model.features.length} features` : `${model.features.length} features`;
        if (shown.length === 0) return [h('p', { className: 'empty', testId: 'explore-no-results' }, model.features.length === 0 ? 'The map has no features yet.' : `No feature matches "${query}".`)];
        return [h('ul', { className: 'feature-list', testId: 'explore-list' }, ...shown.map((f) => h('li', {}, featureCard(f, openFeature))))];
      }
    }
  }

  function render(): void {
    if (!current) return;
    const { model, seq } = current;
    const detailOpen = model.state === 'ready' && openedId(model) !== undefined;
    search.hidden = detailOpen;
    if (detailOpen || model.state !== 'ready') status.textContent = '';
    root.dataset.state = model.state;
    root.setAttribute('aria-busy', String(model.state === 'loading'));
    renderKeepingFocus(results, () => body(model));
    const nowShown = results.querySelector<HTMLElement>('[data-testid="explore-detail"]')?.dataset.featureId;
    if (nowShown !== shownDetail) {
      const target = nowShown !== undefined ? 'detail-heading' : shownDetail !== undefined ? `feature:${shownDetail}` : undefined;
      if (target) results.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(target)}"]`)?.focus();
      shownDetail = nowShown;
    }
    channel.post({ method: 'webview/didRender', params: { view: 'explore', seq, testIds: countTestIds(root) } });
  }

  channel.onMessage((message) => {
    if (message.method !== 'explore/didChange') return;
    current = message.params;
    clicked = undefined;
    if (current.model.state === 'ready') channel.setState({ ...channel.state(), openFeatureId: current.model.opened?.featureId });
    render();
  });
  channel.post({ method: 'webview/ready', params: { view: 'explore' } });
  // A reopened view asks for the feature it showed before.
  const remembered = channel.state().openFeatureId;
  if (remembered !== undefined) channel.post({ method: 'explore/openFeature', params: { featureId: remembered } });
}
