// The agents' tools and instruction files, answered from the server's own maps and context hub: the VS Code
// extension's language-model tools forward here, so an agent in VS Code gets the same answers as one talking to
// `customer-lens mcp`, from what the editor has already loaded and cached.
import * as path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { runAgentTool, type AgentEnvironment } from '../agents/agentTools';
import { instructionFiles, INSTRUCTIONS_DIR, writeInstructionFiles } from '../agents/instructionFiles';
import type { LensFolder } from '../lens/lensFolder';
import { MAP_FILE_NAMES } from '../map/mapFile';
import type { AgentInstructionsParams, AgentInstructionsResult, AgentToolParams, AgentToolResult } from '../shared/lspProtocol';
import { errorText, settingsOf, type ServerContext } from './serverContext';
import { pathToUri, uriToPath } from './uris';
import type { FolderState } from './workspaceState';

/** Every workspace folder as the lens sees it: what `lensReport` and the agents' tools take in the server. */
export function lensFolders(ctx: ServerContext): LensFolder[] {
  return ctx.workspace.all().map((folder) => lensFolder(ctx, folder));
}

/** A workspace folder as the lens sees it. */
function lensFolder(ctx: ServerContext, folder: FolderState): LensFolder {
  const status = folder.status();
  const mapIssue =
    folder.map !== undefined
      ? undefined
      : status.state === 'invalid'
        ? `the map in ${folder.root} has ${status.errorCount} error${status.errorCount === 1 ? '' : 's'}; fix ${status.errorCount === 1 ? 'it' : 'them'} (see the Problems view)`
        : `no map file (${MAP_FILE_NAMES.join(', ')}) in ${folder.root}; create one with "Customer Lens: Create Map…" (or \`customer-lens init\`)`;
  return {
    root: folder.root,
    map: folder.map,
    mapIssue,
    mapNote: folder.usingLastGood ? 'the map has errors; answering from the last good map until they are fixed (see the Problems view)' : undefined,
    filesOf: (featureId) => folder.coverage?.filesByFeature.get(featureId),
    lookup: async (ids, options) => {
      const map = folder.map;
      return ctx.hub.lookup({ uri: folder.uri, contextFiles: map?.contextFiles ?? [] }, await settingsOf(ctx, folder), ids, options);
    },
  };
}

/** How long a tool waits for context that is not cached before it answers with what it has. */
const TOOL_WAIT_MS = 10_000;

/** `customerLens/agentTool`. */
export async function agentTool(ctx: ServerContext, params: AgentToolParams): Promise<AgentToolResult> {
  const started = Date.now();
  const env: AgentEnvironment = {
    folders: async () => lensFolders(ctx),
    hints: { endpointHint: 'the customerLens.endpoint setting' },
    waitMs: TOOL_WAIT_MS,
    now: ctx.now,
  };
  const answer = await runAgentTool(env, params.name, params.input);
  ctx.log.info(`agent tool name=${params.name} error=${answer.isError} chars=${answer.text.length} ms=${Date.now() - started}`);
  return answer;
}

/** `customerLens/writeAgentInstructions`. */
export async function writeAgentInstructions(ctx: ServerContext, params: AgentInstructionsParams): Promise<AgentInstructionsResult> {
  const root = uriToPath(params.workspaceFolderUri);
  const folder = root === undefined ? undefined : ctx.workspace.all().find((f) => f.root === path.resolve(root));
  if (!folder) throw new ResponseError(ErrorCodes.InvalidParams, `${params.workspaceFolderUri} is not a workspace folder`);
  if (!folder.map || folder.usingLastGood) {
    throw new ResponseError(ErrorCodes.InvalidRequest, folder.map ? `the map of ${folder.root} has errors; fix them first (see the Problems view)` : `there is no map in ${folder.root}; create one first`);
  }
  let outcome;
  try {
    outcome = await writeInstructionFiles(folder.root, instructionFiles(folder.map));
  } catch (error) {
    throw new ResponseError(ErrorCodes.InternalError, `cannot write ${path.join(folder.root, INSTRUCTIONS_DIR)}: ${errorText(error)}`);
  }
  const uri = (relative: string) => pathToUri(path.join(folder.root, ...relative.split('/')));
  ctx.log.info(`agent instructions root=${folder.root} written=${outcome.written.length} unchanged=${outcome.unchanged.length} removed=${outcome.removed.length} conflicts=${outcome.conflicts.length}`);
  return {
    folderUri: uri(INSTRUCTIONS_DIR),
    written: outcome.written.map(uri),
    unchanged: outcome.unchanged.map(uri),
    removed: outcome.removed.map(uri),
    conflicts: outcome.conflicts.map(uri),
  };
}
