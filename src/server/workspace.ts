// The workspace folders the server serves (multi-root: each folder has its own map) and the open documents' text.
import * as path from 'node:path';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Logger } from '../shared/contextModel';
import { uriToPath } from './uris';
import { FolderState } from './workspaceState';

export class Workspace {
  private readonly folders = new Map<string, FolderState>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly log: Logger,
  ) {}

  all(): FolderState[] {
    return [...this.folders.values()];
  }

  /** Adds a folder (by uri); returns it, or undefined for a non-file uri or one already known. */
  add(uri: string): FolderState | undefined {
    const root = uriToPath(uri);
    if (root === undefined) {
      this.log.warn(`workspace folder skipped uri=${uri} reason=only file: folders are supported`);
      return undefined;
    }
    if (this.folders.has(root)) return undefined;
    const folder = new FolderState(root, this.log);
    this.folders.set(root, folder);
    return folder;
  }

  remove(uri: string): FolderState | undefined {
    const root = uriToPath(uri);
    const folder = root === undefined ? undefined : this.folders.get(root);
    if (folder) this.folders.delete(folder.root);
    return folder;
  }

  /** The innermost folder containing `absPath` (a file resolves against its own folder). */
  folderFor(absPath: string): FolderState | undefined {
    let best: FolderState | undefined;
    for (const folder of this.folders.values()) {
      if (absPath !== folder.root && folder.relative(absPath) === undefined) continue;
      if (!best || folder.root.length > best.root.length) best = folder;
    }
    return best;
  }

  /** The folder of a document uri. */
  folderForUri(uri: string): { folder: FolderState; absPath: string } | undefined {
    const absPath = uriToPath(uri);
    const folder = absPath === undefined ? undefined : this.folderFor(absPath);
    return folder && absPath ? { folder, absPath } : undefined;
  }

  /** The text of an open document, by absolute path. */
  openText = (absPath: string): string | undefined => {
    const wanted = path.resolve(absPath);
    for (const document of this.documents.all()) {
      if (uriToPath(document.uri) === wanted) return document.getText();
    }
    return undefined;
  };
}
