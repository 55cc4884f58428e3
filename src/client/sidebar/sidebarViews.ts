import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DidChangeContextParams } from '../../shared/lspProtocol';
import type { ContextViewModel, ExploreViewModel } from '../../shared/webviewProtocol';
import { registerAddToFeature } from './addToFeature';
import { ContextViewProvider } from './contextView';
import { registerCreateMap } from './createMap';
import { ExploreViewProvider } from './exploreView';
import { createFeatureMapView, FeatureMapProvider, type FeatureMapNode, type FeatureMapState } from './featureMapTree';
import { registerRevealInMap } from './revealInMap';
import { errorText, workspaceHasMap } from './sidebarActions';
import type { Rendered, SidebarWebview } from './webviewHost';
import { markWalkthroughStep, WalkthroughKeys } from '../walkthrough';

/** A Feature Map node with the tree item VS Code shows for it. */
export interface FeatureMapEntry {
  node: FeatureMapNode;
  item: vscode.TreeItem;
}

/**
 * What the sidebar gives the extension shell and, through the extension's test API, the integration tests.
 *
 * The language client keeps one handler per notification method, so the sidebar does not subscribe itself: the shell
 * owns the `customerLens/didChangeContext` and `customerLens/didChangeMap` handlers and forwards each notification
 * to {@link SidebarApi.didChangeContext} and {@link SidebarApi.didChangeMap}.
 */
export interface SidebarApi {
  /** Forward every `customerLens/didChangeContext` here. */
  didChangeContext(params: DidChangeContextParams): void;
  /** Forward every `customerLens/didChangeMap` here. */
  didChangeMap(params: { workspaceFolderUri: string }): void;

  /** The model the Context view last rendered (confirmed by the webview), if any. */
  contextModel(): ContextViewModel | undefined;
  /** The last rendered Context model with the count of rendered elements per `data-testid`. */
  contextRendered(): Rendered<ContextViewModel> | undefined;
  /** Fires each time the Context webview confirms it drew a model. */
  readonly onDidRenderContext: vscode.Event<Rendered<ContextViewModel>>;
  /** Resolves with the first rendered Context model (the current one included) for which `predicate` holds. */
  waitForContext(predicate: (rendered: Rendered<ContextViewModel>) => boolean, timeoutMs?: number): Promise<Rendered<ContextViewModel>>;
  /** The file the Context view is about. */
  contextFile(): vscode.Uri | undefined;

  /** The model the Explore view last rendered, if any. */
  exploreModel(): ExploreViewModel | undefined;
  readonly onDidRenderExplore: vscode.Event<Rendered<ExploreViewModel>>;
  waitForExplore(predicate: (rendered: Rendered<ExploreViewModel>) => boolean, timeoutMs?: number): Promise<Rendered<ExploreViewModel>>;
  /** Opens a feature in Explore as a click on its card does (the webview remembers opened features itself). */
  openExploreFeature(featureId: string | undefined): Promise<void>;

  /** The Feature Map tree as VS Code reads it: the children of `node` (top level when absent) with their tree items. */
  featureMapChildren(node?: FeatureMapNode): Promise<FeatureMapEntry[]>;
  /** The state of the tree's last load (it decides the welcome content). */
  featureMapState(): FeatureMapState;
  /** Fires each time the tree's top level was read. */
  readonly onDidLoadFeatureMap: vscode.Event<FeatureMapState>;
}

function waitForRender<M>(
  webview: SidebarWebview<'context' | 'explore'>,
  current: () => Rendered<M> | undefined,
  event: vscode.Event<Rendered<M>>,
  predicate: (rendered: Rendered<M>) => boolean,
  timeoutMs: number,
): Promise<Rendered<M>> {
  const now = current();
  if (now && predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const subscription = event((rendered) => {
      if (!predicate(rendered)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(rendered);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      const last = current();
      reject(new Error(`no matching render within ${timeoutMs} ms (visible=${webview.visible}); last rendered: ${last ? JSON.stringify(last.model).slice(0, 1500) : 'nothing'}`));
    }, timeoutMs);
  });
}

/** How long the views wait for the server's first map load before asking anyway. */
const MAPS_LOADED_TIMEOUT_MS = 60_000;

/**
 * Registers the Context, Feature Map and Explore views and the commands Create Map…, Add to Feature… and Reveal in
 * Map. Everything registered is owned by `context.subscriptions`.
 */
export function registerSidebarViews(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  log: vscode.LogOutputChannel,
  mapsLoaded: Promise<void> = Promise.resolve(),
): SidebarApi {
  // The views show that they are loading until the server has read the maps; a server that never says so (it
  // crashed while starting) must not leave them loading for ever.
  let giveUp: NodeJS.Timeout | undefined;
  const loaded = Promise.race([mapsLoaded, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, MAPS_LOADED_TIMEOUT_MS)))]).finally(() => clearTimeout(giveUp));
  context.subscriptions.push({ dispose: () => clearTimeout(giveUp) });
  const contextView = new ContextViewProvider(context.extensionUri, client, log, loaded);
  const exploreView = new ExploreViewProvider(context.extensionUri, client, log, loaded);
  const featureMap = new FeatureMapProvider(client, log, loaded);
  const featureMapView = createFeatureMapView(featureMap);
  const sidebarSeen = () => markWalkthroughStep(WalkthroughKeys.sidebarSeen);
  context.subscriptions.push(
    contextView,
    exploreView,
    featureMap,
    vscode.window.registerWebviewViewProvider(ContextViewProvider.viewId, contextView),
    vscode.window.registerWebviewViewProvider(ExploreViewProvider.viewId, exploreView),
    featureMapView,
    contextView.webview.onDidBecomeVisible(sidebarSeen),
    exploreView.webview.onDidBecomeVisible(sidebarSeen),
    featureMapView.onDidChangeVisibility((event) => event.visible && sidebarSeen()),
    registerCreateMap(client, log),
    registerAddToFeature(client, log),
    registerRevealInMap(client, log),
  );

  // Menus and the walkthrough show "Add to Feature…" and "Open Map File" only where there is a map.
  const updateHasMap = () =>
    workspaceHasMap().then(
      (hasMap) => vscode.commands.executeCommand('setContext', 'customerLens.sidebar.hasMap', hasMap),
      (error: unknown) => log.warn(`sidebar: could not look for map files error=${errorText(error)}`),
    );
  void updateHasMap();
  if (featureMapView.visible) sidebarSeen();

  // A map edit that breaks or fixes the map shows in its diagnostics first; the tree then says so (or stops saying it).
  let diagnosticsTimer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((uri) => /(^|\/)\.customer-lens\.(ya?ml|json)$/.test(uri.path))) return;
      clearTimeout(diagnosticsTimer);
      diagnosticsTimer = setTimeout(() => featureMap.refresh(), 200);
    }),
    { dispose: () => clearTimeout(diagnosticsTimer) },
  );

  return {
    didChangeContext(params) {
      contextView.contextChanged(params);
      void exploreView.refresh();
    },
    didChangeMap(params) {
      log.debug(`sidebar: map changed folder=${params.workspaceFolderUri}`);
      void updateHasMap();
      contextView.mapChanged();
      void exploreView.refresh();
      featureMap.refresh();
    },
    contextModel: () => contextView.webview.lastRendered()?.model,
    contextRendered: () => contextView.webview.lastRendered(),
    onDidRenderContext: contextView.webview.onDidRender,
    waitForContext: (predicate, timeoutMs = 20_000) =>
      waitForRender(contextView.webview, () => contextView.webview.lastRendered(), contextView.webview.onDidRender, predicate, timeoutMs),
    contextFile: () => contextView.currentFile,
    exploreModel: () => exploreView.webview.lastRendered()?.model,
    onDidRenderExplore: exploreView.webview.onDidRender,
    waitForExplore: (predicate, timeoutMs = 20_000) =>
      waitForRender(exploreView.webview, () => exploreView.webview.lastRendered(), exploreView.webview.onDidRender, predicate, timeoutMs),
    openExploreFeature: (featureId) => exploreView.open(featureId),
    featureMapChildren: async (node) => {
      const children = await featureMap.getChildren(node);
      return children.map((child) => ({ node: child, item: featureMap.getTreeItem(child) }));
    },
    featureMapState: () => featureMap.currentState,
    onDidLoadFeatureMap: featureMap.onDidLoad,
  };
}
