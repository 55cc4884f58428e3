// Customer Lens for agents in VS Code: the agents' tools as language-model tools (declared in package.json's
// `languageModelTools`, answered by the language server, so agent mode gets exactly what `customer-lens mcp` gives),
// the MCP server offered to VS Code's MCP support where the running VS Code has it, and the command that writes the
// agent instruction files. `customerLens.agentTools.enabled` turns the tools and the MCP server off.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AGENT_TOOLS_SETTING, LANGUAGE_MODEL_TOOLS } from '../shared/agentToolNames';
import { AgentInstructionsRequest, AgentToolRequest } from '../shared/lspProtocol';
import { effectiveEndpoint, originOf, type TokenVault } from './tokens';

export const WRITE_INSTRUCTIONS_COMMAND = 'customerLens.writeAgentInstructions';
const MCP_PROVIDER_ID = 'customerLens.mcpServers';

function enabled(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(AGENT_TOOLS_SETTING, true);
}

/** "src/a.ts, src/b.ts and 3 more" for the progress message. */
function describePaths(input: unknown): string | undefined {
  const paths = typeof input === 'object' && input !== null ? (input as { paths?: unknown }).paths : undefined;
  if (!Array.isArray(paths) || paths.length === 0) return undefined;
  const names = paths.filter((p): p is string => typeof p === 'string').slice(0, 2).map((p) => vscode.workspace.asRelativePath(p));
  return paths.length > 2 ? `${names.join(', ')} and ${paths.length - 2} more` : names.join(', ');
}

function invocationMessage(tool: string, input: unknown): string {
  const paths = describePaths(input);
  switch (tool) {
    case 'customer_context':
      return paths ? `Reading customer context for ${paths}` : 'Reading customer context';
    case 'customer_impact':
      return 'Weighing the change against customer problems';
    default:
      return 'Looking up product features';
  }
}

/** What an MCP stdio server definition holds (VS Code 1.101+), declared here because engines.vscode is older. */
interface McpStdioDefinition {
  label: string;
  command: string;
  args: readonly string[];
  env: Record<string, string | number | null>;
  version?: string;
  cwd?: vscode.Uri;
}

interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<McpStdioDefinition[]>;
      resolveMcpServerDefinition?(server: McpStdioDefinition, token: vscode.CancellationToken): vscode.ProviderResult<McpStdioDefinition>;
    },
  ): vscode.Disposable;
}

type McpStdioDefinitionClass = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioDefinition;

/** What the agents' part of the extension shows the integration tests. */
export interface AgentsApi {
  /** The MCP server definitions VS Code would start (resolved, so with the token when one applies); undefined when this VS Code has no MCP API. */
  mcpServerDefinitions(): Promise<McpStdioDefinition[]> | undefined;
}

export interface AgentDeps {
  extension: vscode.ExtensionContext;
  client: LanguageClient;
  log: vscode.LogOutputChannel;
  tokens: TokenVault;
  /** Resolves once every folder's map has loaded: tools answer from the maps, not from an empty workspace. */
  ready: Promise<void>;
  /** Fires when a map was reloaded (folders may have gained or lost one). */
  onDidChangeMap: vscode.Event<unknown>;
}

/** Registers the tools, the MCP server definitions and the instructions command; returns their disposables. */
export function registerAgentTools(deps: AgentDeps): { disposables: vscode.Disposable[]; api: AgentsApi } {
  const disposables: vscode.Disposable[] = [];
  const { client, log } = deps;

  if (typeof vscode.lm?.registerTool === 'function') {
    for (const { name, tool } of LANGUAGE_MODEL_TOOLS) {
      disposables.push(
        vscode.lm.registerTool(name, {
          prepareInvocation: (options) => ({ invocationMessage: invocationMessage(tool, options.input) }),
          invoke: async (options, token) => {
            if (!enabled()) throw new Error('The Customer Lens tools are turned off (setting customerLens.agentTools.enabled).');
            await Promise.race([deps.ready, new Promise((resolve) => setTimeout(resolve, 10_000))]);
            const result = await client.sendRequest(AgentToolRequest.type, { name: tool, input: options.input }, token);
            log.info(`language model tool name=${name} error=${result.isError} chars=${result.text.length}`);
            // A thrown error is how a tool tells the model what went wrong; the text says what to do about it.
            if (result.isError) throw new Error(result.text);
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.text)]);
          },
        }),
      );
    }
  } else {
    log.info('language model tools not registered: this VS Code has no vscode.lm.registerTool');
  }

  disposables.push(
    vscode.commands.registerCommand(WRITE_INSTRUCTIONS_COMMAND, async () => {
      try {
        await writeInstructions(client, log);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        log.error(`write agent instructions failed error=${text}`);
        void vscode.window.showErrorMessage(`Customer Lens: could not write the agent instructions: ${text}`);
      }
    }),
  );

  const mcp = registerMcpServers(deps, disposables);
  return { disposables, api: { mcpServerDefinitions: () => mcp?.() } };
}

async function writeInstructions(client: LanguageClient, log: vscode.LogOutputChannel): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showWarningMessage('Customer Lens: open the folder that holds the map (.customer-lens.yml) first.');
    return;
  }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Write agent instructions for which folder?' });
  if (!folder) return;
  const result = await client.sendRequest(AgentInstructionsRequest.type, { workspaceFolderUri: folder.uri.toString() });
  log.info(`agent instructions written=${result.written.length} unchanged=${result.unchanged.length} removed=${result.removed.length} conflicts=${result.conflicts.length}`);
  const parts = [`${result.written.length} written`, `${result.unchanged.length} unchanged`];
  if (result.removed.length > 0) parts.push(`${result.removed.length} removed`);
  const conflicts = result.conflicts.length > 0 ? ` ${result.conflicts.length} file${result.conflicts.length === 1 ? ' was' : 's were'} left alone: not written by Customer Lens.` : '';
  const reveal = 'Reveal in Explorer';
  const choice = await vscode.window.showInformationMessage(`Customer Lens: agent instructions in .github/instructions (${parts.join(', ')}).${conflicts} Commit them so every agent sees them.`, reveal);
  if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(result.folderUri, true));
}

/**
 * Offers `customer-lens mcp` for each workspace folder holding a map, through VS Code's MCP server definition API
 * (1.101+; feature-detected). The server runs the extension's own CLI bundle with the editor's endpoint and disk
 * cache; the token is added only when VS Code is about to start it, never stored in a definition, and never in
 * Restricted Mode, where only an endpoint from the user settings counts.
 */
function registerMcpServers(deps: AgentDeps, disposables: vscode.Disposable[]): (() => Promise<McpStdioDefinition[]>) | undefined {
  const lm = vscode.lm as unknown as Partial<McpApi> | undefined;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioDefinitionClass }).McpStdioServerDefinition;
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') {
    deps.log.info('MCP server definitions not offered: this VS Code has no MCP server definition API');
    return undefined;
  }
  const changed = new vscode.EventEmitter<void>();
  const fire = () => changed.fire();
  // A map reload (every pause in typing in a map file) rarely changes which folders have a map: tell VS Code only
  // when the definitions differ, checked once the reloads have settled.
  let lastSignature: string | undefined;
  let mapTimer: NodeJS.Timeout | undefined;
  const signature = (definitions: readonly McpStdioDefinition[]) => JSON.stringify(definitions.map((d) => [d.label, d.args, d.env]));
  const mapChanged = () => {
    clearTimeout(mapTimer);
    mapTimer = setTimeout(() => {
      void provide().then(
        (definitions) => {
          if (signature(definitions) !== lastSignature) fire();
        },
        (error: unknown) => deps.log.warn(`MCP server definitions check failed error=${error instanceof Error ? error.message : String(error)}`),
      );
    }, 2000);
  };
  disposables.push(
    changed,
    { dispose: () => clearTimeout(mapTimer) },
    deps.onDidChangeMap(mapChanged),
    vscode.workspace.onDidChangeWorkspaceFolders(fire),
    vscode.workspace.onDidGrantWorkspaceTrust(fire),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('customerLens.endpoint') || event.affectsConfiguration(AGENT_TOOLS_SETTING)) fire();
    }),
  );
  const cli = deps.extension.asAbsolutePath('dist/cli/customerLens.js');
  const cacheDir = vscode.Uri.joinPath(deps.extension.globalStorageUri, 'context-cache').fsPath;
  const version = String((deps.extension.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const roots = new Map<string, vscode.Uri>();

  const provide = async (): Promise<McpStdioDefinition[]> => {
    if (!enabled()) return [];
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const mapped: vscode.WorkspaceFolder[] = [];
    for (const folder of folders) {
      const maps = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.customer-lens.{yml,yaml,json}'), '**/node_modules/**', 1);
      if (maps.length > 0) mapped.push(folder);
    }
    return mapped.map((folder) => {
      const endpoint = effectiveEndpoint(folder.uri);
      const label = mapped.length === 1 ? 'Customer Lens' : `Customer Lens: ${folder.name}`;
      const definition = new Definition(label, process.execPath, [cli, 'mcp', '--root', folder.uri.fsPath, '--cache-dir', cacheDir], {
        // In desktop VS Code the extension host's executable is Electron: this makes it run the script as Node.
        ELECTRON_RUN_AS_NODE: '1',
        CUSTOMER_LENS_ENDPOINT: endpoint ?? null,
        CUSTOMER_LENS_TOKEN: null,
      }, version);
      definition.cwd = folder.uri;
      roots.set(label, folder.uri);
      return definition;
    });
  };
  const provideAndRemember = async (): Promise<McpStdioDefinition[]> => {
    const definitions = await provide();
    lastSignature = signature(definitions);
    return definitions;
  };

  const resolve = async (server: McpStdioDefinition): Promise<McpStdioDefinition> => {
    const root = roots.get(server.label);
    const endpoint = root ? effectiveEndpoint(root) : undefined;
    const origin = endpoint ? originOf(endpoint) : undefined;
    if (!vscode.workspace.isTrusted || !origin) return server;
    await deps.tokens.load([origin]);
    const token = deps.tokens.get(origin);
    if (token) server.env = { ...server.env, CUSTOMER_LENS_TOKEN: token };
    return server;
  };

  disposables.push(
    lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => provideAndRemember(),
      resolveMcpServerDefinition: (server) => resolve(server),
    }),
  );
  deps.log.info(`MCP server definitions offered provider=${MCP_PROVIDER_ID}`);
  return async () => Promise.all((await provide()).map(resolve));
}
