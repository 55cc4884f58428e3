// The Customer Lens language server: wires the LSP connection to the workspace maps, the context hub and the
// handlers. The same server runs under the VS Code extension (IPC) and standalone (`customer-lens lsp --stdio`).
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ResponseError,
  ErrorCodes,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type Connection,
  type InitializeResult,
  type MarkupKind,
} from 'vscode-languageserver/node';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Logger } from '../shared/contextModel';
import {
  AddToFeatureRequest,
  AgentInstructionsRequest,
  AgentToolRequest,
  CreateMapRequest,
  DidChangeContextNotification,
  ImpactRequest,
  DidChangeMapNotification,
  DidChangeTokenNotification,
  ExplainRequest,
  FeatureFilesRequest,
  FeatureContextRequest,
  FeatureListRequest,
  FileContextRequest,
  RefreshRequest,
  ServerInfoRequest,
  UnmappedFilesRequest,
  type InitializationOptions,
} from '../shared/lspProtocol';
import { provideCodeActions } from './codeActions';
import { agentTool, writeAgentInstructions } from './agentRequests';
import { provideCodeLenses } from './codeLens';
import { ContextHub, contextConsumer } from './contextHub';
import { explainFile, fileContext } from './fileContext';
import { provideHover } from './hover';
import { MapDiagnostics } from './mapDiagnostics';
import { provideCompletion, provideDocumentLinks, provideMapHover } from './mapEditing';
import { MapFileWatcher } from './mapWatcher';
import { hoverFormatOf, hoverIn } from './plainText';
import {
  addToFeatureParams,
  createMapParams,
  agentInstructionsParams,
  agentToolParams,
  codeActionParams,
  executeCommandParams,
  featureContextParams,
  featureFilesParams,
  noParams,
  positionParams,
  ServerLifecycle,
  textDocumentParams,
  uriParams,
} from './requestGuard';
import { addToFeature, createMap, featureContext, featureFiles, listFeatures, unmappedFiles } from './requests';
import { RootDiscovery } from './rootDiscovery';
import { executeCommand, lensCommandFor, SERVER_COMMANDS } from './serverCommands';
import { HistoryHub } from './historyHub';
import { impactOfWorkingTree } from './impactRequest';
import { errorText, settingsOf, VIEW_BUDGET_MS, type ServerContext } from './serverContext';
import { parseInitializationOptions, SettingsStore, TokenStore } from './settings';
import { uriToPath } from './uris';
import { Workspace } from './workspace';
import { isMapFileName, type FolderState } from './workspaceState';

/** Typing in a map file recompiles it (and updates its problems) this long after the last keystroke. */
const MAP_EDIT_DEBOUNCE_MS = 150;
/**
 * Coverage (which files each pattern matches, "matches no file" warnings, the views' file counts) follows when
 * typing has paused this long: on a large workspace it takes longer than a keystroke should.
 */
const COVERAGE_DEBOUNCE_MS = 1000;
/** Created and deleted files are gathered this long before the file list is read again. */
const FILE_LIST_DEBOUNCE_MS = 500;

export function startLanguageServer(connection: Connection): void {
  const log: Logger = {
    info: (message) => connection.console.info(message),
    warn: (message) => connection.console.warn(message),
    error: (message) => connection.console.error(message),
  };
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(documents, log);
  const diagnostics = new MapDiagnostics((uri, list) => void connection.sendDiagnostics({ uri, diagnostics: list }));
  const timers = new Map<string, NodeJS.Timeout>();
  let ctx: ServerContext | undefined;
  let capabilities = { configuration: false, watchedFiles: false, configurationChange: false, codeLensRefresh: false, folders: false };
  const lifecycle = new ServerLifecycle();
  /** What this client can show: plain text or markdown hovers, and whether it has the sidebar a CodeLens opens. */
  let shows: { hoverFormat: MarkupKind; sidebar: boolean } = { hoverFormat: 'markdown', sidebar: false };
  /** Started for clients that do not watch files for the server. */
  let mapWatcher: MapFileWatcher | undefined;
  /** Set when the client gave no workspace folder: each opened file's map is found from its own folder. */
  let rootless: RootDiscovery | undefined;
  const showMessage = (type: MessageType, message: string) => void connection.sendNotification('window/showMessage', { type, message });

  const debounce = (key: string, ms: number, run: () => Promise<void>) => {
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        run().catch((error: unknown) => log.error(`${key} failed error=${errorText(error)}`));
      }, ms),
    );
  };

  let codeLensRefreshPending = false;
  const refreshViews = (featureIds: readonly string[]) => {
    void connection.sendNotification(DidChangeContextNotification.type, { featureIds: [...featureIds] });
    if (!capabilities.codeLensRefresh || codeLensRefreshPending) return;
    codeLensRefreshPending = true;
    setTimeout(() => {
      codeLensRefreshPending = false;
      connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => log.warn(`codeLens refresh failed error=${errorText(error)}`));
    }, 100);
  };

  /** After a folder's map changed: diagnostics, the context source (its context files may have changed), views. */
  const mapChanged = async (folder: FolderState) => {
    diagnostics.publish(folder);
    mapWatcher?.watch(workspace.all().flatMap((f) => [f.root, ...[...f.problems.keys()].map((file) => path.dirname(file))]));
    if (ctx && folder.map) ctx.hub.serviceFor(contextConsumer(folder.uri, folder.map), await settingsOf(ctx, folder));
    void connection.sendNotification(DidChangeMapNotification.type, { workspaceFolderUri: folder.uri });
    refreshViews([]);
  };
  /**
   * The root's map is in force while a large workspace is still being listed: hovers and lenses need the map, not the
   * file list. Its context is fetched and lenses redrawn; the views and diagnostics wait for the list (file counts,
   * nested maps, coverage) and `mapChanged`.
   */
  const earlyMap = async (folder: FolderState) => {
    try {
      if (ctx && folder.map) ctx.hub.serviceFor(contextConsumer(folder.uri, folder.map), await settingsOf(ctx, folder));
      refreshViews([]);
    } catch (error) {
      log.error(`early map failed root=${folder.root} error=${errorText(error)}`);
    }
  };
  // A reload that a later change overtook says nothing: the later one reports when it is done.
  const reloadMaps = (folder: FolderState, delay: number) =>
    debounce(`maps:${folder.root}`, delay, async () => {
      if (await folder.reloadMaps(workspace.openText)) await mapChanged(folder);
    });
  const reloadFiles = (folder: FolderState, delay: number) =>
    debounce(`files:${folder.root}`, delay, async () => {
      if (await folder.reloadFiles(workspace.openText, () => void earlyMap(folder))) await mapChanged(folder);
    });
  /** Typing in an open map file: its problems at once, coverage and the views once typing pauses. */
  const mapEdited = (folder: FolderState, absPath: string) =>
    debounce(`edit:${absPath}`, MAP_EDIT_DEBOUNCE_MS, async () => {
      const text = workspace.openText(absPath);
      if (text === undefined || !folder.editMap(absPath, text)) {
        reloadMaps(folder, 0);
        return;
      }
      diagnostics.publish(folder);
      debounce(`coverage:${folder.root}`, COVERAGE_DEBOUNCE_MS, async () => {
        if (await folder.refreshCoverage()) await mapChanged(folder);
      });
    });
  /** Settings or tokens changed: every folder re-picks its context service, every view redraws. */
  const contextSettingsChanged = async () => {
    if (!ctx) return;
    for (const folder of workspace.all()) {
      if (folder.map) ctx.hub.serviceFor(contextConsumer(folder.uri, folder.map), await settingsOf(ctx, folder));
    }
    refreshViews([]);
  };

  connection.onInitialize((params): InitializeResult => {
    if (ctx) throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received');
    const init: InitializationOptions = parseInitializationOptions(params.initializationOptions, log);
    const client = params.capabilities;
    capabilities = {
      configuration: client.workspace?.configuration === true,
      watchedFiles: client.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      configurationChange: client.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      codeLensRefresh: client.workspace?.codeLens?.refreshSupport === true,
      folders: client.workspace?.workspaceFolders === true,
    };
    shows = { hoverFormat: hoverFormatOf(client), sidebar: init.commandLinks === true };
    const settings = new SettingsStore(
      init,
      capabilities.configuration ? (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'customerLens' }) : undefined,
      log,
    );
    const tokens = new TokenStore(init, settings.trusted);
    const hub = new ContextHub({ cacheDir: init.cacheDir, tokens, log, onDidChange: (_folders, ids) => refreshViews(ids) });
    const history = new HistoryHub({ log, onDidRead: () => refreshViews([]) });
    ctx = { workspace, settings, tokens, hub, history, documents, init, log, now: Date.now };
    lifecycle.start(ctx);

    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    for (const folder of folders) workspace.add(folder.uri);
    if (folders.length === 0) rootless = new RootDiscovery(workspace, { log, showMessage, found: (folder) => reloadFiles(folder, 0) });
    log.info(
      `initialize client=${params.clientInfo?.name ?? 'unknown'} folders=${folders.length} trusted=${settings.trusted} endpoint=${init.endpoint ? 'set' : 'none'} cache=${init.cacheDir ? 'disk' : 'memory'} hover=${shows.hoverFormat} settings=${capabilities.configuration ? 'client' : 'initializationOptions'} watch=${capabilities.watchedFiles ? 'client' : 'server'}`,
    );
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: [':'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentLinkProvider: { resolveProvider: false },
        executeCommandProvider: { commands: SERVER_COMMANDS.map((command) => command.id) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'customer-lens' },
    };
  });

  connection.onInitialized(() => {
    if (capabilities.configurationChange) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'customerLens' });
    if (capabilities.watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/.customer-lens.{yml,yaml,json}' },
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
    if (capabilities.folders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) {
          const folder = workspace.remove(removed.uri);
          if (!folder) continue;
          diagnostics.clear(folder);
          ctx?.hub.removeFolder(folder.uri);
          ctx?.history.removeFolder(folder.root);
        }
        for (const added of event.added) {
          const folder = workspace.add(added.uri);
          if (folder) reloadFiles(folder, 0);
        }
      });
    }
    if (!capabilities.watchedFiles) {
      mapWatcher = new MapFileWatcher((mapFile) => {
        const folder = workspace.folderFor(mapFile);
        // The file list too: a pull that changes the map usually brings the files it maps.
        if (folder) reloadFiles(folder, FILE_LIST_DEBOUNCE_MS);
      }, log);
      mapWatcher.watch(workspace.all().map((folder) => folder.root));
    }
    rootless?.announce();
    for (const folder of workspace.all()) reloadFiles(folder, 0);
  });

  documents.onDidOpen((event) => {
    const folder = rootless?.opened(event.document.uri);
    if (folder) mapWatcher?.watch([...mapWatcher.folders, folder.root]);
  });
  documents.onDidChangeContent((event) => {
    const located = workspace.folderForUri(event.document.uri);
    if (located && isMapFileName(located.absPath)) mapEdited(located.folder, located.absPath);
  });
  documents.onDidClose((event) => {
    const located = workspace.folderForUri(event.document.uri);
    if (located && isMapFileName(located.absPath)) reloadMaps(located.folder, 0);
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const absPath = uriToPath(change.uri);
      const folder = absPath === undefined ? undefined : workspace.folderFor(absPath);
      if (!folder || absPath === undefined) continue;
      if (change.type !== FileChangeType.Changed) reloadFiles(folder, FILE_LIST_DEBOUNCE_MS);
      else if (isMapFileName(absPath)) reloadMaps(folder, 0);
    }
  });

  connection.onDidChangeConfiguration((params) => {
    ctx?.settings.changed(params.settings);
    void contextSettingsChanged();
  });

  connection.onNotification(DidChangeTokenNotification.type, (params) => {
    if (!ctx) return;
    ctx.tokens.set(params.token, params.origin);
    log.info(`token ${params.token ? 'set' : 'cleared'} origin=${params.origin ?? 'initialization endpoint'}`);
    void contextSettingsChanged();
  });

  /** The server context for a handler, or the lifecycle's error (-32002 before initialize, -32600 after shutdown). */
  const ready = (method = 'request'): ServerContext => lifecycle.ready(method);

  // Every request goes through the lifecycle (`ready`) and has its params parsed (-32602 naming the field) before its
  // handler runs: `lifecycle.handle(method, schema, handler)`.
  connection.onHover(
    lifecycle.handle('textDocument/hover', positionParams, async (c, p, token) =>
      hoverIn(await (isMapFileName(p.textDocument.uri) ? provideMapHover(c, p) : provideHover(c, p, token)), shows.hoverFormat),
    ),
  );
  connection.onCodeLens(
    lifecycle.handle('textDocument/codeLens', textDocumentParams, async (c, p, token) =>
      (await provideCodeLenses(c, p, token)).map((lens) => ({ ...lens, command: lensCommandFor(lens.command, shows.sidebar) })),
    ),
  );
  connection.onCompletion(lifecycle.handle('textDocument/completion', positionParams, (c, p) => provideCompletion(c, p)));
  connection.onDocumentLinks(lifecycle.handle('textDocument/documentLink', textDocumentParams, (c, p) => provideDocumentLinks(c, p)));
  connection.onExecuteCommand(
    lifecycle.handle('workspace/executeCommand', executeCommandParams, (c, p) => executeCommand(c, p, { showMessage })),
  );
  connection.onCodeAction(lifecycle.handle('textDocument/codeAction', codeActionParams, (c, p) => provideCodeActions(c, p)));

  connection.onRequest(
    FileContextRequest.type,
    lifecycle.handle(FileContextRequest.method, uriParams, (c, p) => fileContext(c, p.uri, { budgetMs: VIEW_BUDGET_MS, recentChanges: true })),
  );
  connection.onRequest(
    ExplainRequest.type,
    lifecycle.handle(ExplainRequest.method, uriParams, (c, p) => {
      const { folder: _folder, matches: _matches, ...result } = explainFile(c, p.uri);
      return result;
    }),
  );
  connection.onRequest(FeatureListRequest.type, lifecycle.handle(FeatureListRequest.method, noParams, (c) => listFeatures(c)));
  connection.onRequest(FeatureContextRequest.type, lifecycle.handle(FeatureContextRequest.method, featureContextParams, (c, p) => featureContext(c, p)));
  connection.onRequest(FeatureFilesRequest.type, lifecycle.handle(FeatureFilesRequest.method, featureFilesParams, (c, p) => featureFiles(c, p)));
  connection.onRequest(UnmappedFilesRequest.type, lifecycle.handle(UnmappedFilesRequest.method, noParams, (c) => unmappedFiles(c)));
  connection.onRequest(AddToFeatureRequest.type, lifecycle.handle(AddToFeatureRequest.method, addToFeatureParams, (c, p) => addToFeature(c, p)));
  connection.onRequest(AgentToolRequest.type, lifecycle.handle(AgentToolRequest.method, agentToolParams, (c, p) => agentTool(c, p)));
  connection.onRequest(
    AgentInstructionsRequest.type,
    lifecycle.handle(AgentInstructionsRequest.method, agentInstructionsParams, (c, p) => writeAgentInstructions(c, p)),
  );
  connection.onRequest(ImpactRequest.type, lifecycle.handle(ImpactRequest.method, noParams, (c) => impactOfWorkingTree(c)));
  connection.onRequest(CreateMapRequest.type, lifecycle.handle(CreateMapRequest.method, createMapParams, async (c, p) => {
    const result = await createMap(c, p);
    const root = uriToPath(p.workspaceFolderUri);
    const folder = root === undefined ? undefined : workspace.folderFor(root);
    if (result.created && folder && (await folder.reloadFiles(workspace.openText))) await mapChanged(folder);
    return result;
  }));
  const startedAt = new Date().toISOString();
  connection.onRequest(ServerInfoRequest.type, lifecycle.handle(ServerInfoRequest.method, noParams, () => ({ pid: process.pid, startedAt })));
  connection.onRequest(
    RefreshRequest.type,
    lifecycle.handle(RefreshRequest.method, noParams, async (c) => {
      log.info('refresh requested');
      await c.hub.refresh();
      c.history.refresh();
      refreshViews([]);
    }),
  );

  connection.onShutdown(async () => {
    ready('shutdown');
    lifecycle.shutdown();
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    mapWatcher?.dispose();
    ctx?.history.dispose();
    await ctx?.hub.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
