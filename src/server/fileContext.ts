// A file's features with their customer context, why it maps there, and how fresh the context is: the answer behind
// `customerLens/fileContext`, the CodeLens, the `file` hover mode and `customerLens/explain`.
import { mapFacts } from '../lens/featureBriefs';
import { featureHistoryInfo } from '../lens/featureHistory';
import type { ExplainResult, FileContextResult, FileFeature, MatchReason } from '../shared/lspProtocol';
import type { FeatureMatch } from '../shared/mapModel';
import { NO_CONTEXT, NO_MAP, settingsOf, type ServerContext } from './serverContext';
import { recentChangesOf } from './recentChanges';
import { pathToUri } from './uris';
import type { FolderState } from './workspaceState';

function reasonOf(match: { pattern: string; mapFile: string; line: number }): MatchReason {
  return { pattern: match.pattern, mapFileUri: pathToUri(match.mapFile), line: match.line };
}

/** Where a file stands in its folder's map, without context (no fetching). */
export function explainFile(ctx: ServerContext, uri: string): ExplainResult & { folder?: FolderState; matches: FeatureMatch[] } {
  const located = ctx.workspace.folderForUri(uri);
  if (!located) return { uri, features: [], ignored: false, map: NO_MAP, matches: [] };
  const { folder, absPath } = located;
  const path = folder.relative(absPath);
  const explanation = path === undefined ? undefined : folder.explain(path);
  const matches = explanation?.features ?? [];
  return {
    uri,
    path,
    folder,
    matches,
    map: folder.status(),
    ignored: explanation?.ignored ?? false,
    ignoredBy: explanation?.ignoredBy ? reasonOf(explanation.ignoredBy) : undefined,
    features: matches.map((m) => ({
      ...reasonOf(m),
      featureId: m.featureId,
      name: folder.map?.feature(m.featureId)?.name ?? m.featureId,
      primary: m.primary,
    })),
  };
}

/**
 * The file's features (primary first) with context. Cached context answers at once; missing context gets `budgetMs`,
 * after which the answer carries what is known (a `customerLens/didChangeContext` follows when the rest arrives).
 */
export async function fileContext(
  ctx: ServerContext,
  uri: string,
  options: { budgetMs?: number; signal?: AbortSignal; recentChanges?: boolean } = {},
): Promise<FileContextResult> {
  const explained = explainFile(ctx, uri);
  const folder = explained.folder;
  const base = { uri, path: explained.path, map: explained.map, ignored: explained.ignored, ignoredBy: explained.ignoredBy };
  if (!folder || !folder.map) return { ...base, features: [], freshness: NO_CONTEXT };
  const map = folder.map;
  const settings = await settingsOf(ctx, folder);
  const ids = explained.matches.map((m) => m.featureId);
  const lookup = await ctx.hub.lookup({ uri: folder.uri, contextFiles: map.contextFiles }, settings, ids, options);
  // History is what is known now (a read may be under way: a didChangeContext follows when it is done).
  const history = ctx.history.peek(folder);
  const features: FileFeature[] = [];
  for (const match of explained.matches) {
    const feature = map.feature(match.featureId);
    if (!feature) continue;
    const context = lookup.features[feature.id];
    const entry: FileFeature = { ...mapFacts(feature), primary: match.primary, why: reasonOf(match), context };
    if (history) entry.history = featureHistoryInfo(history, feature.id, context);
    features.push(entry);
  }
  // Only the sidebar shows "Your recent changes"; the CodeLens and hovers do not pay for it.
  const recentChanges = options.recentChanges ? await recentChangesOf(ctx, folder, settings, options) : undefined;
  return { ...base, features, freshness: lookup.freshness, ...(recentChanges ? { recentChanges } : {}) };
}
