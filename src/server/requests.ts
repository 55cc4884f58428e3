// The custom requests of src/shared/lspProtocol.ts that answer questions about the map (features, files, unmapped
// files) and change it (add a pattern, create a starter map). fileContext and explain live in fileContext.ts.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ResponseError, ErrorCodes } from 'vscode-languageserver/node';
import { MAP_FILE_NAMES } from '../map/mapFile';
import { addPatternToFeature, patternForPath } from '../map/mapEdit';
import { createStarterMap, schemaForNewMap } from '../map/mapInit';
import type { Problem } from '../shared/contextProtocol';
import type {
  AddToFeatureParams,
  AddToFeatureResult,
  CreateMapParams,
  FeatureContextParams,
  FeatureContextResult,
  FeatureFilesParams,
  FeatureSummary,
  PatternSummary,
  UnmappedFolder,
} from '../shared/lspProtocol';
import type { MapFeature } from '../shared/mapModel';
import { errorText, settingsOf, toLspRange, VIEW_BUDGET_MS, type ServerContext } from './serverContext';
import { pathToUri, uriToPath } from './uris';
import type { FolderState } from './workspaceState';

function fileUri(folder: FolderState, relative: string): string {
  return pathToUri(path.join(folder.root, ...relative.split('/')));
}

/** `customerLens/features`: every feature of every folder, with file counts, patterns and a context headline. */
export async function listFeatures(ctx: ServerContext): Promise<FeatureSummary[]> {
  const result: FeatureSummary[] = [];
  for (const folder of ctx.workspace.all()) {
    const map = folder.map;
    if (!map) continue;
    const settings = await settingsOf(ctx, folder);
    const lookup = await ctx.hub.lookup(
      { uri: folder.uri, contextFiles: map.contextFiles },
      settings,
      map.features.map((f) => f.id),
      { budgetMs: VIEW_BUDGET_MS },
    );
    for (const feature of map.features) {
      const context = lookup.features[feature.id];
      const topProblem = [...(context?.problems ?? [])]
        .filter((p) => p.status !== 'solved')
        .sort((a: Problem, b: Problem) => (b.customers ?? 0) - (a.customers ?? 0))[0];
      result.push({
        id: feature.id,
        name: feature.name,
        description: feature.description,
        owners: [...feature.owners],
        workspaceFolderUri: folder.uri,
        mapFileUri: pathToUri(feature.mapFile),
        range: toLspRange(feature.range),
        fileCount: folder.coverage?.filesByFeature.get(feature.id)?.length ?? 0,
        patterns: patternSummaries(folder, feature),
        summary: context?.summary,
        topProblem,
        usageHeadline: context?.usage?.[0],
        hasContext: context !== undefined,
      });
    }
  }
  return result;
}

/** `customerLens/featureContext`: one feature's context by id, for Explore (a feature may have no files yet). */
export async function featureContext(ctx: ServerContext, params: FeatureContextParams): Promise<FeatureContextResult> {
  const folder = ctx.workspace.all().find((candidate) => candidate.uri === params.workspaceFolderUri);
  const feature = folder?.map?.feature(params.featureId);
  if (!folder?.map || !feature) {
    throw new ResponseError(ErrorCodes.InvalidParams, `there is no feature "${params.featureId}" in the map of ${params.workspaceFolderUri}`);
  }
  const settings = await settingsOf(ctx, folder);
  const lookup = await ctx.hub.lookup({ uri: folder.uri, contextFiles: folder.map.contextFiles }, settings, [feature.id], {
    budgetMs: VIEW_BUDGET_MS,
  });
  return { context: lookup.features[feature.id], links: feature.links.map((link) => ({ ...link })), freshness: lookup.freshness };
}

function patternSummaries(folder: FolderState, feature: MapFeature): PatternSummary[] {
  const files = folder.patternFiles();
  return [...feature.paths, ...feature.exclude].map((p) => ({
    pattern: p.pattern,
    kind: p.kind === 'exclude' ? 'exclude' : 'path',
    line: p.range.start.line,
    fileCount: files.get(p)?.length ?? 0,
  }));
}

/** `customerLens/featureFiles`: the files of a feature, or those one of its patterns accounts for (see patternFiles). */
export function featureFiles(ctx: ServerContext, params: FeatureFilesParams): string[] {
  const uris: string[] = [];
  for (const folder of ctx.workspace.all()) {
    const feature = folder.map?.feature(params.featureId);
    if (!feature) continue;
    const files = folder.coverage?.filesByFeature.get(feature.id) ?? [];
    if (params.pattern === undefined) {
      uris.push(...files.map((f) => fileUri(folder, f)));
      continue;
    }
    const pattern = [...feature.paths, ...feature.exclude].find((p) => p.pattern === params.pattern);
    if (!pattern) continue;
    uris.push(...(folder.patternFiles().get(pattern) ?? []).map((f) => fileUri(folder, f)));
  }
  return uris;
}

/** `customerLens/unmappedFiles`: files neither mapped nor ignored, grouped by folder. */
export function unmappedFiles(ctx: ServerContext): UnmappedFolder[] {
  const result: UnmappedFolder[] = [];
  for (const folder of ctx.workspace.all()) {
    const groups = new Map<string, string[]>();
    for (const file of folder.coverage?.unmappedFiles ?? []) {
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      const list = groups.get(dir) ?? [];
      list.push(fileUri(folder, file));
      groups.set(dir, list);
    }
    for (const [dir, fileUris] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      result.push({ workspaceFolderUri: folder.uri, folder: dir, fileUris });
    }
  }
  return result;
}

/** `customerLens/addToFeature`: the edit adding a file or folder to a feature's `paths`, comments kept. */
export async function addToFeature(ctx: ServerContext, params: AddToFeatureParams): Promise<AddToFeatureResult> {
  const target = uriToPath(params.targetUri);
  const located = target === undefined ? undefined : ctx.workspace.folderFor(target);
  if (!target || !located) throw new ResponseError(ErrorCodes.InvalidParams, `${params.targetUri} is not inside a workspace folder`);
  const feature = located.map?.feature(params.featureId);
  if (!feature) {
    throw new ResponseError(ErrorCodes.InvalidParams, `there is no feature "${params.featureId}" in the map of ${located.root}; check the map file for errors`);
  }
  const mapFile = feature.mapFile;
  let text = ctx.workspace.openText(mapFile);
  try {
    text ??= await fs.readFile(mapFile, 'utf8');
  } catch (error) {
    throw new ResponseError(ErrorCodes.InternalError, `cannot read ${mapFile}: ${errorText(error)}`);
  }
  let pattern: string;
  let edited: string;
  try {
    pattern = patternForPath(path.dirname(mapFile), target, params.isFolder);
    edited = addPatternToFeature(text, mapFile, feature.id, pattern);
  } catch (error) {
    throw new ResponseError(ErrorCodes.InvalidRequest, errorText(error));
  }
  ctx.log.info(`addToFeature feature=${feature.id} pattern=${pattern} map=${mapFile} changed=${edited !== text}`);
  return { mapFileUri: pathToUri(mapFile), pattern, edits: edited === text ? [] : [minimalEdit(text, edited)] };
}

/** One edit replacing only what differs between `before` and `after` (the common prefix and suffix are kept). */
export function minimalEdit(before: string, after: string): AddToFeatureResult['edits'][number] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { range: { start: positionAt(before, start), end: positionAt(before, endBefore) }, newText: after.slice(start, endAfter) };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** `customerLens/createMap`: writes a starter `.customer-lens.yml` unless the folder already has a map file. */
export async function createMap(ctx: ServerContext, params: CreateMapParams): Promise<{ mapFileUri: string; created: boolean }> {
  const root = uriToPath(params.workspaceFolderUri);
  if (root === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `${params.workspaceFolderUri} is not a file: folder`);
  for (const name of MAP_FILE_NAMES) {
    const existing = path.join(root, name);
    try {
      await fs.lstat(existing);
      return { mapFileUri: pathToUri(existing), created: false };
    } catch {
      // Not there: try the next name.
    }
  }
  const folder = ctx.workspace.folderFor(root);
  const files = folder && folder.root === root ? folder.files : [];
  const schema = schemaForNewMap(root);
  const starter = await createStarterMap(root, files, { schema: schema.reference });
  const file = path.join(root, MAP_FILE_NAMES[0]);
  try {
    // `wx`: a map written in the meantime is never overwritten.
    await fs.writeFile(file, starter.text, { encoding: 'utf8', flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { mapFileUri: pathToUri(file), created: false };
    throw new ResponseError(ErrorCodes.InternalError, `cannot write ${file}: ${errorText(error)}`);
  }
  if (schema.write) {
    // The map's first line points editors at this copy; without it only the schema comment is lost.
    await fs.writeFile(schema.write.file, schema.write.text, { encoding: 'utf8', flag: 'wx' }).catch((error: unknown) => ctx.log.warn(`schema copy not written file=${schema.write?.file} error=${errorText(error)}`));
  }
  ctx.log.info(`map created file=${file} features=${starter.features} fromCodeowners=${starter.fromCodeowners} schema=${schema.reference}`);
  return { mapFileUri: pathToUri(file), created: true };
}
