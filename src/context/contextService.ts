// The context service the language server uses: the endpoint when one is configured, else the map's context files.
import type { Dispatcher } from 'undici';
import type { ContextService, ContextServiceOptions } from '../shared/contextModel';
import { checkEndpoint } from './endpoint';
import { EndpointContextService } from './endpointContextService';
import { FileContextService } from './fileContextService';

export { checkEndpoint } from './endpoint';

/** How long fetched context counts as fresh unless configured otherwise (`customerLens.cacheTtlMinutes`). */
export const DEFAULT_TTL_MINUTES = 10;

/** Connect, headers and body timeout of each request unless configured otherwise (`customerLens.requestTimeoutMs`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

/** The response-size cap of a context endpoint (5 MB). */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

/**
 * The context files a source reads, given its endpoint: none when the endpoint is usable (the endpoint wins, so
 * folders that share it can share one service and one disk cache), the map's own otherwise (no endpoint, or a broken
 * one, which the service reports in its freshness).
 */
export function contextFilesInUse(endpoint: string | undefined, contextFiles: readonly string[]): string[] {
  const usesEndpoint = endpoint !== undefined && checkEndpoint(endpoint).ok;
  return usesEndpoint ? [] : [...contextFiles];
}

/** Seams for tests and embedders; every one has a production default. */
export interface ContextServiceDeps {
  /** undici dispatcher for all requests (default: an own Agent with the configured timeouts). */
  dispatcher?: Dispatcher;
  now?: () => number;
  /** How long lookups wait for company before a request goes out. Default 15 ms. */
  batchWindowMs?: number;
  /** Default 3. */
  maxRetries?: number;
  /** Default 500 ms. */
  retryBaseDelayMs?: number;
  random?: () => number;
  /** Most `/v1/context` requests at once. Default 4. */
  maxConcurrentRequests?: number;
  /** Watch context files for changes (default true). */
  watchFiles?: boolean;
}

/** Creates the context service for these settings: endpoint when set, else the context files, else nothing. */
export function createContextService(options: ContextServiceOptions, deps: ContextServiceDeps = {}): ContextService {
  const endpoint = options.endpoint?.trim();
  if (endpoint) {
    const checked = checkEndpoint(endpoint);
    if (checked.ok) return new EndpointContextService(checked.base, options, deps);
    options.log.error(`context endpoint invalid ${checked.error}`);
    return new FileContextService(options, deps, checked.error);
  }
  return new FileContextService(options, deps);
}
