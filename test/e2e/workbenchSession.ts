// One UI session: the packaged .vsix installed into a fresh code-server, a copy of the sample workspace opened in
// headless Chromium. Packaging happens once per test process however many sessions are opened.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { packageExtension } from '../harness/buildExtension';
import { freshDirs, installExtension, startCodeServer, type CodeServer } from '../harness/codeServer';
import { ensureRuntime } from '../harness/installRuntime';
import { copyWorkspace, sampleWorkspace, testResultsDir } from '../harness/paths';
import { Workbench } from './workbench';

export interface WorkbenchSession {
  workbench: Workbench;
  /** The copy of the sample workspace the window has open. */
  workspace: string;
  stop(): Promise<void>;
}

/** Screenshots of every UI run go here (git-ignored). */
export const screenshotDir = path.join(testResultsDir, 'e2e');

let packaged: Promise<{ vsix: string; bytes: number }> | undefined;

/** Packages the extension (once), installs it into a fresh code-server, opens the sample workspace. */
export async function openWorkbench(): Promise<WorkbenchSession> {
  const runtime = await ensureRuntime();
  packaged ??= packageExtension();
  const { vsix } = await packaged;

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-e2e-'));
  fs.mkdirSync(screenshotDir, { recursive: true });
  const dirs = freshDirs(path.join(scratch, 'vscode'));
  await installExtension(runtime, dirs, vsix, path.join(screenshotDir, 'install-extension.log'));
  const workspace = copyWorkspace(sampleWorkspace, scratch);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({ runtime, dirs, logFile: path.join(screenshotDir, 'code-server.log') });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // A loaded machine can take a while to serve the workbench the first time.
    await page.goto(server.folderUrl(workspace), { timeout: 120_000 });
    const workbench = new Workbench(page, screenshotDir);
    await workbench.waitUntilLoaded();
    return { workbench, workspace, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Opens one session for the enclosing `describe` (before its first test, stopped after its last) and returns a
 * getter for it. A failed test leaves a screenshot of the window named after it.
 */
export function useWorkbenchSession(): () => WorkbenchSession {
  let session: WorkbenchSession | undefined;

  before(async function () {
    // Packages the extension and starts code-server; installs code-server first on a fresh machine (~2 minutes).
    this.timeout(10 * 60_000);
    session = await openWorkbench();
  });

  after(async () => {
    await session?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      const { file } = await session.workbench.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
      console.log(`      screenshot of the failure: ${file}`);
    }
  });

  return () => {
    if (!session) throw new Error('the workbench session is not open (its before hook failed)');
    return session;
  };
}
