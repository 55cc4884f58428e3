// The side bar as a user handles it: open or fold a view's section, drag the side bar wider, expand tree items and
// read their labels, use an item's inline action. Every step waits for what the user would see.
import type { Locator, Page } from 'playwright-core';

// Generous: the machine running the tests may be shared and busy; a step that works waits only as long as it needs.
const defaultTimeoutMs = 45_000;

/** One rendered row of a tree view, as the user reads it. */
export interface TreeRow {
  /** 1 for top-level items. */
  level: number;
  label: string;
  /** The grey text after the label (counts, folders), or '' when there is none. */
  description: string;
}

export class SideBar {
  constructor(private readonly page: Page) {}

  /** The side bar part (all sections of the open view container). */
  get part(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** A section's header, by the view's name ("Context", "Feature Map", …). */
  sectionHeader(view: string): Locator {
    return this.part.locator(`.pane-header[aria-label="${view} Section"]`);
  }

  /** A section (header and body), by the view's name. */
  section(view: string): Locator {
    return this.part.locator('.pane', { has: this.page.locator(`.pane-header[aria-label="${view} Section"]`) });
  }

  /** Unfolds or folds a section by clicking its header, unless it already is that way. */
  async setSectionExpanded(view: string, expanded: boolean): Promise<void> {
    const header = this.sectionHeader(view);
    await header.waitFor({ timeout: defaultTimeoutMs });
    if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
    await this.part.locator(`.pane-header[aria-label="${view} Section"][aria-expanded="${expanded}"]`).waitFor({ timeout: defaultTimeoutMs });
  }

  /** Shows exactly the given sections unfolded (in the container that is open) and folds the others. */
  async showOnly(...views: string[]): Promise<void> {
    const labels = await this.part.locator('.pane-header').evaluateAll((headers) => headers.map((header) => header.getAttribute('aria-label') ?? ''));
    const names = labels.map((label) => label.replace(/ Section$/, ''));
    const missing = views.filter((view) => !names.includes(view));
    if (missing.length > 0) throw new Error(`the side bar has no section ${missing.join(', ')}; it has ${names.join(', ')}`);
    // Unfold first: folding every section for a moment would let the workbench resize the others.
    for (const view of views) await this.setSectionExpanded(view, true);
    for (const name of names.filter((name) => !views.includes(name))) await this.setSectionExpanded(name, false);
  }

  /** Drags the sash on the side bar's right edge until the side bar is `width` pixels wide. */
  async dragToWidth(width: number): Promise<void> {
    const box = await this.part.boundingBox();
    if (!box) throw new Error('the side bar is not visible');
    const y = box.y + box.height / 2;
    // The sash straddles the side bar's right edge.
    await this.page.mouse.move(box.x + box.width + 2, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width + 2, y, { steps: 8 });
    await this.page.mouse.up();
    // Away from the sash, which stays highlighted while the mouse is on it.
    await this.page.mouse.move(1, 1);
    try {
      await this.page.waitForFunction((wanted) => Math.abs((document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0) - wanted) <= 2, width, { timeout: defaultTimeoutMs });
    } catch (error) {
      const reached = (await this.part.boundingBox())?.width;
      throw new Error(`dragging the side bar's edge made it ${reached} px wide, not ${width} px`, { cause: error });
    }
  }

  /** The rows of a tree view section. */
  treeRows(view: string): Locator {
    return this.section(view).locator('.monaco-list-row[role="treeitem"]');
  }

  /** A row of a tree view section by its label (exact). */
  treeItem(view: string, label: string): Locator {
    return this.treeRows(view).filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
  }

  /** Every row the tree shows now (collapsed items' children are not shown). */
  async readTree(view: string): Promise<TreeRow[]> {
    await this.treeRows(view).first().waitFor({ timeout: defaultTimeoutMs });
    return this.treeRows(view).evaluateAll((rows) =>
      rows
        .map((row) => ({
          top: row.getBoundingClientRect().top,
          level: Number(row.getAttribute('aria-level') ?? '0'),
          label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        }))
        // The list recycles row elements; their order on screen is the tree's order.
        .sort((a, b) => a.top - b.top)
        .map(({ level, label, description }) => ({ level, label, description })),
    );
  }

  /**
   * Expands a tree item by clicking its twistie, unless it is expanded already, and waits until its children show:
   * the tree marks a row expanded before the extension has answered for its children.
   */
  async expandTreeItem(view: string, label: string): Promise<void> {
    const row = this.treeItem(view, label);
    await row.waitFor({ timeout: defaultTimeoutMs });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    await this.treeRows(view)
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) })
      .and(this.page.locator('[aria-expanded="true"]'))
      .first()
      .waitFor({ timeout: defaultTimeoutMs });
    const deadline = Date.now() + defaultTimeoutMs;
    for (;;) {
      const rows = await this.readTree(view);
      const index = rows.findIndex((candidate) => candidate.label === label);
      if (index >= 0 && (rows[index + 1]?.level ?? 0) > rows[index].level) return;
      if (Date.now() > deadline) throw new Error(`"${label}" in ${view} is expanded but showed no children within ${defaultTimeoutMs} ms`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Clicks an inline action (the icon shown on hover, e.g. "Reveal in Map") of a tree item. */
  async runTreeItemAction(view: string, label: string, action: string): Promise<void> {
    const row = this.treeItem(view, label);
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${action}"]`).click();
  }
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
