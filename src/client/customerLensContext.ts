// The one owner of everything the extension creates: the language client (IPC with `customer-lens lsp`), the log,
// the status bar, the commands and the sidebar. Disposed with the extension; `stop()` stops the server.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  DidChangeContextNotification,
  DidChangeMapNotification,
  DidChangeTokenNotification,
  FileContextRequest,
  type CustomerLensSettings,
  type DidChangeContextParams,
  type InitializationOptions,
} from '../shared/lspProtocol';
import { registerAgentTools, type AgentsApi } from './agentTools';
import { registerSidebarViews, type SidebarApi } from './sidebar/sidebarViews';
import { clearToken, Commands, registerCommands, storeToken, type CommandDeps } from './commands';
import { RedactingLog, ServerTraceChannel } from './redactingLog';
import { RestartPolicy } from './restartPolicy';
import { StatusBar } from './statusBar';
import type { StatusSnapshot } from './statusBarContent';
import { configuredOrigins, TokenVault } from './tokens';
import { markWalkthroughStep, WalkthroughKeys } from './walkthrough';

/** What `activate` returns: the integration tests await readiness and read state through it. */
export interface CustomerLensApi {
  /** Resolves when the server runs and every workspace folder's map has been loaded once. */
  readonly ready: Promise<void>;
  /** Resolves when the language server runs; rejects when it cannot start (the user has been told). */
  readonly started: Promise<void>;
  /** How long `activate` took, in milliseconds: the server starts after it returns. */
  readonly activationMs: number;
  readonly client: LanguageClient;
  readonly sidebar: SidebarApi;
  /** The status bar item's current content. */
  statusBar(): StatusSnapshot;
  readonly onDidUpdateStatusBar: vscode.Event<StatusSnapshot>;
  /** Fires on every `customerLens/didChangeMap` (a map was reloaded). */
  readonly onDidChangeMap: vscode.Event<{ workspaceFolderUri: string }>;
  /** Fires on every `customerLens/didChangeContext`. */
  readonly onDidChangeContext: vscode.Event<DidChangeContextParams>;
  /** The folder VS Code writes this extension's log files into (the "Customer Lens" log is one of them). */
  readonly logUri: vscode.Uri;
  /** What Set Token does after its input box: store the token for an endpoint origin and hand it to the server. */
  storeToken(origin: string, token: string): Promise<void>;
  /** What Clear Token does after its picker. */
  clearToken(origin: string): Promise<void>;
  /** The language-model tools' and MCP server's side of the extension. */
  readonly agents: AgentsApi;
}

/** The one command hover cards may link to. */
const HOVER_COMMANDS = [Commands.openSidebar];

export class CustomerLensContext implements vscode.Disposable {
  /** The one log. Every line is redacted (tokens, bearer credentials) before it is written. */
  readonly log: RedactingLog;
  /** The log as the language client's trace channel: on when `customerLens.trace.server` is not off. */
  private readonly traceChannel: ServerTraceChannel;
  private readonly restarts = new RestartPolicy();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly tokens: TokenVault;
  private readonly statusBar: StatusBar;
  private readonly mapChanged = new vscode.EventEmitter<{ workspaceFolderUri: string }>();
  private readonly contextChanged = new vscode.EventEmitter<DidChangeContextParams>();
  private client: LanguageClient | undefined;
  private sidebar: SidebarApi | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private statusGeneration = 0;

  constructor(private readonly extension: vscode.ExtensionContext) {
    this.tokens = new TokenVault(extension.secrets);
    this.log = new RedactingLog(vscode.window.createOutputChannel('Customer Lens', { log: true }), () => this.tokens.values());
    this.traceChannel = new ServerTraceChannel(this.log);
    this.statusBar = new StatusBar(Commands.showStatusMenu);
    this.disposables.push(this.traceChannel, this.log, this.tokens, this.statusBar, this.mapChanged, this.contextChanged);
    extension.subscriptions.push(this);
  }

  /**
   * Registers everything and starts the server without waiting for it: VS Code waits for `activate`, and the
   * server's start (a process, the workspace's files) is no reason to hold up other extensions. Requests sent before
   * it runs wait for it; `onServerFailed` hears when it cannot start. `began`: when activate began
   * (`performance.now()`), for the activation time the test API reports.
   */
  start(began: number, onServerFailed: (error: unknown) => void): CustomerLensApi {
    const client = this.createClient();
    this.client = client;
    const ready = this.whenMapsLoaded();
    client.onNotification(DidChangeMapNotification.type, (params) => {
      this.mapChanged.fire(params);
      this.sidebar?.didChangeMap(params);
      this.scheduleStatus();
    });
    client.onNotification(DidChangeContextNotification.type, (params) => {
      this.contextChanged.fire(params);
      this.sidebar?.didChangeContext(params);
      this.scheduleStatus();
    });
    this.disposables.push(
      client.onDidChangeState((event) => {
        this.log.info(`language server state=${State[event.newState]}`);
        if (event.newState === State.Running) this.scheduleStatus();
      }),
    );

    // The views first: they show that they are loading while the server starts and lists the workspace's files (a
    // request sent meanwhile waits for the server), instead of an empty pane with no data provider.
    this.sidebar = registerSidebarViews(this.extension, client, this.log, ready);
    // After activate returned: reading the settings and secrets for the tokens (the server gets them with its
    // initialization options) and forking the server are no reason to hold up the window.
    const started = Promise.resolve()
      .then(() => this.tokens.load(configuredOrigins()))
      .then(() => client.start());
    started.catch(onServerFailed);
    const commandDeps: CommandDeps = { client, log: this.log, tokens: this.tokens };
    const agents = registerAgentTools({ extension: this.extension, client, log: this.log, tokens: this.tokens, ready, onDidChangeMap: this.mapChanged.event });
    this.disposables.push(
      ...registerCommands(commandDeps),
      ...agents.disposables,
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduleStatus()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('customerLens.endpoint')) void this.endpointsChanged();
      }),
      this.tokens.onDidChange(({ origin, token }) => {
        if (vscode.workspace.isTrusted) void client.sendNotification(DidChangeTokenNotification.type, { origin, token });
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart('the workspace is now trusted')),
    );
    this.scheduleStatus();
    const activationMs = Math.round((performance.now() - began) * 10) / 10;
    this.log.info(`activated trusted=${vscode.workspace.isTrusted} folders=${vscode.workspace.workspaceFolders?.length ?? 0} ms=${activationMs}`);

    const sidebar = this.sidebar;
    return {
      ready,
      started,
      activationMs,
      client,
      sidebar,
      statusBar: () => this.statusBar.current(),
      onDidUpdateStatusBar: this.statusBar.onDidUpdate,
      onDidChangeMap: this.mapChanged.event,
      onDidChangeContext: this.contextChanged.event,
      logUri: this.extension.logUri,
      storeToken: (origin, token) => storeToken(commandDeps, origin, token),
      clearToken: (origin) => clearToken(commandDeps, origin),
      agents: agents.api,
    };
  }

  private createClient(): LanguageClient {
    // The language server is the CLI's `lsp` command: one bundle for both (the client adds `--node-ipc`).
    const module = this.extension.asAbsolutePath('dist/cli/customerLens.js');
    const serverOptions: ServerOptions = {
      run: { module, args: ['lsp'], transport: TransportKind.ipc },
      debug: { module, args: ['lsp'], transport: TransportKind.ipc },
    };
    const clientOptions: LanguageClientOptions = {
      // Anchors can be in any file, so every file document goes to the server (the map files included).
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.log,
      traceOutputChannel: this.traceChannel,
      // Calm by default: errors are in the log, which never jumps into view by itself.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.errorHandler(),
      initializationOptions: () => this.initializationOptions(),
      markdown: { isTrusted: { enabledCommands: HOVER_COMMANDS }, supportHtml: false },
      diagnosticCollectionName: 'customer-lens',
      middleware: this.middleware(),
    };
    return new QuietLanguageClient('customerLens', 'Customer Lens', serverOptions, clientOptions);
  }

  /** Built at every (re)start: the trust state and tokens may have changed since the last one. */
  private initializationOptions(): InitializationOptions {
    const trusted = vscode.workspace.isTrusted;
    return {
      trusted,
      commandLinks: true,
      cacheDir: vscode.Uri.joinPath(this.extension.globalStorageUri, 'context-cache').fsPath,
      tokens: trusted ? this.tokens.snapshot(configuredOrigins()) : undefined,
    };
  }

  /**
   * A server that dies is started again, like vscode-languageclient's default handler does (up to 4 restarts in 3
   * minutes), but every restart is only logged: the default would raise a notification for connection errors and
   * for giving up. When the server keeps dying, the user gets one message, with a way to restart it.
   */
  private errorHandler(): ErrorHandler {
    return {
      error: (error, _message, count) => {
        const decision = this.restarts.error(count);
        this.log.warn(`language server connection error count=${count ?? 'unknown'} error=${error.message}${decision.shutdown ? ' action=stop' : ''}`);
        if (decision.notify) this.notifyStopped(decision.notify);
        return { action: decision.shutdown ? ErrorAction.Shutdown : ErrorAction.Continue, handled: true };
      },
      closed: () => {
        const decision = this.restarts.closed();
        if (decision.restart) {
          this.log.warn(`language server exited unexpectedly; restarting crashes=${decision.crashes} limit=${this.restarts.maxRestarts + 1} windowMinutes=${this.restarts.windowMs / 60_000}`);
        } else {
          this.log.error(`language server exited unexpectedly; not restarting crashes=${decision.crashes} windowMinutes=${this.restarts.windowMs / 60_000}`);
          if (decision.notify) this.notifyStopped(decision.notify);
        }
        return { action: decision.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private notifyStopped(message: string): void {
    const restart = 'Restart';
    const logs = 'Show Logs';
    void vscode.window.showWarningMessage(message, restart, logs).then((choice) => {
      if (choice === logs) this.log.show();
      if (choice !== restart) return;
      this.restarts.reset();
      void this.restart('requested after the server stopped');
    });
  }

  private middleware(): Middleware {
    const log = this.log;
    return {
      // A hover that fails is no hover: logged, never a popup.
      provideHover: async (document, position, token, next) => {
        try {
          const hover = await next(document, position, token);
          if (hover) markWalkthroughStep(WalkthroughKeys.hoverShown);
          return hover;
        } catch (error) {
          log.warn(`hover failed uri=${document.uri.toString()} error=${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      },
      workspace: {
        // Adds where the endpoint was set, so the server can apply Restricted Mode to a workspace-level endpoint.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value: unknown, index: number) => {
            const item = params.items[index];
            if (item?.section !== 'customerLens' || typeof value !== 'object' || value === null) return value;
            return { ...(value as object), ...endpointOrigin(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined, value as CustomerLensSettings) };
          });
        },
      },
    };
  }

  /** Resolves once every file workspace folder has reported its first map load. */
  private whenMapsLoaded(): Promise<void> {
    const pending = new Set((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.toString()));
    if (pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const subscription = this.mapChanged.event((params) => {
        pending.delete(vscode.Uri.parse(params.workspaceFolderUri, true).toString());
        if (pending.size > 0) return;
        subscription.dispose();
        resolve();
      });
      this.disposables.push(subscription);
    });
  }

  /** An endpoint setting changed: hand the server the tokens of the endpoints now configured. */
  private async endpointsChanged(): Promise<void> {
    const origins = configuredOrigins();
    await this.tokens.load(origins);
    if (!vscode.workspace.isTrusted || !this.client?.isRunning()) return;
    for (const origin of origins) {
      const token = this.tokens.get(origin);
      if (token) await this.client.sendNotification(DidChangeTokenNotification.type, { origin, token });
    }
  }

  private async restart(reason: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.log.info(`restarting the language server reason=${JSON.stringify(reason)}`);
    await this.tokens.load(configuredOrigins());
    try {
      if (client.isRunning()) await client.stop();
      await client.start();
    } catch (error) {
      this.log.error(`language server restart failed error=${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Updates the status bar for the active editor, coalescing bursts of events. */
  private scheduleStatus(): void {
    clearTimeout(this.statusTimer);
    this.statusTimer = setTimeout(() => void this.updateStatus(), 50);
  }

  private async updateStatus(): Promise<void> {
    const client = this.client;
    const document = vscode.window.activeTextEditor?.document;
    const generation = ++this.statusGeneration;
    if (!client?.isRunning() || !document || document.uri.scheme !== 'file') {
      this.statusBar.show(undefined);
      return;
    }
    try {
      const result = await client.sendRequest(FileContextRequest.type, { uri: document.uri.toString() });
      if (generation === this.statusGeneration) this.statusBar.show(result);
    } catch (error) {
      this.log.warn(`status bar update failed uri=${document.uri.toString()} error=${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stops the server (deactivate returns this). */
  stop(): Promise<void> {
    return this.client?.stop() ?? Promise.resolve();
  }

  dispose(): void {
    clearTimeout(this.statusTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/**
 * vscode-languageclient shows an error notification for some failures whatever `revealOutputChannelOn` says (a
 * restart attempt that fails, for one, which a server crashing at startup repeats several times). Here every such
 * error is logged only: the user hears from the extension itself, once, when it gives up (see `errorHandler`), or
 * from `activate` when the server cannot start at all.
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

/** Where `customerLens.endpoint` came from for this scope, and the user-level value Restricted Mode falls back to. */
function endpointOrigin(scope: vscode.Uri | undefined, value: CustomerLensSettings): Pick<CustomerLensSettings, 'endpointLevel' | 'userEndpoint'> {
  const inspected = vscode.workspace.getConfiguration('customerLens', scope).inspect<string>('endpoint');
  const effective = value.endpoint ?? '';
  const user = inspected?.globalValue;
  // A user-level value equal to the effective one is the user's own choice, whatever the workspace also says.
  const endpointLevel: CustomerLensSettings['endpointLevel'] =
    user !== undefined && user === effective
      ? 'user'
      : inspected?.workspaceFolderValue !== undefined && inspected.workspaceFolderValue === effective
        ? 'workspaceFolder'
        : inspected?.workspaceValue !== undefined && inspected.workspaceValue === effective
          ? 'workspace'
          : 'default';
  return { endpointLevel, userEndpoint: user };
}
