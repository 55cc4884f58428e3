import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Runtime } from './installRuntime';
import { runToCompletion, spawnGroup, type GroupProcess } from './processGroup';
import { writeUserSettings } from './userSettings';

/** Where one code-server keeps its state; a fresh folder per run keeps runs independent. */
export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
}

export interface CodeServerOptions {
  runtime: Runtime;
  dirs: CodeServerDirs;
  /** Trusted (default): `--disable-workspace-trust`. Untrusted: workspace trust on, so a folder opens in Restricted Mode. */
  trust?: 'trusted' | 'untrusted';
  /** Lets the workbench honour the `payload` URL parameter (extension tests) and call `codeAutomationExit`. */
  testDriver?: boolean;
  /** User settings on top of the quiet defaults (e.g. `customerLens.endpoint`). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and the extension host it forks. */
  env?: NodeJS.ProcessEnv;
  /** Output of the server goes here. */
  logFile: string;
  port?: number;
  /** Print each server output line (the demo does; test runs keep it in the log file). */
  onLine?: (line: string) => void;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly process: GroupProcess;
  /** The URL that opens `folder` in the workbench, with extra query parameters. */
  folderUrl(folder: string, query?: Record<string, string>): string;
  stop(): Promise<void>;
}

/** Starts code-server on 127.0.0.1 without auth, telemetry or update checks, and waits until it answers `/healthz`. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { runtime, dirs } = options;
  const trust = options.trust ?? 'trusted';
  writeUserSettings(dirs.userDataDir, trust, options.settings);
  fs.mkdirSync(dirs.extensionsDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const args = [
    runtime.codeServerEntry,
    '--config', '/dev/null', // never write a config into the user's home folder
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trust === 'trusted' ? ['--disable-workspace-trust'] : []),
    ...(options.testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...userDirArgs(dirs),
  ];
  const server = spawnGroup(runtime.node, args, {
    env: { ...process.env, ...options.env },
    logFile: options.logFile,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, server, 60_000);
  return {
    url,
    port,
    process: server,
    folderUrl(folder, query = {}) {
      const params = new URLSearchParams({ folder, ...query });
      return `${url}/?${params.toString()}`;
    },
    stop: () => server.stop(),
  };
}

/** Installs a .vsix into the extensions folder code-server will use (~1 s; no server needs to run). */
export async function installExtension(runtime: Runtime, dirs: CodeServerDirs, vsix: string, logFile: string): Promise<void> {
  await runToCompletion(runtime.node, [runtime.codeServerEntry, '--config', '/dev/null', ...userDirArgs(dirs), '--install-extension', vsix, '--force'], {
    timeoutMs: 120_000,
    logFile,
  });
}

/** Fresh user-data and extensions folders under `root` (removed first). */
export function freshDirs(root: string): CodeServerDirs {
  fs.rmSync(root, { recursive: true, force: true });
  const dirs = { userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions') };
  fs.mkdirSync(dirs.userDataDir, { recursive: true });
  fs.mkdirSync(dirs.extensionsDir, { recursive: true });
  return dirs;
}

function userDirArgs(dirs: CodeServerDirs): string[] {
  return ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
}

async function waitForHealthy(url: string, server: GroupProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | string | undefined;
  void server.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`code-server exited (${exitCode}) before it answered ${url}/healthz:\n${server.tail()}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch (error) {
      // Not listening yet: retried until the deadline, which reports the server's own output.
      if (!(error instanceof Error)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s:\n${server.tail()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
