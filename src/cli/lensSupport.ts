// What the commands that show customer context (context, mcp) share: the options that say where context comes from,
// the disk cache's folder, and opening the workspace without an editor.
import * as os from 'node:os';
import * as path from 'node:path';
import { LensError, LensWorkspace, type LensWorkspaceOptions } from '../lens/lensWorkspace';
import type { Logger } from '../shared/contextModel';
import { plainText } from '../shared/plainText';
import { InputError, UsageError, tokenOption, type CliIo } from './cliSupport';
import { resolveRoot, rootOption } from './mapSupport';

/** `--root`, `--endpoint`, `--token`, `--cache-dir`, as `context` and `mcp` declare them. */
export const lensOptions = {
  ...rootOption,
  endpoint: { type: 'string' },
  token: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

/** The usage lines of those options. */
export const lensOptionsUsage = `  --root DIR       workspace root (default: the outermost folder with a map file up to the git repository's top)
  --endpoint URL   a customer context endpoint (protocol v1); CUSTOMER_LENS_ENDPOINT does the same.
                   Without one, the context file the map names (context:) is used
  --token T        bearer token for the endpoint; CUSTOMER_LENS_TOKEN does the same without showing it in ps
  --cache-dir DIR  where fetched context is cached between runs (default: ${displayCacheDir()})`;

/** How to set an endpoint, for messages that say there is no context source. */
export const ENDPOINT_HINT = '--endpoint, or CUSTOMER_LENS_ENDPOINT';

/** The per-user cache folder: XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'customer-lens', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'customer-lens');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'customer-lens');
}

function displayCacheDir(): string {
  return process.platform === 'win32' ? '%LOCALAPPDATA%\\customer-lens\\Cache' : process.platform === 'darwin' ? '~/Library/Caches/customer-lens' : '$XDG_CACHE_HOME/customer-lens, or ~/.cache/customer-lens';
}

/** A logger for a command: each line made printable (log lines can quote remote ids) and sent to `write`. */
export function commandLogger(write: (line: string) => void, levels: { info: boolean; warn: boolean; error: boolean }): Logger {
  const line = (level: string, message: string) => write(`${level}: ${plainText(message, 2000)}`);
  return {
    info: (message) => levels.info && line('info', message),
    warn: (message) => levels.warn && line('warning', message),
    error: (message) => levels.error && line('error', message),
  };
}

/** Reads the source options (flags first, then the environment) into a headless workspace's options. */
export function workspaceOptions(
  io: CliIo,
  values: { root?: string; endpoint?: string; token?: string; 'cache-dir'?: string },
  mode: LensWorkspaceOptions['mode'],
  log: Logger,
): LensWorkspaceOptions {
  if (values.endpoint !== undefined && values.endpoint.trim() === '') throw new UsageError('--endpoint must not be empty');
  if (values.token !== undefined && values.token.trim() === '') throw new UsageError('--token must not be empty');
  if (values['cache-dir'] !== undefined && values['cache-dir'].trim() === '') throw new UsageError('--cache-dir must not be empty');
  const endpoint = values.endpoint?.trim() || process.env.CUSTOMER_LENS_ENDPOINT?.trim() || undefined;
  return {
    root: resolveRoot(io, values.root),
    endpoint,
    token: endpoint ? tokenOption(values.token) : undefined,
    cacheDir: values['cache-dir'] !== undefined ? path.resolve(io.cwd, values['cache-dir']) : defaultCacheDir(),
    log,
    mode,
  };
}

/** Opens the workspace; a missing or broken map is an input error that says what to do. */
export async function openWorkspace(options: LensWorkspaceOptions): Promise<LensWorkspace> {
  try {
    return await LensWorkspace.open(options);
  } catch (error) {
    if (error instanceof LensError) throw new InputError(error.message);
    throw error;
  }
}
