// What a user does in the VS Code workbench, as Playwright steps: open a file with Quick Open, run a command from the
// Command Palette, pick a colour theme, point at a word and read the hover, read the status bar, open a view
// container and read a webview. Every step waits for what the user would see (Playwright's auto-waiting locators),
// never a fixed time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { readmeScreenshotDir, repoRoot } from '../harness/paths';
import { SideBar } from './sideBar';

// Generous: the machine running the tests may be shared and busy; a step that works waits only as long as it needs.
const defaultTimeoutMs = 45_000;

/** A colour theme as the theme picker lists it, and how to tell that the workbench wears it. */
export interface ColorTheme {
  /** The label in "Preferences: Color Theme" (the `workbench.colorTheme` setting may use a longer id). */
  label: string;
  kind: 'light' | 'dark';
  /** The class the workbench element gets while this theme is applied. */
  workbenchClass: string;
}

/** A hover as laid out on screen (see {@link Workbench.hoverLayout}); coordinates are window pixels. */
export interface HoverLayout {
  /** Height of the hover's scrollable contents that shows at once. */
  visibleHeight: number;
  /** Height of everything in it; more than `visibleHeight` means the hover scrolls. */
  contentHeight: number;
  visibleBottom: number;
  width: number;
  /** Each provider's part, top to bottom. */
  parts: { text: string; top: number; bottom: number }[];
}

/** A screenshot written to disk, with its bytes for measuring. */
export interface Screenshot {
  file: string;
  png: Buffer;
}

export interface ScreenshotOptions {
  /** Only this part of the window (default: all of it). */
  clip?: { x: number; y: number; width: number; height: number };
  /**
   * A screenshot the README shows: with CUSTOMER_LENS_UPDATE_SCREENSHOTS=1 it is also copied to
   * media/screenshots/<name>.png, so the committed image comes from a real run.
   */
  readme?: boolean;
}

/** Set to 1 to refresh the README's screenshots (media/screenshots/) from this run. */
export const updateScreenshotsVariable = 'CUSTOMER_LENS_UPDATE_SCREENSHOTS';

export class Workbench {
  readonly sideBar: SideBar;

  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    this.sideBar = new SideBar(page);
  }

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

  /**
   * The cursor of the active editor as the status bar shows it ("Ln 68, Col 1 (664 selected)"), once it shows one
   * matching `expected`.
   */
  async cursor(expected: RegExp = /^Ln \d+/): Promise<{ line: number; column: number; selectedCharacters: number }> {
    const item = this.statusBarItem('status.editor.selection');
    try {
      await item.filter({ hasText: expected }).waitFor({ timeout: defaultTimeoutMs });
    } catch (error) {
      const shown = await item.innerText().catch((reason: Error) => `(unreadable: ${reason.message})`);
      throw new Error(`the status bar did not show a cursor matching ${expected} within ${defaultTimeoutMs} ms; it shows "${shown}"`, { cause: error });
    }
    const text = await item.innerText();
    const match = /Ln (\d+), Col (\d+)(?: \((\d+) selected\))?/.exec(text);
    if (!match) throw new Error(`the status bar shows "${text}" where the cursor position should be`);
    return { line: Number(match[1]), column: Number(match[2]), selectedCharacters: Number(match[3] ?? 0) };
  }

  /** Puts the keyboard focus back in the active editor (a click in its text), away from whatever was clicked last. */
  async focusEditor(): Promise<void> {
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor({ timeout: defaultTimeoutMs });
  }

  /** A line of the active editor that is on screen, by its text. */
  editorLine(text: string): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first();
  }

  /** The file name of the active editor tab (waits for one showing `name` when given). */
  async activeTab(name?: string): Promise<string> {
    const tab = this.page.locator('.editor-group-container.active .tab.active', name ? { hasText: name } : {});
    await tab.waitFor({ timeout: defaultTimeoutMs });
    return (await tab.getAttribute('data-resource-name')) ?? (await tab.getAttribute('aria-label')) ?? '';
  }

  /** Runs a command from the Command Palette (F1) by its full title, e.g. "Preferences: Color Theme". */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: defaultTimeoutMs });
    await input.fill(`>${title}`);
    await this.quickPickItem(title).click({ timeout: defaultTimeoutMs });
  }

  /**
   * Switches the colour theme with "Preferences: Color Theme", as a user would: filter the picker by the theme's
   * label, click it, and wait until the workbench wears it.
   */
  async selectColorTheme(theme: ColorTheme): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const item = this.quickPickItem(theme.label);
    // The theme picker replaces the Command Palette; typing before it shows would go to the wrong list.
    await item.waitFor({ timeout: defaultTimeoutMs });
    await this.page.locator('.quick-input-widget input').fill(theme.label);
    await item.click({ timeout: defaultTimeoutMs });
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: defaultTimeoutMs });
    await this.page.locator(`.monaco-workbench.${theme.kind === 'light' ? 'vs' : 'vs-dark'}.${theme.workbenchClass}`).waitFor({ timeout: defaultTimeoutMs });
  }

  /** Resizes the browser window and waits until the workbench has laid itself out at the new size. */
  async resize(width: number, height: number): Promise<void> {
    await this.page.setViewportSize({ width, height });
    await this.page.waitForFunction(
      ([w, h]) => {
        const box = document.querySelector('.monaco-workbench')?.getBoundingClientRect();
        return !!box && Math.round(box.width) === w && Math.round(box.height) === h;
      },
      [width, height] as const,
      { timeout: defaultTimeoutMs },
    );
  }

  /**
   * Opens a workspace file through Quick Open (Ctrl+P), as a user would, and waits for its editor tab. When Quick Open
   * is still updating its list, Enter can pick nothing; like a user, this then tries again.
   */
  async openFile(relativePath: string): Promise<void> {
    const name = path.posix.basename(relativePath);
    const tab = this.page.locator('.tab.active', { hasText: name });
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: defaultTimeoutMs });
      await input.fill(relativePath);
      await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: defaultTimeoutMs });
      await this.page.keyboard.press('Enter');
      try {
        await tab.waitFor({ timeout: attempt < 3 ? 10_000 : defaultTimeoutMs });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
      }
    }
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

  /**
   * How the hover on screen that contains `expected` is laid out, measured in the browser: the visible part of its
   * scrollable contents, and where each provider's part (ours, TypeScript's, …) sits in it. A part whose `bottom` is
   * below `visibleBottom` needs scrolling inside the hover to be read.
   */
  async hoverLayout(expected: string): Promise<HoverLayout> {
    const hover = this.page.locator('.monaco-hover:visible', { hasText: expected }).first();
    await hover.waitFor({ timeout: defaultTimeoutMs });
    return hover.evaluate((element) => {
      const contents = element.querySelector<HTMLElement>('.monaco-hover-content') ?? element;
      const box = contents.getBoundingClientRect();
      const visibleBottom = Math.min(box.bottom, box.top + contents.clientHeight);
      return {
        visibleHeight: contents.clientHeight,
        contentHeight: contents.scrollHeight,
        visibleBottom,
        width: box.width,
        parts: Array.from(contents.children).map((part) => {
          const rect = part.getBoundingClientRect();
          return { text: (part as HTMLElement).innerText, top: rect.top, bottom: rect.bottom };
        }),
      };
    });
  }

  /**
   * The number of lines `text` takes where it is rendered inside `container` (1 when it does not wrap), or 0 when it
   * is not there (a no-break space in the page matches a space in `text`). Measured on the rendered text with a DOM
   * Range, so it is what the user sees.
   */
  async renderedLines(container: Locator, text: string): Promise<number> {
    return container.evaluate((root, wanted) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // A no-break space reads as a space (same length, so the offsets still hold).
        const at = node.textContent?.replace(/\u00a0/g, ' ').indexOf(wanted) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        return tops.size;
      }
      return 0;
    }, text);
  }

  /** Clicks a view container's activity bar entry (opening the side bar on it) unless it is already open. */
  async openViewContainer(title: string): Promise<void> {
    await this.dismissHover();
    const entry = this.activityBarEntry(title);
    const shown = this.page.locator('.sidebar .composite.title', { hasText: title });
    // The entry can still read "expanded" while the side bar itself is hidden: what counts is the side bar showing it.
    if (!(await shown.isVisible())) await entry.click({ timeout: defaultTimeoutMs });
    await shown.waitFor({ timeout: defaultTimeoutMs });
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

  /** Saves a screenshot of the window (or of `options.clip`) as `<screenshotDir>/<name>.png`. */
  async screenshot(name: string, options: ScreenshotOptions = {}): Promise<Screenshot> {
    const file = path.join(this.screenshotDir, `${name}.png`);
    // Nothing should be caught mid-transition (a fading hover, a sliding section) in a picture people look at.
    const png = await this.page.screenshot({ path: file, animations: 'disabled', ...(options.clip ? { clip: options.clip } : {}) });
    if (options.readme && process.env[updateScreenshotsVariable] === '1') {
      fs.mkdirSync(readmeScreenshotDir, { recursive: true });
      const published = path.join(readmeScreenshotDir, `${name}.png`);
      fs.copyFileSync(file, published);
      console.log(`      updated ${path.relative(repoRoot, published)}`);
    }
    return { file, png };
  }

  /** The window region of the activity bar and the side bar, with the side bar's full height. */
  async sideBarRegion(): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await this.sideBar.part.boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    return { x: 0, y: box.y, width: Math.ceil(box.x + box.width), height: Math.ceil(box.height) };
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

  /** A row of the open Quick Pick or Command Palette, by its exact label. */
  private quickPickItem(label: string): Locator {
    return this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
  }

  private async dismissHover(): Promise<void> {
    await this.page.mouse.move(1, 1);
    await this.page.locator('.monaco-hover:visible').waitFor({ state: 'hidden', timeout: defaultTimeoutMs });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
