// Settings per resource: asked of the client with `workspace/configuration` (section `customerLens`), cached by
// scope, validated field by field (a bad value falls back to its default with a logged warning, the rest still
// applies), then merged with `initializationOptions`. Restricted Mode rules live here and in TokenStore.
import { z } from 'zod';
import { DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_TTL_MINUTES } from '../context/contextService';
import type { Logger } from '../shared/contextModel';
import type { HoverMode, InitializationOptions } from '../shared/lspProtocol';

/** The settings in force for one workspace folder (or for files outside every folder). */
export interface ResourceSettings {
  /**
   * The endpoint as configured (the context service checks it and reports a bad one in its freshness); absent when
   * none is configured or it is ignored in Restricted Mode.
   */
  endpoint?: string;
  hoverMode: HoverMode;
  codeLensEnabled: boolean;
  ttlMs: number;
  requestTimeoutMs: number;
}

const hoverModeSchema = z.enum(['anchors', 'file', 'off']);

/** `initializationOptions` as sent by any client: each field optional, unknown fields ignored. */
const initializationOptionsSchema = z.object({
  endpoint: z.string().optional(),
  token: z.string().optional(),
  tokens: z.record(z.string(), z.string()).optional(),
  hover: z.object({ mode: hoverModeSchema.optional() }).optional(),
  codeLens: z.object({ enabled: z.boolean().optional() }).optional(),
  cacheTtlMinutes: z.number().min(0).optional(),
  requestTimeoutMs: z.number().min(100).optional(),
  cacheDir: z.string().optional(),
  trusted: z.boolean().optional(),
  commandLinks: z.boolean().optional(),
});

/** Reads `initializationOptions`; fields that do not validate are dropped with a warning (never with their value). */
export function parseInitializationOptions(raw: unknown, log: Logger): InitializationOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    log.warn('initializationOptions ignored: expected an object such as {"endpoint": "https://…"}');
    return {};
  }
  const result: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(initializationOptionsSchema.shape)) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) result[key] = parsed.data;
    else log.warn(`initializationOptions.${key} ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return result as InitializationOptions;
}

const fieldSchemas = {
  endpoint: z.string(),
  hoverMode: hoverModeSchema,
  codeLensEnabled: z.boolean(),
  cacheTtlMinutes: z.number().min(0),
  requestTimeoutMs: z.number().min(100),
  endpointLevel: z.enum(['default', 'user', 'workspace', 'workspaceFolder']),
};

/** Computes settings from raw configuration, the initialization options and the trust state. Pure, for tests. */
export function resolveSettings(
  raw: unknown,
  init: InitializationOptions,
  trusted: boolean,
  warn: (message: string) => void,
): ResourceSettings {
  const section: Record<string, unknown> = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const nested = (key: string, inner: string): unknown => {
    const value = section[key];
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[inner] : undefined;
  };
  const read = <K extends keyof typeof fieldSchemas>(key: K, name: string, value: unknown): z.infer<(typeof fieldSchemas)[K]> | undefined => {
    if (value === undefined || value === null) return undefined;
    const parsed = fieldSchemas[key].safeParse(value);
    if (parsed.success) return parsed.data as z.infer<(typeof fieldSchemas)[K]>;
    warn(`setting ${name} ignored: ${parsed.error.issues[0]?.message ?? 'invalid value'}; using the default`);
    return undefined;
  };

  const configured = read('endpoint', 'customerLens.endpoint', section.endpoint)?.trim();
  const level = read('endpointLevel', 'customerLens.endpointLevel', section.endpointLevel);
  let endpoint: string | undefined;
  if (configured) {
    if (!trusted && (level === 'workspace' || level === 'workspaceFolder')) {
      endpoint = read('endpoint', 'customerLens.userEndpoint', section.userEndpoint)?.trim() || undefined;
      warn(
        `customerLens.endpoint from the ${level === 'workspace' ? 'workspace' : 'folder'} settings is ignored in Restricted Mode (${endpoint ? 'using the one from your user settings' : 'using the map\'s context file'}); trust the workspace to use it`,
      );
    } else {
      endpoint = configured;
    }
  }
  endpoint ??= init.endpoint?.trim() || undefined;

  // Every setting can also come from initializationOptions, for clients that neither answer workspace/configuration
  // nor push didChangeConfiguration (Neovim before 0.8 does neither).
  const ttlMinutes = read('cacheTtlMinutes', 'customerLens.cacheTtlMinutes', section.cacheTtlMinutes) ?? init.cacheTtlMinutes ?? DEFAULT_TTL_MINUTES;
  return {
    endpoint,
    hoverMode: read('hoverMode', 'customerLens.hover.mode', nested('hover', 'mode')) ?? init.hover?.mode ?? 'anchors',
    codeLensEnabled: read('codeLensEnabled', 'customerLens.codeLens.enabled', nested('codeLens', 'enabled')) ?? init.codeLens?.enabled ?? true,
    ttlMs: ttlMinutes * 60_000,
    requestTimeoutMs:
      read('requestTimeoutMs', 'customerLens.requestTimeoutMs', section.requestTimeoutMs) ?? init.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

/** How the server asks for the `customerLens` section; absent when the client cannot answer `workspace/configuration`. */
export type ConfigurationSource = (scopeUri: string | undefined) => Promise<unknown>;

/**
 * Settings per scope (a workspace folder uri, or undefined), cached until the configuration changes. Without
 * `workspace/configuration`, the last `didChangeConfiguration` payload (or nothing) stands in for every scope.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<ResourceSettings>>();
  private pushed: unknown;
  private readonly warned = new Set<string>();

  constructor(
    private readonly init: InitializationOptions,
    private readonly source: ConfigurationSource | undefined,
    private readonly log: Logger,
  ) {}

  /** False in Restricted Mode. */
  get trusted(): boolean {
    return this.init.trusted !== false;
  }

  get(scopeUri: string | undefined): Promise<ResourceSettings> {
    const key = scopeUri ?? '';
    let settings = this.cache.get(key);
    if (!settings) {
      settings = this.load(scopeUri);
      this.cache.set(key, settings);
    }
    return settings;
  }

  /** Drops the cache; `payload` is `didChangeConfiguration`'s `settings`, used when the client cannot be asked. */
  changed(payload: unknown): void {
    if (payload !== undefined && payload !== null && typeof payload === 'object') {
      this.pushed = (payload as Record<string, unknown>).customerLens;
    }
    this.cache.clear();
    this.warned.clear();
  }

  private async load(scopeUri: string | undefined): Promise<ResourceSettings> {
    let raw: unknown = this.pushed;
    if (this.source) {
      try {
        raw = await this.source(scopeUri);
      } catch (error) {
        this.log.warn(`workspace/configuration failed scope=${scopeUri ?? 'global'} error=${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return resolveSettings(raw, this.init, this.trusted, (message) => {
      if (this.warned.has(message)) return;
      this.warned.add(message);
      this.log.warn(`${message} scope=${scopeUri ?? 'global'}`);
    });
  }
}

/**
 * Tokens by endpoint origin. A token only ever goes with a request to its own origin, and no token at all in
 * Restricted Mode. A token given without an origin belongs to the `initializationOptions` endpoint, or, when there
 * is none (a standalone editor configuring the endpoint through settings), to whichever endpoint is configured.
 */
export class TokenStore {
  private readonly byOrigin = new Map<string, string>();
  private unbound: string | undefined;
  private readonly initOrigin: string | undefined;

  constructor(
    init: InitializationOptions,
    private readonly trusted: boolean,
  ) {
    this.initOrigin = originOf(init.endpoint);
    for (const [origin, token] of Object.entries(init.tokens ?? {})) {
      const normalized = originOf(origin);
      if (normalized && token) this.byOrigin.set(normalized, token);
    }
    if (init.token) this.set(init.token, undefined);
  }

  /** Sets (or with `token` undefined, clears) a token. */
  set(token: string | undefined, origin: string | undefined): void {
    const key = originOf(origin) ?? this.initOrigin;
    if (key === undefined) {
      this.unbound = token || undefined;
      return;
    }
    if (token) this.byOrigin.set(key, token);
    else this.byOrigin.delete(key);
  }

  /** The token to send to `endpoint`, if any. */
  tokenFor(endpoint: string | undefined): string | undefined {
    if (!this.trusted || endpoint === undefined) return undefined;
    const origin = originOf(endpoint);
    if (origin === undefined) return undefined;
    return this.byOrigin.get(origin) ?? (this.initOrigin === undefined ? this.unbound : undefined);
  }
}

/** `https://a.example.com:8443` for any URL on that origin; undefined when it does not parse. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
