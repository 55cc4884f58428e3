// The language server alone, run from the sources by the server tests (the transport is chosen from the command line
// by vscode-languageserver). What ships is the CLI's `lsp` command (dist/cli/customerLens.js), which the extension
// forks with IPC and other editors run with `--stdio`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './languageServer';

const connection = createConnection(ProposedFeatures.all);
process.on('unhandledRejection', (reason) => {
  connection.console.error(`unhandled rejection error=${reason instanceof Error ? reason.message : String(reason)}`);
});
startLanguageServer(connection);
