// Hover cards in code: on an anchor (a feature symbol, an event string, a `customer-lens:` tag) anywhere in the
// workspace, or with `customerLens.hover.mode: file` anywhere in a mapped file. A hover never fails loudly: any error
// is logged and the answer is no hover.
import * as fs from 'node:fs';
import { MarkupKind, type CancellationToken, type Hover, type HoverParams } from 'vscode-languageserver/node';
import type { MapFeature, WorkspaceMap } from '../shared/mapModel';
import { featureHistoryInfo } from '../lens/featureHistory';
import { anchorCandidates, resolveAnchor } from './anchors';
import { explainFile } from './fileContext';
import { renderFeatureCard, type CardReason } from './hoverCard';
import { displayPath, errorText, HOVER_BUDGET_MS, settingsOf, signalOf, type ServerContext } from './serverContext';
import { isMapFileName } from './workspaceState';

export async function provideHover(ctx: ServerContext, params: HoverParams, token?: CancellationToken): Promise<Hover | null> {
  const started = Date.now();
  try {
    const hover = await computeHover(ctx, params, token);
    if (hover) ctx.log.info(`hover uri=${params.textDocument.uri} line=${params.position.line + 1} ms=${Date.now() - started}`);
    return hover;
  } catch (error) {
    ctx.log.warn(`hover failed uri=${params.textDocument.uri} line=${params.position.line + 1} error=${errorText(error)}`);
    return null;
  }
}

async function computeHover(ctx: ServerContext, params: HoverParams, token: CancellationToken | undefined): Promise<Hover | null> {
  const uri = params.textDocument.uri;
  const document = ctx.documents.get(uri);
  const explained = explainFile(ctx, uri);
  const folder = explained.folder;
  if (!document || !folder?.map || isMapFileName(uri)) return null;
  const settings = await settingsOf(ctx, folder);
  if (settings.hoverMode === 'off') return null;

  const { line, character } = params.position;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const own = explained.matches.map((m) => m.featureId);
  const anchor = resolveAnchor(folder.map, anchorCandidates(text, character), own);

  let feature: MapFeature | undefined;
  let reason: CardReason;
  let range: Hover['range'];
  const fileMatch = (id: string) => explained.matches.find((m) => m.featureId === id);
  if (anchor) {
    feature = anchor.feature;
    const match = fileMatch(feature.id);
    reason = match
      ? { kind: 'file', pattern: match.pattern, mapFile: displayPath(folder, match.mapFile), line: match.line }
      : { kind: anchor.kind, anchor: anchor.text, mapFile: displayPath(folder, feature.mapFile), line: anchorLine(ctx, folder.map, feature, anchor.text) };
    range = { start: { line, character: anchor.start }, end: { line, character: anchor.end } };
  } else if (settings.hoverMode === 'file' && explained.matches.length > 0) {
    const primary = explained.matches[0];
    feature = folder.map.feature(primary.featureId);
    reason = { kind: 'file', pattern: primary.pattern, mapFile: displayPath(folder, primary.mapFile), line: primary.line };
  } else {
    return null;
  }
  if (!feature) return null;

  const lookup = await ctx.hub.lookup({ uri: folder.uri, contextFiles: folder.map.contextFiles }, settings, [feature.id], {
    budgetMs: HOVER_BUDGET_MS,
    signal: signalOf(token),
  });
  if (token?.isCancellationRequested) return null;
  // What the history knows now: a hover never waits for git.
  const history = ctx.history.peek(folder);
  const context = lookup.features[feature.id];
  const info = history ? featureHistoryInfo(history, feature.id, context) : undefined;
  const outcome = info?.measured ?? info?.pending;
  const markdown = renderFeatureCard({
    feature,
    context,
    freshness: lookup.freshness,
    reason,
    now: ctx.now(),
    sidebarLink: ctx.init.commandLinks === true,
    event: anchor?.kind === 'event' ? anchor.text : undefined,
    ...(outcome ? { outcome } : {}),
  });
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range };
}

/**
 * The lines of each map file, read once per map in force: a hover on another feature's anchor must not read the
 * map from disk each time. A new map (the file changed, or an edit recompiled it) brings a new map object.
 */
const mapLines = new WeakMap<WorkspaceMap, Map<string, string[]>>();

function linesOf(ctx: ServerContext, map: WorkspaceMap, file: string): string[] {
  let files = mapLines.get(map);
  if (!files) mapLines.set(map, (files = new Map()));
  let lines = files.get(file);
  if (!lines) {
    lines = (ctx.workspace.openText(file) ?? readQuietly(ctx, file))?.split(/\r?\n/) ?? [];
    files.set(file, lines);
  }
  return lines;
}

/** The 1-based line of the map file where `word` is listed for the feature (its entry's first line if not found). */
function anchorLine(ctx: ServerContext, map: WorkspaceMap, feature: MapFeature, word: string): number {
  const lines = linesOf(ctx, map, feature.mapFile);
  const pattern = new RegExp(`(^|[^\\w$-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w$-]|$)`);
  for (let i = feature.range.start.line - 1; i < Math.min(lines.length, feature.range.end.line); i++) {
    if (pattern.test(lines[i])) return i + 1;
  }
  return feature.range.start.line;
}

function readQuietly(ctx: ServerContext, file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    ctx.log.warn(`map file unreadable file=${file} error=${errorText(error)}`);
    return undefined;
  }
}
