// Help while editing a map file: completion of keys and known feature ids, a hover on a pattern saying how many files
// it matches, and a document link on `context:`. Also the completion of feature ids after a `customer-lens:` tag in
// code. Key completion is line-based (YAML) because the text being typed is usually not valid YAML yet.
import * as path from 'node:path';
import {
  CompletionItemKind,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
  type DocumentLink,
  type DocumentLinkParams,
  type Hover,
  type HoverParams,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { inspectContextFile } from '../map/mapFile';
import { knownKeysAt } from '../map/mapMessages';
import { mapFeatureSchema, mapFileSchema, mapLinkSchema } from '../shared/mapSchema';
import type { MapPattern } from '../shared/mapModel';
import { code as inlineCode } from '../shared/markdownText';
import { filesMatching } from './patternFiles';
import { errorText, settingsOf, type ServerContext } from './serverContext';
import { pathToUri } from './uris';
import { isMapFileName, type FolderState } from './workspaceState';

const MAX_LISTED_FILES = 8;

/** Completion in a map file (keys, feature ids) and after `customer-lens:` in code (feature ids). */
export async function provideCompletion(ctx: ServerContext, params: CompletionParams): Promise<CompletionItem[]> {
  try {
    const document = ctx.documents.get(params.textDocument.uri);
    const located = ctx.workspace.folderForUri(params.textDocument.uri);
    if (!document || !located) return [];
    const lines = document.getText().split(/\r?\n/);
    const line = lines[params.position.line] ?? '';
    const prefix = line.slice(0, params.position.character);
    // Triggered by ":" itself, the value still needs its space.
    const space = prefix.endsWith(':') ? ' ' : '';
    if (!isMapFileName(located.absPath)) return withSpace(tagCompletions(located.folder, prefix), space);
    if (located.absPath.endsWith('.json')) return [];
    if (/^\s*(-\s+)?id:\s*[\w.-]*$/.test(prefix)) return withSpace(await idCompletions(ctx, located.folder), space);
    const keyMatch = /^(\s*)(-\s+)?([A-Za-z_$]*)$/.exec(prefix);
    if (keyMatch) return keyCompletions(lines, params.position.line, keyMatch[1].length + (keyMatch[2]?.length ?? 0));
    return [];
  } catch (error) {
    ctx.log.warn(`completion failed uri=${params.textDocument.uri} error=${errorText(error)}`);
    return [];
  }
}

function withSpace(items: CompletionItem[], space: string): CompletionItem[] {
  return space === '' ? items : items.map((item) => ({ ...item, insertText: `${space}${item.label}`, filterText: `${space}${item.label}` }));
}

function tagCompletions(folder: FolderState, prefix: string): CompletionItem[] {
  if (!/customer-lens:[ \t]*[\w.-]*$/.test(prefix) || !folder.map) return [];
  return folder.map.features.map((feature) => ({
    label: feature.id,
    kind: CompletionItemKind.EnumMember,
    detail: feature.name,
    documentation: feature.description,
  }));
}

/** Ids the context source knows that the map does not declare yet, then the map's own ids (for a second map file). */
async function idCompletions(ctx: ServerContext, folder: FolderState): Promise<CompletionItem[]> {
  const declared = new Set(folder.parsed.flatMap((p) => p.features.map((f) => f.id)));
  const items: CompletionItem[] = [];
  const settings = await settingsOf(ctx, folder);
  const known = await ctx.hub.listFeatures({ uri: folder.uri, contextFiles: folder.map?.contextFiles ?? [] }, settings);
  for (const feature of known) {
    if (declared.has(feature.id)) continue;
    items.push({
      label: feature.id,
      kind: CompletionItemKind.EnumMember,
      detail: feature.name ? `${feature.name} (from the context source)` : 'from the context source',
      sortText: `0${feature.id}`,
    });
  }
  return items;
}

type KeyContext = 'top' | 'feature' | 'link' | 'none';

/** Which mapping a key typed at `column` on `lineIndex` belongs to, and the keys already there. */
export function keyContextAt(lines: readonly string[], lineIndex: number, column: number): { context: KeyContext; siblings: Set<string> } {
  const siblings = new Set<string>();
  const keyOf = (text: string) => /^(\s*)(-\s+)?([A-Za-z_$][\w$-]*)\s*:/.exec(text);
  if (column === 0) {
    for (const [i, text] of lines.entries()) {
      const m = keyOf(text);
      if (i !== lineIndex && m && m[1].length === 0 && !m[2]) siblings.add(m[3]);
    }
    return { context: 'top', siblings };
  }
  // Walk up to the parent key (the nearest key written left of `column`), noting siblings on the way.
  const parents: string[] = [];
  let limit = column;
  let inItem = /^\s*-\s/.test(lines[lineIndex] ?? '');
  for (let i = lineIndex - 1; i >= 0; i--) {
    const text = lines[i];
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const indent = /^\s*/.exec(text)?.[0].length ?? 0;
    const m = keyOf(text);
    const keyColumn = m ? m[1].length + (m[2]?.length ?? 0) : indent;
    if (keyColumn >= limit) {
      if (m && keyColumn === limit && parents.length === 0 && !inItem) siblings.add(m[3]);
      if (m?.[2] && keyColumn === limit && parents.length === 0) inItem = true;
      continue;
    }
    if (indent >= limit && !m) continue;
    if (m) {
      parents.push(m[3]);
      limit = m[1].length;
      if (limit === 0) break;
    } else {
      limit = indent;
    }
  }
  // Keys written below, in the same mapping, are siblings too.
  for (let i = lineIndex + 1; i < lines.length; i++) {
    const text = lines[i];
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const indent = /^\s*/.exec(text)?.[0].length ?? 0;
    if (indent < column) break;
    const m = keyOf(text);
    if (m && !m[2] && m[1].length === column) siblings.add(m[3]);
  }
  if (parents[0] === 'features') return { context: 'feature', siblings };
  if (parents[0] === 'links' && parents[1] === 'features') return { context: 'link', siblings };
  return { context: 'none', siblings };
}

const KEY_PATHS: Record<Exclude<KeyContext, 'none'>, readonly (string | number)[]> = {
  top: [],
  feature: ['features', 0],
  link: ['features', 0, 'links', 0],
};

const SHAPES = { top: mapFileSchema.shape, feature: mapFeatureSchema.shape, link: mapLinkSchema.shape } as const;

function keyCompletions(lines: readonly string[], lineIndex: number, column: number): CompletionItem[] {
  const { context, siblings } = keyContextAt(lines, lineIndex, column);
  if (context === 'none') return [];
  const shape = SHAPES[context] as Record<string, { description?: string }>;
  return knownKeysAt(KEY_PATHS[context])
    .filter((key) => !siblings.has(key) && key !== '$schema')
    .map((key, index) => ({
      label: key,
      kind: CompletionItemKind.Property,
      insertText: `${key}: `,
      documentation: shape[key]?.description,
      sortText: String(index).padStart(2, '0'),
    }));
}

/** Hover on a pattern in a map file: how many files it matches, and the first few. */
export function provideMapHover(ctx: ServerContext, params: HoverParams): Hover | null {
  try {
    const located = ctx.workspace.folderForUri(params.textDocument.uri);
    if (!located || !isMapFileName(located.absPath)) return null;
    const { folder, absPath } = located;
    const parsed = folder.parsed.find((p) => p.file === absPath);
    if (!parsed) return null;
    const line = params.position.line + 1;
    const column = params.position.character + 1;
    const patterns: MapPattern[] = [...parsed.features.flatMap((f) => [...f.paths, ...f.exclude]), ...parsed.unmapped];
    const hit = patterns.find((p) => contains(p.range, line, column));
    if (!hit) return null;
    // The map in force has this very pattern when the text is valid: its counts account for `exclude`. Otherwise
    // (the text has errors) the pattern's own matches are the best answer.
    const files = folder.patternFiles().get(hit) ?? filesMatching(folder, hit);
    const owner = parsed.features.find((f) => f.paths.includes(hit) || f.exclude.includes(hit));
    const verb = hit.kind === 'exclude' ? 'takes out of' : hit.kind === 'unmapped' ? 'marks as not customer-facing' : 'maps to';
    const target = hit.kind === 'unmapped' ? '' : ` **${owner?.name ?? owner?.id ?? 'this feature'}**`;
    const count = files.length === 1 ? '1 file' : `${files.length} files`;
    const lines = [`${inlineCode(hit.pattern)} ${verb}${target}: ${count}`];
    if (files.length === 0) lines.push('', 'No file in the workspace matches this pattern; check it for typos, or remove it.');
    else lines.push('', ...files.slice(0, MAX_LISTED_FILES).map((f) => `- ${inlineCode(f, 120)}`));
    if (files.length > MAX_LISTED_FILES) lines.push(`- … and ${files.length - MAX_LISTED_FILES} more`);
    return {
      contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
      range: {
        start: { line: hit.range.start.line - 1, character: hit.range.start.column - 1 },
        end: { line: hit.range.end.line - 1, character: hit.range.end.column - 1 },
      },
    };
  } catch (error) {
    ctx.log.warn(`map hover failed uri=${params.textDocument.uri} error=${errorText(error)}`);
    return null;
  }
}

function contains(range: MapPattern['range'], line: number, column: number): boolean {
  const afterStart = line > range.start.line || (line === range.start.line && column >= range.start.column);
  const beforeEnd = line < range.end.line || (line === range.end.line && column <= range.end.column);
  return afterStart && beforeEnd;
}

/** A link on the value of `context:` to the context file, when it exists. */
export function provideDocumentLinks(ctx: ServerContext, params: DocumentLinkParams): DocumentLink[] {
  const document = ctx.documents.get(params.textDocument.uri);
  const located = ctx.workspace.folderForUri(params.textDocument.uri);
  if (!document || !located || !isMapFileName(located.absPath)) return [];
  const link = contextLink(document, located.absPath, located.folder.root);
  return link ? [link] : [];
}

function contextLink(document: TextDocument, mapFile: string, root: string): DocumentLink | undefined {
  const lines = document.getText().split(/\r?\n/);
  const pattern = mapFile.endsWith('.json') ? /("context"\s*:\s*")([^"]+)"/ : /^(context:[ \t]*["']?)([^"'#\r\n]*?)["']?[ \t]*(#.*)?$/;
  for (const [index, text] of lines.entries()) {
    const match = pattern.exec(text);
    if (!match || match[2].trim() === '') continue;
    // Only a file the map may read is linked: not one outside the workspace, a FIFO or a device.
    const verdict = inspectContextFile(path.resolve(path.dirname(mapFile), match[2].trim()), root);
    if (!('file' in verdict)) return undefined;
    const target = verdict.file;
    const start = (match.index ?? 0) + match[1].length;
    return {
      range: { start: { line: index, character: start }, end: { line: index, character: start + match[2].length } },
      target: pathToUri(target),
      tooltip: 'Open the context file',
    };
  }
  return undefined;
}
