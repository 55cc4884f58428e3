// What the lens needs of a workspace folder, whoever holds it: the language server (its loaded map and context hub)
// or a headless LensWorkspace (the CLI and the MCP server). Everything in src/lens works on this, so an answer is
// computed the same way in the editor, in a terminal and for an agent.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContextLookup, Freshness } from '../shared/contextModel';
import type { WorkspaceMap } from '../shared/mapModel';

/** How long a lookup may take before the answer goes out with what is known. */
export interface LookupOptions {
  budgetMs?: number;
  signal?: AbortSignal;
}

/** One workspace folder with its map and its context source. */
export interface LensFolder {
  /** Absolute path of the folder. */
  readonly root: string;
  /** The map in force; absent when the folder has none or it could not be read (`mapIssue` says why). */
  readonly map: WorkspaceMap | undefined;
  /** Why there is no map in force, as one sentence that says what to do. */
  readonly mapIssue?: string;
  /** Set when the map files have errors and the last good map answers instead. */
  readonly mapNote?: string;
  /** The files that belong to a feature (root-relative), when the folder's file list is known. */
  filesOf?(featureId: string): readonly string[] | undefined;
  /** Customer context for feature ids, with the same cache rules as the editor (see ContextService.get). */
  lookup(ids: readonly string[], options?: LookupOptions): Promise<ContextLookup>;
}

/** A path as the caller gave it, resolved against the folders: which folder, and the root-relative path. */
export interface ResolvedPath {
  /** As given. */
  given: string;
  folder?: LensFolder;
  /** Root-relative, `/`-separated; a trailing `/` for a folder. */
  relative?: string;
  /** Why the path could not be placed, when it could not. */
  problem?: string;
}

function isDirectory(absolute: string): boolean {
  try {
    return fs.statSync(absolute).isDirectory();
  } catch {
    // Missing or unreadable: a path that does not exist (yet) is answered as a file; the map answers for any path.
    return false;
  }
}

function relativeIn(folder: LensFolder, absolute: string, markFolder: boolean): string | undefined {
  const relative = path.relative(folder.root, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const posix = relative.split(path.sep).join('/');
  if (posix === '') return '/';
  return markFolder || isDirectory(absolute) ? `${posix}/` : posix;
}

/**
 * Places a path: absolute paths and `file:` URIs in the innermost folder that holds them; relative paths against the
 * folder where they exist (the first folder when none has them). A trailing `/` marks a folder, as does an existing
 * folder on disk.
 */
export function resolvePath(folders: readonly LensFolder[], given: string): ResolvedPath {
  let raw = given.trim();
  if (raw === '') return { given, problem: 'an empty path; give a file or folder path' };
  if (/^file:/i.test(raw)) {
    try {
      raw = fileURLToPath(raw);
    } catch (error) {
      return { given, problem: `${given} is not a usable file: URI (${error instanceof Error ? error.message : String(error)})` };
    }
  } else if (/^[a-z][a-z0-9+.-]+:/i.test(raw) && !/^[a-z]:[\\/]/i.test(raw)) {
    return { given, problem: `${given} is not a file path; give a path relative to the workspace root or an absolute one` };
  }
  const markFolder = /[\\/]$/.test(raw);
  if (path.isAbsolute(raw)) {
    const absolute = path.resolve(raw);
    let best: { folder: LensFolder; relative: string } | undefined;
    for (const folder of folders) {
      const relative = relativeIn(folder, absolute, markFolder);
      if (relative !== undefined && (!best || folder.root.length > best.folder.root.length)) best = { folder, relative };
    }
    if (best) return { given, ...best };
    const roots = folders.map((f) => f.root).join(', ');
    return { given, problem: `${given} is outside the workspace (${roots}); give a path inside it` };
  }
  const inside = (folder: LensFolder) => {
    const relative = path.relative(folder.root, path.resolve(folder.root, raw));
    return !(relative.startsWith('..') || path.isAbsolute(relative));
  };
  const candidates = folders.filter(inside);
  if (candidates.length === 0) return { given, problem: `${given} leaves the workspace root; give a path inside it` };
  const folder = candidates.find((f) => fs.existsSync(path.resolve(f.root, raw))) ?? candidates[0]!;
  return { given, folder, relative: relativeIn(folder, path.resolve(folder.root, raw), markFolder) };
}

const STATE_RANK: Record<Freshness['state'], number> = { none: 0, synced: 1, stale: 2, offline: 3, error: 4 };

/** The freshness of an answer drawn from several folders: the worst state, the oldest data, the first error. */
export function mergeFreshness(all: readonly Freshness[]): Freshness {
  if (all.length === 0) return { state: 'none', source: 'none' };
  let merged: Freshness = { ...all[0]! };
  for (const next of all.slice(1)) {
    const worse = STATE_RANK[next.state] > STATE_RANK[merged.state];
    const fetchedAt = [merged.fetchedAt, next.fetchedAt].filter((t): t is number => t !== undefined);
    merged = worse ? { ...next } : merged;
    if (fetchedAt.length > 0) merged.fetchedAt = Math.min(...fetchedAt);
  }
  return merged;
}
