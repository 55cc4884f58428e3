// Endpoint tokens in VS Code's SecretStorage, one per endpoint origin, and the endpoints the settings name. A token
// reaches the language server only through initializationOptions and customerLens/didChangeToken; it is never written
// to a settings file and never logged.
import * as vscode from 'vscode';

const KEY_PREFIX = 'customerLens.token:';

/** `https://context.example.com` for an endpoint URL; undefined when it does not parse. */
export function originOf(endpoint: string): string | undefined {
  try {
    const origin = new URL(endpoint).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The endpoint in force for a scope. In Restricted Mode a workspace-level endpoint does not count. */
export function effectiveEndpoint(scope: vscode.Uri | undefined): string | undefined {
  const inspected = vscode.workspace.getConfiguration('customerLens', scope).inspect<string>('endpoint');
  const value = vscode.workspace.isTrusted
    ? (inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue)
    : inspected?.globalValue;
  return value?.trim() || undefined;
}

/** Every distinct endpoint origin configured for the window and its folders. */
export function configuredOrigins(): string[] {
  const scopes: (vscode.Uri | undefined)[] = [undefined, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
  const origins = new Set<string>();
  for (const scope of scopes) {
    const endpoint = effectiveEndpoint(scope);
    const origin = endpoint ? originOf(endpoint) : undefined;
    if (origin) origins.add(origin);
  }
  return [...origins].sort();
}

/** Tokens by origin, read from SecretStorage and kept in memory so initializationOptions can be built synchronously. */
export class TokenVault implements vscode.Disposable {
  private readonly tokens = new Map<string, string>();
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<{ origin: string; token?: string }>();
  /** Fires when a token changed, here or in another window. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(async (event) => {
      if (!event.key.startsWith(KEY_PREFIX)) return;
      const origin = event.key.slice(KEY_PREFIX.length);
      const token = await secrets.get(event.key);
      if (token === this.tokens.get(origin)) return;
      if (token) this.tokens.set(origin, token);
      else this.tokens.delete(origin);
      this.changed.fire({ origin, token });
    });
  }

  /** Reads the tokens of these origins (the configured ones). */
  async load(origins: readonly string[]): Promise<void> {
    for (const origin of origins) {
      const token = await this.secrets.get(KEY_PREFIX + origin);
      if (token) this.tokens.set(origin, token);
      else this.tokens.delete(origin);
    }
  }

  has(origin: string): boolean {
    return this.tokens.has(origin);
  }

  get(origin: string): string | undefined {
    return this.tokens.get(origin);
  }

  /** Every token held in memory (for taking them out of log lines). */
  values(): IterableIterator<string> {
    return this.tokens.values();
  }

  /** The loaded tokens of these origins, for initializationOptions. */
  snapshot(origins: readonly string[]): Record<string, string> {
    const result: Record<string, string> = {};
    for (const origin of origins) {
      const token = this.tokens.get(origin);
      if (token) result[origin] = token;
    }
    return result;
  }

  async store(origin: string, token: string): Promise<void> {
    this.tokens.set(origin, token);
    await this.secrets.store(KEY_PREFIX + origin, token);
  }

  async delete(origin: string): Promise<void> {
    this.tokens.delete(origin);
    await this.secrets.delete(KEY_PREFIX + origin);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
