// The commands the server itself runs through `workspace/executeCommand`: one table, advertised as
// `executeCommandProvider.commands`. Anything the server puts on a CodeLens or a code action is either in this table
// or a client command that only a client declaring it (the VS Code extension) is sent. Add a command here, never a
// second executeCommand handler.
import { z } from 'zod';
import { ErrorCodes, MessageType, ResponseError, type Command, type ExecuteCommandParams } from 'vscode-languageserver/node';
import { explainFile } from './fileContext';
import { OPEN_SIDEBAR_COMMAND, renderFeatureCard, type CardReason } from './hoverCard';
import { markdownToPlainText } from './plainText';
import { parseParams } from './requestGuard';
import { displayPath, settingsOf, VIEW_BUDGET_MS, type ServerContext } from './serverContext';

/** What a command may do in the editor besides answering. */
export interface CommandHost {
  showMessage(type: MessageType, message: string): void;
}

interface ServerCommand {
  id: string;
  /** Runs the command with `ExecuteCommandParams.arguments` (parsed by the command: they are untrusted). */
  run(ctx: ServerContext, args: unknown[], host: CommandHost): Promise<unknown>;
}

/** A command whose arguments are parsed with `schema` first (a mismatch is -32602 naming the argument). */
function defineCommand<A extends unknown[]>(id: string, schema: z.ZodType<A>, run: (ctx: ServerContext, args: A, host: CommandHost) => Promise<unknown>): ServerCommand {
  return { id, run: (ctx, args, host) => run(ctx, parseParams(`${id} arguments`, schema, args), host) };
}

/**
 * `customerLens.server.showFeature` `[{uri, featureId}]`: shows the feature's card (problems, a quote, usage, links,
 * why the file maps there) as a message. It is what the CodeLens runs in editors without the sidebar.
 */
export const SHOW_FEATURE_COMMAND = 'customerLens.server.showFeature';

const showFeature = defineCommand(
  SHOW_FEATURE_COMMAND,
  z.tuple([z.looseObject({ uri: z.string().min(1), featureId: z.string().min(1) })]).rest(z.unknown()),
  async (ctx, [{ uri, featureId }], host) => {
    const text = await featureCardText(ctx, uri, featureId);
    host.showMessage(MessageType.Info, text);
    return text;
  },
);

/** Every command the server runs. Their ids must never be those of the extension's own commands (package.json). */
export const SERVER_COMMANDS: readonly ServerCommand[] = [showFeature];

/** `workspace/executeCommand`. */
export async function executeCommand(ctx: ServerContext, params: ExecuteCommandParams, host: CommandHost): Promise<unknown> {
  const command = SERVER_COMMANDS.find((c) => c.id === params.command);
  if (!command) {
    throw new ResponseError(ErrorCodes.InvalidParams, `unknown command "${params.command}"; this server runs ${SERVER_COMMANDS.map((c) => c.id).join(', ')}`);
  }
  ctx.log.info(`executeCommand command=${command.id}`);
  return command.run(ctx, params.arguments ?? [], host);
}

/**
 * The command a CodeLens carries, for this client: "open the sidebar" where the client has the sidebar (it says so
 * with `initializationOptions.commandLinks`), otherwise the server's own command that shows the same feature.
 */
export function lensCommandFor(command: Command | undefined, clientHasSidebar: boolean): Command | undefined {
  if (!command || clientHasSidebar || command.command !== OPEN_SIDEBAR_COMMAND) return command;
  return { ...command, command: SHOW_FEATURE_COMMAND };
}

/** The feature's hover card as plain text: the same card, read for a message instead of a hover. */
async function featureCardText(ctx: ServerContext, uri: string, featureId: string): Promise<string> {
  const explained = explainFile(ctx, uri);
  const folder = explained.folder;
  const feature = folder?.map?.feature(featureId);
  if (!folder?.map || !feature) {
    throw new ResponseError(ErrorCodes.InvalidParams, `there is no feature "${featureId}" in the map that covers ${uri}`);
  }
  const match = explained.matches.find((m) => m.featureId === featureId);
  const reason: CardReason = match
    ? { kind: 'file', pattern: match.pattern, mapFile: displayPath(folder, match.mapFile), line: match.line }
    : { kind: 'file', pattern: feature.paths[0]?.pattern ?? feature.id, mapFile: displayPath(folder, feature.mapFile), line: feature.range.start.line };
  const settings = await settingsOf(ctx, folder);
  const lookup = await ctx.hub.lookup({ uri: folder.uri, contextFiles: folder.map.contextFiles }, settings, [feature.id], { budgetMs: VIEW_BUDGET_MS });
  const markdown = renderFeatureCard({
    feature,
    context: lookup.features[feature.id],
    freshness: lookup.freshness,
    reason,
    now: ctx.now(),
    sidebarLink: false,
  });
  return markdownToPlainText(markdown);
}
