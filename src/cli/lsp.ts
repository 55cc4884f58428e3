import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from '../server/languageServer';
import { parseCommandArgs, UsageError, type CliCommand } from './cliSupport';

const usage = `Usage: customer-lens lsp --stdio
       customer-lens lsp --node-ipc    (how the VS Code extension runs it)

Runs the Customer Lens language server on stdin/stdout, for any editor that speaks LSP (Neovim, Helix, Emacs…):
hover cards on feature symbols, event names and \`customer-lens: <feature>\` comment tags, a CodeLens per mapped file,
diagnostics and completion in .customer-lens.yml, and the customerLens/* requests.

Configure it with initializationOptions (all optional):
  {"endpoint": "https://context.example.com/api", "token": "…", "hover": {"mode": "anchors" | "file" | "off"},
   "codeLens": {"enabled": true}, "cacheTtlMinutes": 10, "requestTimeoutMs": 5000}
or with workspace/configuration section "customerLens" (the same keys; they win over initializationOptions, except
the token). With no endpoint, the context file named by the map (\`context:\`) is used. Give it the repository
root as its root folder; without one it finds each opened file's map from the file's folder.`;

export const lspCommand: CliCommand = {
  name: 'lsp',
  summary: 'Run the language server on stdio (for Neovim and other LSP editors)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      // vscode-languageclient adds `--clientProcessId=<pid>` when it forks the server.
      { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, clientProcessId: { type: 'string' } },
      true,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.stdio && !values['node-ipc']) throw new UsageError('--stdio is required: the server talks LSP on stdin/stdout');
    // stdout belongs to the protocol from here on: everything else goes through the connection's log. With
    // --node-ipc, vscode-languageserver finds the transport (the IPC channel of a forked process) on the command line.
    const connection = values['node-ipc'] ? createConnection(ProposedFeatures.all) : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
    process.on('unhandledRejection', (reason) => {
      connection.console.error(`unhandled rejection error=${reason instanceof Error ? reason.message : String(reason)}`);
    });
    startLanguageServer(connection);
    return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
  },
};
