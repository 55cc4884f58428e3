// What a user does in the VS Code workbench, as Playwright steps: open a file with Quick Open, point at a word and
// read the hover, read the status bar, open a view container and read a webview. Every step waits for what the
// user would see (Playwright's auto-waiting locators), never a fixed time.
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';

const defaultTimeoutMs = 20_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {}

  /** Waits until the workbench has restored its layout and the extension's contributions are in the activity bar. */
  async waitUntilLoaded(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ timeout: 60_000 });
  }

  /** The activity bar entry of a view container, by its title. */
  activityBarEntry(title: string): Locator {
    return this.page.locator(`.activitybar .action-label[aria-label="${title}"]`);
  }

  /** A status bar item by its id (`<extension id>.<item id>` for items an extension creates). */
  statusBarItem(id: string): Locator {
    return this.page.locator(`.statusbar-item[id="${id}"]`);
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), as a user would, and waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: defaultTimeoutMs });
    await input.fill(relativePath);
    const name = path.posix.basename(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: defaultTimeoutMs });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tab.active', { hasText: name }).waitFor({ timeout: defaultTimeoutMs });
    // Quick Open leaves the keyboard focus in the editor, where the next steps type.
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: defaultTimeoutMs });
  }

  /**
   * In the editor `openFile` opened, points the mouse at `word` on the first line containing `lineText` until a hover containing `expected`
   * shows, and returns the hover's text (every provider's part: our card and, say, TypeScript's). A hover asked for
   * while the language server is still starting has no card; like a user, this moves away and points again.
   */
  async hover(lineText: string, word: string, expected: string, timeoutMs = 30_000): Promise<string> {
    await this.revealInEditor(lineText);
    const line = this.page.locator('.monaco-editor .view-line', { hasText: lineText }).first();
    const token = line.locator('span > span', { hasText: new RegExp(`^${escapeRegExp(word)}$`) }).first();
    const card = this.page.locator('.monaco-hover:visible', { hasText: expected });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.dismissHover();
      await token.hover({ timeout: defaultTimeoutMs });
      try {
        await card.waitFor({ timeout: 5_000 });
        return await card.innerText();
      } catch (error) {
        if (Date.now() > deadline) {
          const shown = await this.page.locator('.monaco-hover:visible').allInnerTexts();
          throw new Error(`no hover containing "${expected}" on "${word}" within ${timeoutMs} ms; hovers shown: ${JSON.stringify(shown)}`, { cause: error });
        }
      }
    }
  }

  /** Clicks a view container's activity bar entry (opening the side bar on it) unless it is already open. */
  async openViewContainer(title: string): Promise<void> {
    await this.dismissHover();
    const entry = this.activityBarEntry(title);
    if ((await entry.getAttribute('aria-expanded')) !== 'true') await entry.click();
    await this.page.locator('.sidebar .composite.title', { hasText: title }).waitFor({ timeout: defaultTimeoutMs });
  }

  /**
   * The frame of the webview whose page has an element `[data-testid=<testId>]`. Webviews live in nested iframes
   * outside the view's DOM, so the frame is found by its content.
   */
  async webview(testId: string, timeoutMs = defaultTimeoutMs): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const frame of this.page.frames()) {
        // Webview frames are replaced while they load; a frame detached mid-query simply does not count.
        const matches = await frame.locator(`[data-testid="${testId}"]`).count().catch((error: Error) => (frame.isDetached() ? 0 : Promise.reject(error)));
        if (matches > 0) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview with [data-testid="${testId}"] appeared within ${timeoutMs} ms`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Waits until the webview's `[data-testid=<testId>]` contains `expected`, and returns its text. */
  async webviewText(testId: string, expected: string): Promise<string> {
    const frame = await this.webview(testId);
    const root = frame.locator(`[data-testid="${testId}"]`);
    try {
      await root.filter({ hasText: expected }).waitFor({ timeout: defaultTimeoutMs });
    } catch (error) {
      const shown = await root.innerText().catch((reason: Error) => `(unreadable: ${reason.message})`);
      throw new Error(`the webview [data-testid="${testId}"] did not show "${expected}" within ${defaultTimeoutMs} ms; it shows:\n${shown}`, { cause: error });
    }
    return root.innerText();
  }

  /** Saves a screenshot of the whole window as `<screenshotDir>/<name>.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Scrolls the focused editor to the first occurrence of `text` with the Find widget, then closes it. */
  private async revealInEditor(text: string): Promise<void> {
    await this.page.keyboard.press('Control+F');
    const find = this.page.locator('.find-widget.visible textarea, .find-widget.visible input').first();
    await find.waitFor({ timeout: defaultTimeoutMs });
    await find.fill(text);
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
    await this.page.locator('.find-widget.visible').waitFor({ state: 'hidden', timeout: defaultTimeoutMs });
    // Collapse the match's selection so screenshots show the code, not a highlight.
    await this.page.keyboard.press('ArrowLeft');
  }

  private async dismissHover(): Promise<void> {
    await this.page.mouse.move(1, 1);
    await this.page.locator('.monaco-hover:visible').waitFor({ state: 'hidden', timeout: defaultTimeoutMs });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
