// `customer-lens mcp`: the agent tools (customer_context, customer_impact, find_features) over MCP on stdio, for any
// MCP client (Claude Code, VS Code, Cursor…). The workspace is loaded once and kept warm; the map is reread when its
// files change. A workspace without a usable map still starts: each tool call answers with what to do.
import { LensError, LensWorkspace } from '../lens/lensWorkspace';
import type { LensFolder } from '../lens/lensFolder';
import { serveMcpOnStdio } from '../agents/mcpServer';
import type { AgentEnvironment } from '../agents/agentTools';
import { parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { commandLogger, ENDPOINT_HINT, lensOptions, lensOptionsUsage, workspaceOptions } from './lensSupport';
import { cliVersion } from './version';

const usage = `Usage: customer-lens mcp [options]

Runs an MCP server on stdin/stdout (logs go to stderr) with three read-only tools:
  customer_context   paths and/or feature ids → each feature's purpose, owners, top customer problems,
                     quotes and usage, and why each path maps there
  customer_impact    a unified diff or changed paths → the features touched, the most at stake first
  find_features      words → matching features with ids, purpose and paths
Every answer fits a token budget the caller can lower (maxTokens). Only feature ids leave the machine, to the
endpoint; answers name companies and segments, never the people quoted.

Options:
${lensOptionsUsage}

Claude Code:  claude mcp add customer-lens -- customer-lens mcp --root /path/to/repo`;

/** A folder that could not be opened (no map yet, or only a broken one): every tool call says what to do. */
function unopened(root: string, issue: string): LensFolder {
  return {
    root,
    map: undefined,
    mapIssue: issue,
    lookup: async () => ({ features: {}, freshness: { state: 'none', source: 'none' } }),
  };
}

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'Serve customer context to AI agents over MCP (stdio)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, lensOptions);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    // stdout is the protocol's from here on: every line meant for people goes to stderr.
    const log = commandLogger(io.err, { info: true, warn: true, error: true });
    const options = workspaceOptions(io, values, 'serve', log);
    let workspace: LensWorkspace | undefined;
    let opening: Promise<LensWorkspace | LensFolder> | undefined;
    const open = async (): Promise<LensWorkspace | LensFolder> => {
      try {
        workspace = await LensWorkspace.open(options);
        return workspace;
      } catch (error) {
        if (!(error instanceof LensError)) throw error;
        log.warn(`workspace not ready root=${options.root} reason=${error.message}`);
        return unopened(options.root, error.message);
      }
    };
    const env: AgentEnvironment = {
      async folders() {
        if (workspace) {
          await workspace.sync();
          return [workspace];
        }
        // Until a map exists, every call looks again: the user may have just run `customer-lens init`.
        opening ??= open().finally(() => (opening = undefined));
        return [await opening];
      },
      hints: { endpointHint: `${ENDPOINT_HINT} in the MCP server's configuration` },
      waitMs: 10_000,
      now: Date.now,
    };
    await open();
    log.info(`mcp server ready root=${options.root} endpoint=${options.endpoint ? 'set' : 'none'} token=${options.token ? 'set' : 'none'} cache=${options.cacheDir ?? 'memory'}`);
    const handle = serveMcpOnStdio(env, cliVersion(), (error) => log.error(`mcp ${error.message}`));

    await new Promise<void>((resolve) => {
      const stop = (reason: string) => {
        process.stdin.off('end', onEnd);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        log.info(`mcp server stopping reason=${reason}`);
        void Promise.allSettled([handle.close(), workspace?.dispose()]).then(() => resolve());
      };
      const onEnd = () => stop('stdin closed');
      const onSignal = (signal: NodeJS.Signals) => stop(signal);
      process.stdin.once('end', onEnd);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    });
    return 0;
  },
};
