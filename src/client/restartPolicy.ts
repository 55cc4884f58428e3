// When the language server process dies, the client starts a new one; when it keeps dying, the client stops trying
// and says so once. No `vscode` import, so the policy is tested in plain Node; languageClientErrors.ts adapts it to
// vscode-languageclient's ErrorHandler.

/** What to do when the connection to the server closed unexpectedly. */
export interface CloseDecision {
  restart: boolean;
  /** Crashes counted in the current window, this one included. */
  crashes: number;
  /** A message for the user: given at most once until `reset()`. */
  notify?: string;
}

/** What to do about an error on the connection (for example a write to a process that is gone). */
export interface ErrorDecision {
  shutdown: boolean;
  notify?: string;
}

/**
 * The same limits as vscode-languageclient's default handler (up to 4 restarts; the 5th crash within 3 minutes
 * stops the server), without its notifications: each restart is only logged, and giving up is said once, calmly.
 */
export class RestartPolicy {
  private crashes: number[] = [];
  private notified = false;

  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  closed(): CloseDecision {
    const now = this.now();
    this.crashes = [...this.crashes.filter((at) => now - at < this.windowMs), now];
    if (this.crashes.length <= this.maxRestarts) return { restart: true, crashes: this.crashes.length };
    const minutes = Math.round(this.windowMs / 60_000);
    return {
      restart: false,
      crashes: this.crashes.length,
      notify: this.once(
        `Customer Lens stopped: its language server exited ${this.crashes.length} times in ${minutes} minutes. Hovers, CodeLens and the sidebar are paused until you restart it.`,
      ),
    };
  }

  /** `count` is how many errors the connection has seen so far; a few are tolerated, as a closed connection follows. */
  error(count: number | undefined): ErrorDecision {
    if (count !== undefined && count <= 3) return { shutdown: false };
    return { shutdown: true, notify: this.once('Customer Lens stopped: the connection to its language server keeps failing. Hovers, CodeLens and the sidebar are paused until you restart it.') };
  }

  /** After the user restarted the server: count crashes afresh, and allow one message again. */
  reset(): void {
    this.crashes = [];
    this.notified = false;
  }

  private once(message: string): string | undefined {
    if (this.notified) return undefined;
    this.notified = true;
    return message;
  }
}
