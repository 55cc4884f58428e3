// Each workspace folder's git history for the language server, kept off the request path: handlers `peek` (never
// waiting: a hover answers while a long history is still being read), and a finished read refreshes the views. Also
// whose changes are "yours": the repository's `git config user.email`, read once per folder.
import { runGit } from '../git/gitRunner';
import { DEFAULT_HISTORY_LIMITS, FolderHistory, type HistoryLimits, type HistoryState } from '../lens/featureHistory';
import type { Logger } from '../shared/contextModel';
import type { FolderState } from './workspaceState';

export class HistoryHub {
  private readonly folders = new Map<string, FolderHistory>();
  private readonly emails = new Map<string, Promise<string | undefined>>();
  private readonly resolvedEmails = new Map<string, string | undefined>();

  constructor(
    private readonly options: { log: Logger; onDidRead: () => void; limits?: HistoryLimits },
  ) {}

  /** The folder's history for its map in force; starts a read when needed. Never waits. */
  peek(folder: FolderState): HistoryState | undefined {
    const map = folder.map;
    if (!map) return undefined;
    let history = this.folders.get(folder.root);
    if (!history) {
      history = new FolderHistory(folder.root, this.options.limits ?? DEFAULT_HISTORY_LIMITS, { log: this.options.log });
      history.onDidRead(() => this.options.onDidRead());
      this.folders.set(folder.root, history);
    }
    return history.peek(map);
  }

  /**
   * The author e-mail of "your" changes in the folder's repository, when known; the first ask starts the read and
   * answers `pending` (a refresh follows).
   */
  email(folder: FolderState): { state: 'known'; email: string } | { state: 'none' } | { state: 'pending' } {
    if (this.resolvedEmails.has(folder.root)) {
      const email = this.resolvedEmails.get(folder.root);
      return email ? { state: 'known', email } : { state: 'none' };
    }
    if (!this.emails.has(folder.root)) {
      const read = runGit(folder.root, ['config', '--get', 'user.email'], { timeoutMs: 10_000 })
        .then((out) => out.trim() || undefined)
        .catch(() => undefined)
        .then((email) => {
          this.resolvedEmails.set(folder.root, email);
          this.options.onDidRead();
          return email;
        });
      this.emails.set(folder.root, read);
    }
    return { state: 'pending' };
  }

  /** "Refresh": every folder's history and e-mail are checked again at the next look. */
  refresh(): void {
    for (const history of this.folders.values()) history.invalidate();
    this.emails.clear();
    this.resolvedEmails.clear();
  }

  removeFolder(root: string): void {
    this.folders.get(root)?.dispose();
    this.folders.delete(root);
    this.emails.delete(root);
    this.resolvedEmails.delete(root);
  }

  dispose(): void {
    for (const history of this.folders.values()) history.dispose();
    this.folders.clear();
  }
}
