/**
 * The custom LSP messages between the Customer Lens extension (client) and its language server, declared once.
 * Standard LSP (hover, CodeLens, diagnostics, completion, document links) needs nothing here. Any LSP client can use
 * these too; uris are LSP document uris (`file:///…`). No `vscode` import here.
 */
import { NotificationType, RequestType, RequestType0, type Range, type TextEdit } from 'vscode-languageserver-protocol';
import type { FeatureHistoryInfo, RecentChangesInfo } from './changeHistory';
import type { FeatureContext, Link, Problem, UsageMetric } from './contextProtocol';
import type { Freshness } from './contextModel';

/** How hover cards are triggered: on anchors only (default), anywhere in a mapped file, or never. */
export type HoverMode = 'anchors' | 'file' | 'off';

/**
 * `initializationOptions` of the Customer Lens language server. The same keys can come from
 * `workspace/configuration` section `customerLens` (editor settings win for everything but the token).
 */
export interface InitializationOptions {
  /** Base URL of a protocol v1 endpoint. Absent: the map's context file is used. */
  endpoint?: string;
  /**
   * Bearer token for `endpoint` (the one above, or the one configured in `workspace/configuration` when there is no
   * endpoint here). The VS Code extension sends `tokens` instead.
   */
  token?: string;
  /** Tokens by endpoint origin (`https://context.example.com`), from SecretStorage; a token is only sent to its origin. */
  tokens?: Record<string, string>;
  hover?: { mode?: HoverMode };
  /** Show the summary CodeLens (default true). Like the two below, also a setting of the `customerLens` section. */
  codeLens?: { enabled?: boolean };
  /** How long fetched context counts as fresh, in minutes (default 10). */
  cacheTtlMinutes?: number;
  /** Connect, headers and body timeout of each request to the endpoint, in milliseconds (default 5000). */
  requestTimeoutMs?: number;
  /** Folder for the disk cache of context. Absent: memory only. */
  cacheDir?: string;
  /** False in VS Code's Restricted Mode: a workspace-level endpoint is ignored and no token is sent. */
  trusted?: boolean;
  /** True when the client renders `command:` links in hover markdown; hover cards then link to the sidebar. */
  commandLinks?: boolean;
}

/**
 * The `customerLens` section as `workspace/configuration` answers it (the VS Code settings of the same names). All
 * optional: a standalone client may send any subset, and the server validates every field.
 */
export interface CustomerLensSettings {
  endpoint?: string;
  hover?: { mode?: HoverMode };
  codeLens?: { enabled?: boolean };
  cacheTtlMinutes?: number;
  requestTimeoutMs?: number;
  /**
   * Where `endpoint` was set (VS Code's `inspect()`), so the server can apply Restricted Mode: with `trusted: false`,
   * an endpoint from `workspace` or `workspaceFolder` settings is ignored.
   */
  endpointLevel?: 'default' | 'user' | 'workspace' | 'workspaceFolder';
  /** The endpoint of the user settings, if any: what Restricted Mode uses instead of a workspace-level one. */
  userEndpoint?: string;
}

/** Why a file belongs to a feature: the pattern, and where it is written. */
export interface MatchReason {
  pattern: string;
  mapFileUri: string;
  /** 1-based line of the pattern in the map file. */
  line: number;
}

/** One feature of a file, with its customer context when there is any. */
export interface FileFeature {
  id: string;
  name: string;
  description?: string;
  owners: string[];
  primary: boolean;
  why: MatchReason;
  symbols: string[];
  events: string[];
  /** Links from the map file. */
  links: Link[];
  /** Absent when the context source has no data for this feature. */
  context?: FeatureContext;
  /** When its code changed (git) and what its usage and problems did since; absent outside a repository's folder. */
  history?: FeatureHistoryInfo;
}

/** The state of the map for a workspace folder. */
export interface MapStatus {
  /** `none`: no map file; `ok`: a valid map is in force; `invalid`: the map has errors and there is no last good map. */
  state: 'none' | 'ok' | 'invalid';
  /** True when the map on disk or in the editor has errors and the last good map is in force instead. */
  usingLastGood: boolean;
  mapFileUris: string[];
  errorCount: number;
  workspaceFolderUri?: string;
}

/** Parameters naming one document. */
export interface UriParams {
  uri: string;
}

/** Everything Customer Lens knows about one file: its features (primary first) with context, and why. */
export interface FileContextResult {
  uri: string;
  map: MapStatus;
  /** Path relative to the workspace folder; absent when the file is outside every workspace folder. */
  path?: string;
  ignored: boolean;
  ignoredBy?: MatchReason;
  /** Empty when the file is not mapped. */
  features: FileFeature[];
  freshness: Freshness;
  /** The features the user changed in the folder lately, each with its before/after ("Your recent changes"). */
  recentChanges?: RecentChangesInfo;
}

/**
 * `customerLens/fileContext` (client → server): the active file's features with context and freshness. Answers from
 * the cache at once; a cold fetch gets a short budget, then the answer has what is known.
 */
export namespace FileContextRequest {
  export const method = 'customerLens/fileContext';
  export const type = new RequestType<UriParams, FileContextResult, void>(method);
}

/** A pattern of a feature with the number of files it matches. */
export interface PatternSummary {
  pattern: string;
  kind: 'path' | 'exclude';
  line: number;
  fileCount: number;
}

/** A feature as the Feature Map tree and the Explore view list it. */
export interface FeatureSummary {
  id: string;
  name: string;
  description?: string;
  owners: string[];
  workspaceFolderUri: string;
  mapFileUri: string;
  /** The feature's entry in the map file (0-based LSP range), for "Reveal in map". */
  range: Range;
  fileCount: number;
  patterns: PatternSummary[];
  /** Why it exists, from the context source (`summary`), when there is one. */
  summary?: string;
  /** The problem affecting the most customers, when there is context. */
  topProblem?: Problem;
  /** The first usage metric, when there is context. */
  usageHeadline?: UsageMetric;
  hasContext: boolean;
}

/** `customerLens/features` (client → server): every feature of every workspace folder's map. */
export namespace FeatureListRequest {
  export const method = 'customerLens/features';
  export const type = new RequestType0<FeatureSummary[], void>(method);
}

/** Parameters of `customerLens/featureContext`. */
export interface FeatureContextParams {
  featureId: string;
  /** The workspace folder whose map declares the feature. */
  workspaceFolderUri: string;
}

/** One feature's customer context by id, with the map's links and the freshness of the answer. */
export interface FeatureContextResult {
  /** Absent when the context source has no data for this feature. */
  context?: FeatureContext;
  /** Links from the map file. */
  links: Link[];
  freshness: Freshness;
}

/** `customerLens/featureContext` (client → server): a feature's context by id, whether or not any file maps to it. */
export namespace FeatureContextRequest {
  export const method = 'customerLens/featureContext';
  export const type = new RequestType<FeatureContextParams, FeatureContextResult, void>(method);
}

/** Parameters of `customerLens/featureFiles`. */
export interface FeatureFilesParams {
  featureId: string;
  /** Only the files this pattern of the feature matches (the pattern text as written). */
  pattern?: string;
}

/** `customerLens/featureFiles` (client → server): the files of a feature, or of one of its patterns, as uris. */
export namespace FeatureFilesRequest {
  export const method = 'customerLens/featureFiles';
  export const type = new RequestType<FeatureFilesParams, string[], void>(method);
}

/** Unmapped files of one folder. */
export interface UnmappedFolder {
  workspaceFolderUri: string;
  /** Folder relative to the workspace folder, `/`-separated; `""` for the root. */
  folder: string;
  fileUris: string[];
}

/** `customerLens/unmappedFiles` (client → server): files neither mapped nor ignored, grouped by folder. */
export namespace UnmappedFilesRequest {
  export const method = 'customerLens/unmappedFiles';
  export const type = new RequestType0<UnmappedFolder[], void>(method);
}

/** One feature in an explanation. */
export interface ExplainedFeature extends MatchReason {
  featureId: string;
  name: string;
  primary: boolean;
}

/** Why a file maps where it does. */
export interface ExplainResult {
  uri: string;
  path?: string;
  features: ExplainedFeature[];
  ignored: boolean;
  ignoredBy?: MatchReason;
  map: MapStatus;
}

/** `customerLens/explain` (client → server): why this file belongs to its features (or to none). */
export namespace ExplainRequest {
  export const method = 'customerLens/explain';
  export const type = new RequestType<UriParams, ExplainResult, void>(method);
}

/** Parameters of `customerLens/addToFeature`. */
export interface AddToFeatureParams {
  featureId: string;
  /** A file or folder to add; the server writes the pattern relative to the feature's map file folder. */
  targetUri: string;
  isFolder: boolean;
}

/** The edit that adds a pattern to a feature, preserving the map file's comments and formatting. */
export interface AddToFeatureResult {
  mapFileUri: string;
  pattern: string;
  edits: TextEdit[];
}

/** `customerLens/addToFeature` (client → server): computes the edit; the client applies and saves it. */
export namespace AddToFeatureRequest {
  export const method = 'customerLens/addToFeature';
  export const type = new RequestType<AddToFeatureParams, AddToFeatureResult, void>(method);
}

/** Parameters of `customerLens/createMap`. */
export interface CreateMapParams {
  workspaceFolderUri: string;
}

/** `customerLens/createMap` (client → server): writes a starter map (never overwrites one) and returns its uri. */
export namespace CreateMapRequest {
  export const method = 'customerLens/createMap';
  export const type = new RequestType<CreateMapParams, { mapFileUri: string; created: boolean }, void>(method);
}

/** `customerLens/refresh` (client → server): drops the context cache and refetches. */
export namespace RefreshRequest {
  export const method = 'customerLens/refresh';
  export const type = new RequestType0<void, void>(method);
}

/** Parameters of `customerLens/didChangeToken`. */
export interface DidChangeTokenParams {
  /** The new token; absent when cleared. */
  token?: string;
  /** The endpoint origin the token belongs to. Absent: the token of `initializationOptions` is replaced. */
  origin?: string;
}

/** `customerLens/didChangeToken` (client → server): the endpoint token was set or cleared in SecretStorage. */
export namespace DidChangeTokenNotification {
  export const method = 'customerLens/didChangeToken';
  export const type = new NotificationType<DidChangeTokenParams>(method);
}

/** Parameters of `customerLens/didChangeContext`. */
export interface DidChangeContextParams {
  /** Features whose context or freshness changed; empty means "possibly all". */
  featureIds: string[];
}

/** `customerLens/didChangeContext` (server → client): refresh what shows context (status bar, CodeLens, sidebar). */
export namespace DidChangeContextNotification {
  export const method = 'customerLens/didChangeContext';
  export const type = new NotificationType<DidChangeContextParams>(method);
}

/** `customerLens/didChangeMap` (server → client): a map file changed; refresh what shows the map. */
export namespace DidChangeMapNotification {
  export const method = 'customerLens/didChangeMap';
  export const type = new NotificationType<{ workspaceFolderUri: string }>(method);
}

/** Which language server process answers, and since when. */
export interface ServerInfoResult {
  /** The server's process id (for "Show Logs" reports and for tests that stop the process). */
  pid: number;
  /** When this process started, ISO 8601. */
  startedAt: string;
}

/** `customerLens/serverInfo` (client → server): the process behind the connection; it changes when the server restarts. */
export namespace ServerInfoRequest {
  export const method = 'customerLens/serverInfo';
  export const type = new RequestType0<ServerInfoResult, void>(method);
}

/** Parameters of `customerLens/agentTool`: a tool of the agents' set, by name, with what the model sent. */
export interface AgentToolParams {
  /** `customer_context`, `customer_impact` or `find_features`. */
  name: string;
  /** The tool's input as the language model wrote it; the server validates it. */
  input: unknown;
}

/** A tool's answer: compact text for the model, and whether it is an error the model should act on. */
export interface AgentToolResult {
  text: string;
  isError: boolean;
}

/**
 * `customerLens/agentTool` (client → server): runs one of the agents' tools on the server's maps and context, the
 * same tools `customer-lens mcp` serves. The VS Code extension forwards its language-model tools here.
 */
export namespace AgentToolRequest {
  export const method = 'customerLens/agentTool';
  export const type = new RequestType<AgentToolParams, AgentToolResult, void>(method);
}

/** Parameters of `customerLens/writeAgentInstructions`. */
export interface AgentInstructionsParams {
  workspaceFolderUri: string;
}

/** What writing the agent instruction files did; uris of files. */
export interface AgentInstructionsResult {
  /** The `.github/instructions` folder. */
  folderUri: string;
  written: string[];
  unchanged: string[];
  /** Generated files of features that left the map. */
  removed: string[];
  /** Files of the same name that were not generated: left alone. */
  conflicts: string[];
}

/**
 * `customerLens/writeAgentInstructions` (client → server): writes `.github/instructions/*.instructions.md` for a
 * folder's map (what `customer-lens instructions` writes). Fails when the folder has no valid map.
 */
export namespace AgentInstructionsRequest {
  export const method = 'customerLens/writeAgentInstructions';
  export const type = new RequestType<AgentInstructionsParams, AgentInstructionsResult, void>(method);
}

/** The customer impact of the working tree: what `customer-lens impact` prints, as markdown. */
export interface ImpactResult {
  /** The report, ready to read or to post on a pull request (starts with the hidden `<!-- customer-lens-impact -->`). */
  markdown: string;
  /** How the change was named, e.g. `origin/HEAD and the working tree`. */
  range: string;
  /** Changed files and touched features, for a message when there is nothing to show. */
  fileCount: number;
  featureCount: number;
}

/**
 * `customerLens/impact` (client → server): the features the working tree's changes touch (committed on the branch
 * since it left the remote's default branch, staged, unstaged and untracked), with their customers. Fails with a
 * message when no folder is in a git repository.
 */
export namespace ImpactRequest {
  export const method = 'customerLens/impact';
  export const type = new RequestType0<ImpactResult, void>(method);
}
