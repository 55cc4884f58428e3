// For clients that do not offer `workspace/didChangeWatchedFiles` (Neovim 0.7, many small clients), the server
// watches the map files itself, so that a `git pull` or a save from another program takes effect. It watches
// folders, not files: git and most editors replace a file (write a new one, rename it over the old) and a watch on
// the old file would see nothing after the first change. Context files watch themselves (src/context/contextFile.ts).
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { MAP_FILE_NAMES } from '../map/mapFile';
import type { Logger } from '../shared/contextModel';

export class MapFileWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    /** Called with the map file (absolute path) that was created, changed, replaced or deleted. */
    private readonly onChange: (mapFile: string) => void,
    private readonly log: Logger,
  ) {}

  /** Watches exactly `dirs` (workspace folder roots, the folders holding map files); stops watching the others. */
  watch(dirs: Iterable<string>): void {
    const wanted = new Set([...dirs].map((dir) => path.resolve(dir)));
    for (const [dir, watcher] of this.watchers) {
      if (wanted.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    for (const dir of wanted) {
      if (!this.watchers.has(dir)) this.start(dir);
    }
  }

  /** The folders being watched. */
  get folders(): string[] {
    return [...this.watchers.keys()];
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private start(dir: string): void {
    try {
      const watcher = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms do not say which file changed: then any map file of the folder may have.
        const names = name === null ? MAP_FILE_NAMES : MAP_FILE_NAMES.filter((n) => n === name.toString());
        for (const mapName of names) this.onChange(path.join(dir, mapName));
      });
      watcher.on('error', (error) => {
        this.log.warn(`map folder watch stopped dir=${dir} error=${error.message}; map changes there are picked up when a map file is saved in the editor`);
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch (error) {
      this.log.warn(`map folder not watched dir=${dir} error=${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
