// Entry point of the language server bundle (dist/server/server.js). The extension forks it with IPC; any other
// editor runs it with `--stdio` (the transport is chosen from the command line by vscode-languageserver).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './languageServer';

const connection = createConnection(ProposedFeatures.all);
process.on('unhandledRejection', (reason) => {
  connection.console.error(`unhandled rejection error=${reason instanceof Error ? reason.message : String(reason)}`);
});
startLanguageServer(connection);
