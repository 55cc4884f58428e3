// Document uris (what LSP speaks) and file paths (what the map speaks). Only `file:` uris name files on disk.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The absolute path of a `file:` uri; undefined for any other scheme or a malformed uri. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** The `file:` uri of an absolute path. */
export function pathToUri(absPath: string): string {
  return pathToFileURL(absPath).href;
}
