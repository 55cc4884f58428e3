// The Context view: the active file's features and their customers, or the state that explains why there are none.
import { contextUiStateSchema, type BannerView, type ContextUiState, type ContextViewModel, type FeatureView, type ProblemSort, type RecentChangesView } from '../shared/webviewProtocol';
import { countTestIds, h, renderKeepingFocus, type Child } from './dom';
import { featureSection, type FeatureSectionHost } from './featureSection';
import { connectToHost, type HostChannel } from './host';

function banner(view: BannerView): HTMLElement {
  // Offline and errors are announced; a stale or map notice is polite background information.
  const urgent = view.kind === 'offline' || view.kind === 'error';
  return h(
    'div',
    { className: `banner banner-${view.kind}`, testId: `banner-${view.kind}`, attrs: { role: urgent ? 'alert' : 'status' } },
    h('strong', {}, view.title),
    ' ',
    h('span', {}, view.message),
  );
}

function button(label: string, testId: string, onClick: () => void, primary = true): HTMLButtonElement {
  return h('button', { className: primary ? 'button' : 'button secondary', testId, attrs: { type: 'button', 'data-focus-key': testId }, on: { click: onClick } }, label);
}

function fileHeading(path: string | undefined, name: string): HTMLElement {
  return h('p', { className: 'file-path muted', testId: 'context-file', attrs: { title: path ?? name } }, path ?? name);
}

function stateBody(channel: HostChannel<ContextUiState>, model: ContextViewModel, features: FeatureSectionHost): Child[] {
  const post = channel.post;
  switch (model.state) {
    case 'no-editor':
      return [h('p', { className: 'empty', testId: 'context-no-editor' }, model.message)];
    case 'loading':
      return [fileHeading(model.file.path, model.file.name), h('p', { className: 'empty', testId: 'context-loading', attrs: { role: 'status' } }, `Reading customer context for ${model.file.name}…`)];
    case 'error':
      return [
        model.file ? fileHeading(model.file.path, model.file.name) : null,
        h('div', { className: 'banner banner-error', testId: 'context-error', attrs: { role: 'alert' } }, model.message),
      ];
    case 'no-map':
      return [
        h('h2', {}, 'No map yet'),
        h('p', { testId: 'context-no-map' }, model.message),
        button('Create map…', 'create-map', () => post({ method: 'map/create', params: model.workspaceFolderUri !== undefined ? { workspaceFolderUri: model.workspaceFolderUri } : {} })),
      ];
    case 'invalid-map':
      return [
        fileHeading(model.file.path, model.file.name),
        h('h2', {}, 'The map has errors'),
        h('p', { testId: 'context-invalid-map' }, model.message),
        model.mapFileUri !== undefined ? button('Open map file', 'open-map', () => post({ method: 'file/open', params: { uri: model.mapFileUri! } })) : null,
      ];
    case 'not-mapped':
      return [
        ...model.banners.map(banner),
        fileHeading(model.file.path, model.file.name),
        h('h2', {}, model.ignored ? 'Not customer-facing' : 'Not in any feature'),
        h('p', { testId: 'not-mapped-reason' }, model.reason),
        model.ignoredBy
          ? button(`Show "${model.ignoredBy.pattern}" in the map`, 'show-ignored-by', () => post({ method: 'file/open', params: { uri: model.ignoredBy!.mapFileUri, line: model.ignoredBy!.line } }), false)
          : null,
        model.canAdd ? button('Add to feature…', 'add-to-feature', () => post({ method: 'map/addToFeature', params: { uri: model.file.uri } })) : null,
        model.recentChanges ? recentChangesSection(model.recentChanges) : null,
      ];
    case 'mapped':
      return [
        ...model.banners.map(banner),
        fileHeading(model.file.path, model.file.name),
        ...model.features.map((feature) => featureSection(features, feature)),
        model.recentChanges ? recentChangesSection(model.recentChanges) : null,
        h(
          'footer',
          { className: 'source' },
          h('span', { className: 'muted', testId: 'context-source' }, model.sourceText),
          button('Refresh', 'refresh', () => post({ method: 'context/refresh', params: {} }), false),
        ),
      ];
  }
}

/** "Your recent changes": each feature the user changed lately with what its series did since. */
function recentChangesSection(recent: RecentChangesView): HTMLElement {
  return h(
    'section',
    { className: 'recent-changes', testId: 'recent-changes', attrs: { 'aria-labelledby': 'recent-changes-heading' } },
    h('h2', { attrs: { id: 'recent-changes-heading' } }, recent.title),
    recent.message ? h('p', { className: 'muted', testId: 'recent-changes-message' }, recent.message) : null,
    recent.items.length > 0
      ? h(
          'ul',
          { className: 'recent-list' },
          ...recent.items.map((item) =>
            h(
              'li',
              { className: `recent-item${item.good === true ? ' recent-good' : item.good === false ? ' recent-bad' : ''}`, testId: 'recent-change', attrs: { 'data-feature-id': item.featureId } },
              h('div', { className: 'recent-name' }, item.name),
              h('div', { className: 'muted small' }, item.changeText),
              h('p', { className: 'outcome', testId: 'recent-outcome' }, item.outcome),
            ),
          ),
        )
      : null,
  );
}

/** Starts the Context view in `root`. */
export function startContextApp(root: HTMLElement): void {
  const channel = connectToHost('context', contextUiStateSchema);
  let current: { seq: number; model: ContextViewModel } | undefined;

  const update = (change: (state: ContextUiState) => ContextUiState) => {
    channel.setState(change(channel.state()));
    render();
  };
  const features: FeatureSectionHost = {
    post: channel.post,
    get problemSort() {
      return channel.state().problemSort;
    },
    setProblemSort: (sort: ProblemSort) => update((state) => ({ ...state, problemSort: sort })),
    segment: (featureId) => channel.state().segments[featureId],
    setSegment: (featureId, segment) =>
      update((state) => {
        const segments = { ...state.segments };
        if (segment === undefined) delete segments[featureId];
        else segments[featureId] = segment;
        return { ...state, segments };
      }),
    // `toggled` holds the features whose open/closed state differs from the default (primary open, others closed).
    isOpen: (feature: FeatureView) => feature.primary !== channel.state().toggled.includes(feature.id),
    setOpen: (feature, open) => {
      const toggled = channel.state().toggled.filter((id) => id !== feature.id);
      if (open !== feature.primary) toggled.push(feature.id);
      // No re-render: the <details> element already shows the new state.
      channel.setState({ ...channel.state(), toggled });
    },
  };

  function render(): void {
    if (!current) return;
    const { model, seq } = current;
    root.dataset.state = model.state;
    root.setAttribute('aria-busy', String(model.state === 'loading'));
    renderKeepingFocus(root, () => stateBody(channel, model, features));
    channel.post({ method: 'webview/didRender', params: { view: 'context', seq, testIds: countTestIds(root) } });
  }

  channel.onMessage((message) => {
    if (message.method !== 'context/didChange') return;
    current = message.params;
    render();
  });
  channel.post({ method: 'webview/ready', params: { view: 'context' } });
}
