// The tools Customer Lens offers agents, defined once: their names, descriptions and input schemas (zod, the source
// of the JSON Schema both the MCP server and package.json's languageModelTools advertise), and what running one
// does. `customer-lens mcp` serves them over MCP; the language server runs them for VS Code's language-model tools.
// Read-only: no tool writes anything or sends anything but feature ids to the context source.
import { z } from 'zod';
import { pathsOfDiff } from '../lens/diffPaths';
import { lensReport } from '../lens/featureBriefs';
import { findFeatures, queryWords } from '../lens/findFeatures';
import { describeFreshness, type FreshnessHints } from '../lens/freshnessText';
import type { LensFolder } from '../lens/lensFolder';
import { renderContextAnswer, renderFindAnswer, renderImpactAnswer, type AnswerFormat } from './agentAnswers';
import { DEFAULT_MAX_TOKENS, MIN_MAX_TOKENS } from './tokenBudget';

/** The most paths one call may ask about. */
export const MAX_PATHS = 500;
/** The largest diff one call may carry (characters). */
export const MAX_DIFF_CHARS = 2_000_000;

const maxTokens = z
  .number()
  .int('maxTokens must be a whole number')
  .min(MIN_MAX_TOKENS, `maxTokens must be at least ${MIN_MAX_TOKENS}`)
  .max(DEFAULT_MAX_TOKENS, `maxTokens can lower the budget, not raise it: at most ${DEFAULT_MAX_TOKENS}`)
  .optional()
  .describe(`Upper bound on the size of the answer, in tokens (estimated). Default and most: ${DEFAULT_MAX_TOKENS}. Lower it to keep your context small; details and then whole features are left out to fit.`);

const format = z
  .enum(['text', 'json'], { error: 'format must be "text" or "json"' })
  .optional()
  .describe('"text" (default): compact lines for reading. "json": the same answer as one JSON object.');

const pathList = z
  .array(z.string().min(1, 'a path must not be empty').max(4096, 'a path is at most 4096 characters'), { error: 'paths must be an array of strings' })
  .max(MAX_PATHS, `at most ${MAX_PATHS} paths per call`);

/** `customer_context` input. */
export const customerContextInput = z.strictObject({
  paths: pathList
    .optional()
    .describe('Files or folders you are about to read or change: relative to the workspace root, or absolute. A folder ends with "/".'),
  featureIds: z
    .array(z.string().min(1, 'a feature id must not be empty').max(128, 'a feature id is at most 128 characters'), { error: 'featureIds must be an array of strings' })
    .max(50, 'at most 50 feature ids per call')
    .optional()
    .describe('Feature ids from the map (find_features lists them), for context on a feature as a whole.'),
  maxTokens,
  format,
});

/** `customer_impact` input. */
export const customerImpactInput = z.strictObject({
  diff: z
    .string()
    .max(MAX_DIFF_CHARS, `the diff is larger than ${MAX_DIFF_CHARS} characters; pass the changed paths instead`)
    .optional()
    .describe('A unified diff (the output of `git diff` or `git show`); the files it touches are the change.'),
  paths: pathList.optional().describe('The changed files, instead of (or besides) a diff: relative to the workspace root, or absolute.'),
  maxTokens,
  format,
});

/** `find_features` input. */
export const findFeaturesInput = z.strictObject({
  query: z
    .string({ error: 'query must be a string of words' })
    .max(200, 'query is at most 200 characters')
    .describe('Words about what you are looking for: a product area, a symbol, an event, an owner, a customer problem. Empty: list every feature.'),
  limit: z.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(50, 'limit is at most 50').optional().describe('Most features to return (default 10).'),
  maxTokens,
  format,
});

/** The answer of a tool: text for the model, and whether it is an error the model should act on. */
export interface ToolAnswer {
  text: string;
  isError: boolean;
}

/** What a tool runs against: the workspace folders, and how to speak about the context source where it runs. */
export interface AgentEnvironment {
  /** The folders to answer from; a serving workspace rereads a changed map here. */
  folders(): Promise<readonly LensFolder[]>;
  hints: FreshnessHints;
  /** How long to wait for context that is not cached. */
  waitMs: number;
  now(): number;
}

/** One tool: how it is named and described, what it takes, what it does. */
export interface AgentTool<Schema extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Schema;
  run(env: AgentEnvironment, input: z.infer<Schema>): Promise<ToolAnswer>;
}

function error(text: string): ToolAnswer {
  return { text, isError: true };
}

/** Folders with a map, or the error that says why there is none. */
function mappedFolders(folders: readonly LensFolder[]): { folders: LensFolder[] } | { error: ToolAnswer } {
  const mapped = folders.filter((f) => f.map);
  if (mapped.length > 0) return { folders: mapped };
  if (folders.length === 0) return { error: error('No workspace folder is open: open the folder that holds the code (and its .customer-lens.yml).') };
  const issues = folders.map((f) => f.mapIssue ?? `no map in ${f.root}`);
  return { error: error(`No map here: ${issues.join('; ')}.`) };
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** "no feature "chekout" in the map (did you mean checkout?)". */
function unknownIdsText(ids: readonly string[], folders: readonly LensFolder[]): string {
  const known = folders.flatMap((f) => f.map?.features.map((feature) => feature.id) ?? []);
  const parts = ids.map((id) => {
    const close = known
      .map((k) => ({ k, d: levenshtein(id.toLowerCase(), k.toLowerCase()) }))
      .filter((c) => c.d <= Math.max(2, Math.floor(id.length / 3)))
      .sort((a, b) => a.d - b.d)[0];
    return close ? `"${id}" (did you mean ${close.k}?)` : `"${id}"`;
  });
  return `no feature ${parts.join(', ')} in the map; the map declares: ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', …' : ''}`;
}

function formatOf(value: AnswerFormat | undefined): AnswerFormat {
  return value ?? 'text';
}

export const customerContextTool: AgentTool<typeof customerContextInput> = {
  name: 'customer_context',
  title: 'Customer context',
  description:
    'Who uses the code at these paths and what hurts them. For each file or folder: the product feature it belongs to (and which line of the map says so); for each feature: its purpose, owners, top open customer problems (customers, ARR, severity, trend, link), a quote or two, and its usage with the latest change. Call it before changing code, with the paths you will touch, to weigh the change against what customers are reporting.',
  inputSchema: customerContextInput,
  async run(env, input) {
    const paths = input.paths ?? [];
    const ids = input.featureIds ?? [];
    if (paths.length === 0 && ids.length === 0) return error('Give "paths" (the files or folders you are about to change) and/or "featureIds" (from find_features).');
    const found = mappedFolders(await env.folders());
    if ('error' in found) return found.error;
    const report = await lensReport(found.folders, { paths, featureIds: ids }, { waitMs: env.waitMs });
    if (report.features.length === 0 && paths.length === 0) return error(`Nothing to show: ${unknownIdsText(report.unknownFeatureIds, found.folders)}.`);
    if (report.unknownFeatureIds.length > 0) report.notes.push(unknownIdsText(report.unknownFeatureIds, found.folders));
    const source = describeFreshness(report.freshness, env.now(), env.hints);
    return { text: renderContextAnswer(report, { maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS, format: formatOf(input.format), source }), isError: false };
  },
};

export const customerImpactTool: AgentTool<typeof customerImpactInput> = {
  name: 'customer_impact',
  title: 'Customer impact of a change',
  description:
    'What a change puts at stake for customers. Give a unified diff (git diff) or the changed paths; the answer lists the product features the change touches, the ones with the most customers hurting first: open problems (customers, ARR), owners, usage, a quote, and which changed files fall in each. Paths in no feature are listed too. Use it before proposing or reviewing a change.',
  inputSchema: customerImpactInput,
  async run(env, input) {
    const fromDiff = input.diff !== undefined ? pathsOfDiff(input.diff) : [];
    if (input.diff !== undefined && input.diff.trim() !== '' && fromDiff.length === 0 && (input.paths ?? []).length === 0) {
      return error('The diff names no file: pass a unified diff (the output of `git diff`, with its "diff --git" or "---"/"+++" lines), or the changed "paths".');
    }
    const paths = [...new Set([...fromDiff, ...(input.paths ?? [])])];
    if (paths.length === 0) return error('Give "diff" (the output of `git diff`) or "paths" (the changed files).');
    if (paths.length > MAX_PATHS) return error(`The change touches ${paths.length} paths; at most ${MAX_PATHS} per call: split it, or pass the paths of one area at a time.`);
    const found = mappedFolders(await env.folders());
    if ('error' in found) return found.error;
    const report = await lensReport(found.folders, { paths }, { waitMs: env.waitMs });
    const source = describeFreshness(report.freshness, env.now(), env.hints);
    return { text: renderImpactAnswer(report, { maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS, format: formatOf(input.format), source }), isError: false };
  },
};

export const findFeaturesTool: AgentTool<typeof findFeaturesInput> = {
  name: 'find_features',
  title: 'Find product features',
  description:
    'Finds the product features of this codebase by words (a product area, a symbol, an event name, an owner, a customer problem): their ids, purpose, owners, the paths they cover and their top customer problem. An empty query lists every feature. Use it to learn what a codebase is for, or to find the feature ids customer_context takes.',
  inputSchema: findFeaturesInput,
  async run(env, input) {
    const found = mappedFolders(await env.folders());
    if ('error' in found) return found.error;
    if (input.query.trim() !== '' && queryWords(input.query).length === 0) return error('The query has no words to look for: use letters or digits, or an empty query to list every feature.');
    const result = await findFeatures(found.folders, input.query, { limit: input.limit ?? 10, budgetMs: env.waitMs });
    const source = describeFreshness(result.freshness, env.now(), env.hints);
    return { text: renderFindAnswer(result, { maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS, format: formatOf(input.format), source }), isError: false };
  },
};

/** Every tool, in the order they are listed. */
export const agentTools: readonly AgentTool[] = [customerContextTool, customerImpactTool, findFeaturesTool] as unknown as readonly AgentTool[];

/** `field: message` for each issue, as the MCP SDK words its own validation errors. */
function issuesText(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message)).join(', ');
}

/**
 * Runs a tool by name with untrusted input (what a language model sent): the input is validated first, and every
 * failure is an answer the model can act on, never an exception.
 */
export async function runAgentTool(env: AgentEnvironment, name: string, input: unknown): Promise<ToolAnswer> {
  const tool = agentTools.find((t) => t.name === name);
  if (!tool) return error(`There is no tool "${name}"; the tools are ${agentTools.map((t) => t.name).join(', ')}.`);
  const parsed = tool.inputSchema.safeParse(input ?? {});
  if (!parsed.success) return error(`Invalid arguments for tool ${name}: ${issuesText(parsed.error)}`);
  try {
    return await tool.run(env, parsed.data);
  } catch (cause) {
    return error(`${name} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
