// When the client starts the server without a workspace folder (Neovim with no root_dir, a single file opened from a
// shell), the server finds each opened file's map itself: the outermost folder above the file that holds a map file,
// without leaving the file's repository. The outermost, not the nearest: in a monorepo the root map and the
// package's nested map apply together, and one server serves both.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageType } from 'vscode-languageserver/node';
import { MAP_FILE_NAMES } from '../map/mapFile';
import type { Logger } from '../shared/contextModel';
import { pathToUri, uriToPath } from './uris';
import type { Workspace } from './workspace';
import type { FolderState } from './workspaceState';

/**
 * The folder to serve `file` from: the outermost folder, from the file's own folder up to its repository root (the
 * first folder with a `.git`) or, outside a repository, up to the home folder, that holds a map file. Undefined when
 * there is none.
 */
export function discoverMapRoot(file: string, home = os.homedir()): string | undefined {
  let dir = path.dirname(path.resolve(file));
  let found: string | undefined;
  for (;;) {
    if (MAP_FILE_NAMES.some((name) => isFile(path.join(dir, name)))) found = dir;
    if (fs.existsSync(path.join(dir, '.git')) || dir === home) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return found;
    dir = parent;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** What the discovery needs from the server. */
export interface RootDiscoveryHost {
  log: Logger;
  showMessage(type: MessageType, message: string): void;
  /** A folder was found and added to the workspace: load it. */
  found(folder: FolderState): void;
}

/** For a server started without a workspace folder: adds the folder of each opened file's map to the workspace. */
export class RootDiscovery {
  private warned = false;

  constructor(
    private readonly workspace: Workspace,
    private readonly host: RootDiscoveryHost,
  ) {}

  /** Says, once the client is ready, how the server finds maps without a root. */
  announce(): void {
    this.host.showMessage(
      MessageType.Info,
      "Customer Lens: the editor gave no workspace folder, so each file's map is looked up from the file's own folder up to its repository root. Give the server the repository root as its root folder to load the maps before a file is opened.",
    );
  }

  /** An opened document: when no folder serves it yet, the folder of its map joins the workspace and is returned. */
  opened(uri: string): FolderState | undefined {
    const file = uriToPath(uri);
    if (file === undefined || this.workspace.folderFor(file)) return undefined;
    const root = discoverMapRoot(file);
    if (root === undefined) {
      this.host.log.info(`no map found file=${file}`);
      // Once: every file of a folder without a map would say the same.
      if (!this.warned) {
        this.warned = true;
        this.host.showMessage(
          MessageType.Warning,
          `Customer Lens: no .customer-lens.yml in ${path.dirname(file)} or above it, so there is nothing to show for this file. Run \`customer-lens init\` at the repository root to create a map.`,
        );
      }
      return undefined;
    }
    const folder = this.workspace.add(pathToUri(root));
    if (!folder) return undefined;
    this.host.log.info(`workspace folder found from an opened file root=${root} file=${file}`);
    this.host.found(folder);
    return folder;
  }
}
