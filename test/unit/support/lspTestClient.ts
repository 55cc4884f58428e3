// A minimal LSP client for the server tests: spawns the real language server (the server entry or the CLI's
// `lsp --stdio`) as a child process in plain Node and talks JSON-RPC with it over stdio. It answers the server's
// requests (workspace/configuration, registrations, refreshes) like an editor would and records what it is sent.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type Diagnostic,
  type InitializeResult,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { DidChangeContextNotification, DidChangeMapNotification } from '../../../src/shared/lspProtocol';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const STOREFRONT = path.join(REPO_ROOT, 'test', 'fixtures', 'storefront');

/** Copies a fixture workspace to a fresh temporary folder (tests may edit it). */
export function copyFixture(source = STOREFRONT): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-server-'));
  fs.cpSync(source, target, { recursive: true });
  return fs.realpathSync(target);
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  initializationOptions?: unknown;
  /** Answers `workspace/configuration` items; absent: the client says it cannot answer it. */
  configuration?: (item: { scopeUri?: string; section?: string }) => unknown;
  /** `server`: the server entry (src/server/main.ts); `cli`: `customer-lens lsp --stdio`; `dist`: the built CLI's. */
  entry?: 'server' | 'cli' | 'dist';
  /** Wait after `initialized` until every folder's map has loaded (default true). */
  waitForMaps?: boolean;
  clientName?: string;
  /** Whether the client offers `workspace/didChangeWatchedFiles` (default true, as VS Code does). */
  watchesFiles?: boolean;
  /** `textDocument.hover.contentFormat` (default markdown, then plaintext). */
  hoverFormats?: string[];
  /** Skip `initialize`: the test sends it (or not) itself. */
  uninitialized?: boolean;
  /** The server process's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

type Waiter = { test: () => boolean; resolve: () => void };

export class TestLspClient {
  readonly logs: string[] = [];
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly contextChanges: string[][] = [];
  readonly mapChanges: string[] = [];
  /** `window/showMessage` notifications, in order. */
  readonly messages: { type: number; message: string }[] = [];
  codeLensRefreshes = 0;
  /** The server's answer to `initialize` (its capabilities). */
  initializeResult!: InitializeResult;
  private readonly waiters: Waiter[] = [];
  private version = new Map<string, number>();

  private constructor(
    readonly connection: ProtocolConnection,
    private readonly child: ChildProcess,
    readonly stderr: string[],
  ) {}

  /** The server's process id. */
  get pid(): number {
    return this.child.pid!;
  }

  /** True while the server process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  static async start(options: StartOptions): Promise<TestLspClient> {
    const args =
      options.entry === 'dist'
        ? [path.join(REPO_ROOT, 'dist', 'cli', 'customerLens.js'), 'lsp', '--stdio']
        : options.entry === 'cli'
          ? ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli', 'customerLens.ts'), 'lsp', '--stdio']
          : ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'server', 'main.ts'), '--stdio'];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
    const stderr: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestLspClient(connection, child, stderr);
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
      client.poke();
    });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      client.poke();
    });
    connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      client.messages.push(params);
      client.poke();
    });
    connection.onNotification(DidChangeContextNotification.method, (params: { featureIds: string[] }) => {
      client.contextChanges.push(params.featureIds);
      client.poke();
    });
    connection.onNotification(DidChangeMapNotification.method, (params: { workspaceFolderUri: string }) => {
      client.mapChanges.push(params.workspaceFolderUri);
      client.poke();
    });
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => options.configuration?.(item) ?? null),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => {
      client.codeLensRefreshes++;
      client.poke();
      return null;
    });
    connection.listen();
    if (options.uninitialized) return client;

    await client.initialize(options);
    return client;
  }

  /** Sends `initialize` and `initialized` as an editor does, then waits until every folder's map has loaded. */
  async initialize(options: Pick<StartOptions, 'folders' | 'initializationOptions' | 'configuration' | 'clientName' | 'watchesFiles' | 'hoverFormats' | 'waitForMaps'>): Promise<void> {
    this.initializeResult = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      clientInfo: { name: options.clientName ?? 'customer-lens-tests' },
      rootUri: options.folders[0] ? uriOf(options.folders[0]) : null,
      workspaceFolders: options.folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: options.configuration !== undefined,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: options.watchesFiles ?? true },
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          hover: { contentFormat: options.hoverFormats ?? ['markdown', 'plaintext'] },
          codeLens: {},
          completion: { completionItem: { snippetSupport: false } },
          publishDiagnostics: {},
        },
      },
    });
    const loaded = options.folders.length;
    await this.connection.sendNotification('initialized', {});
    if (loaded > 0 && options.waitForMaps !== false) await this.until(() => new Set(this.mapChanges).size >= loaded, 'the maps to load');
  }

  private poke(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.test()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Resolves when `test` holds, re-checked on every message from the server; fails after `ms` naming `what`. */
  until(test: () => boolean, what: string, ms = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out waiting for ${what}; server log:\n${this.logs.slice(-20).join('\n')}\n${this.stderr.join('')}`));
      }, ms);
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  open(file: string, languageId = 'typescript'): string {
    const uri = uriOf(file);
    this.version.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text: fs.readFileSync(file, 'utf8') },
    });
    return uri;
  }

  /** Replaces the whole text of an open document (an unsaved edit). */
  change(file: string, text: string): void {
    const uri = uriOf(file);
    const version = (this.version.get(uri) ?? 1) + 1;
    this.version.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** The 0-based position of the `occurrence`-th `needle` in `file` (plus `offset` characters). */
  static positionOf(file: string, needle: string, offset = 0, occurrence = 1): { line: number; character: number } {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let seen = 0;
    for (const [line, text] of lines.entries()) {
      let from = 0;
      for (;;) {
        const index = text.indexOf(needle, from);
        if (index === -1) break;
        if (++seen === occurrence) return { line, character: index + offset };
        from = index + 1;
      }
    }
    throw new Error(`"${needle}" not found in ${file}`);
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    try {
      // A server stuck in a loop never answers; the kill below makes sure it goes.
      const answered = await Promise.race([
        this.connection.sendRequest('shutdown').then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref()),
      ]);
      if (answered) await this.connection.sendNotification('exit');
    } catch {
      // The server may be gone already; the kill below makes sure.
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => this.child.kill(), 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}
