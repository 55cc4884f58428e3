import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import type { CodeServer } from './codeServer';

export interface ExtensionTestRun {
  server: CodeServer;
  browser: Browser;
  /** The folder the workbench opens. */
  workspace: string;
  /** The extension under development (the repository root: its package.json and dist/). */
  extensionDevelopmentPath: string;
  /** The compiled tests module exporting `run()`. */
  extensionTestsPath: string;
  /** The whole run fails past this. */
  timeoutMs: number;
  /** Receives each console line of the workbench and extension host (mocha's report among them), offline noise left out. */
  onLog: (line: string) => void;
  /** The workbench's own logs are written here when the run ends. */
  logDir: string;
}

/**
 * Runs extension tests in code-server the way VS Code's own browser integration tests do: the workbench reads the
 * `payload` URL parameter (honoured only with `--vscode-option enable-smoke-test-driver`), loads the extension under
 * development, runs the tests module in the extension host, then calls `window.codeAutomationExit(code)`.
 * Resolves with mocha's exit code (0 = all passed); rejects past the deadline.
 */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const remote = (absolutePath: string) => `vscode-remote://127.0.0.1:${run.server.port}${absolutePath}`;
  const payload = [
    ['extensionDevelopmentPath', remote(run.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(run.extensionTestsPath)],
    ['enableProposedApi', ''],
    ['skipWelcome', 'true'],
  ];
  const context = await run.browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (finish = resolve));
    const consoleLog = fs.createWriteStream(path.join(run.logDir, 'workbench-console.log'));
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
      const text = formatConsoleMessage(level, message);
      consoleLog.write(`${text}\n`);
      if (!isWorkbenchNoise(text)) run.onLog(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: Array<{ relativePath: string; contents: string }>) => {
      saveWorkbenchLogs(run.logDir, logs);
      consoleLog.end();
      finish(code);
    });
    page.on('pageerror', (error) => run.onLog(`[page error] ${error.message}`));
    // The workbench's first load compiles a lot of JavaScript; on a busy 2-core machine it has taken over 30 s
    // (Playwright's default), so the group's own deadline is the only limit that applies.
    await page.goto(run.server.folderUrl(run.workspace, { payload: JSON.stringify(payload) }), { timeout: run.timeoutMs });

    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`the extension tests did not finish within ${run.timeoutMs / 1000} s (workspace ${run.workspace})`));
      }, run.timeoutMs);
    });
    const serverDied = run.server.process.exited.then((code) => {
      throw new Error(`code-server exited (${code}) during the tests:\n${run.server.process.tail()}`);
    });
    try {
      return await Promise.race([exited, deadline, serverDied]);
    } finally {
      clearTimeout(timer);
      if (timedOut) {
        const file = path.join(run.logDir, 'timeout.png');
        await page.screenshot({ path: file }).then(
          () => run.onLog(`[harness] screenshot of the hung workbench: ${file}`),
          (error: Error) => run.onLog(`[harness] no screenshot of the hung workbench: ${error.message}`),
        );
      }
    }
  } finally {
    await context.close();
  }
}

/** The workbench hands over each console call as its arguments array, format string first. */
function formatConsoleMessage(level: string, message: unknown): string {
  const text = Array.isArray(message) ? format(...(message as unknown[])) : format(message);
  return level === 'error' || level === 'warn' ? `[${level}] ${text}` : text;
}

/**
 * Lines every offline code-server run logs (no marketplace, no GitHub sign-in, connection chatter, web lifecycle
 * warnings). They stay in workbench-console.log but are not printed, so mocha's report is readable.
 */
const offlineNoise = [
  /ENOTFOUND open-vsx\.org/,
  /authentication provider '[a-z-]+' to register/,
  /Long running operations during shutdown are unsupported in the web/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[(AgentHost|AccountPolicyGate|Service Worker)\b/,
  /^\[warn\] Creation of workbench contribution .* took \d+ms/,
];

/** True for workbench console lines that are expected in every offline run and say nothing about the tests. */
export function isWorkbenchNoise(line: string): boolean {
  return offlineNoise.some((pattern) => pattern.test(line));
}

function saveWorkbenchLogs(dir: string, logs: Array<{ relativePath: string; contents: string }> | undefined): void {
  for (const log of logs ?? []) {
    const file = path.join(dir, 'workbench', log.relativePath);
    if (!file.startsWith(dir)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, log.contents);
  }
}
