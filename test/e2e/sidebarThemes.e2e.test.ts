// The Context view in a light and a dark theme, switched with "Preferences: Color Theme" as a user would, in one
// window. Each theme is checked as a user sees it: the side bar's pixels are light or dark, and the view's text and
// sparklines stand out from its background. The screenshots are the README's media/screenshots/sidebar-light.png
// and sidebar-dark.png (copied there with CUSTOMER_LENS_UPDATE_SCREENSHOTS=1).
import * as assert from 'node:assert/strict';
import { contrastRatio, meanLuminance, parseCssColor } from './appearance';
import type { ColorTheme } from './workbench';
import { useWorkbenchSession } from './workbenchSession';

const themes: Array<ColorTheme & { screenshot: string }> = [
  { label: 'Light Modern', kind: 'light', workbenchClass: 'vscode-theme-defaults-themes-light_modern-json', screenshot: 'sidebar-light' },
  { label: 'Dark Modern', kind: 'dark', workbenchClass: 'vscode-theme-defaults-themes-dark_modern-json', screenshot: 'sidebar-dark' },
];

describe('The Context view in a light and a dark theme', function () {
  // Resizing, opening a file and dragging the side bar take a while on a busy machine.
  this.timeout(180_000);
  const session = useWorkbenchSession();

  before(async () => {
    const { workbench } = session();
    // A tall window and a wide side bar: the view then shows a feature's usage, problems and first quote at once.
    await workbench.resize(1400, 1300);
    await workbench.openFile('src/checkout/couponStep.ts');
    await workbench.openViewContainer('Customer Lens');
    await workbench.sideBar.showOnly('Context');
    await workbench.sideBar.dragToWidth(500);
    // The theme picker gives the focus back to where it was: not a section header, whose focus ring would show.
    await workbench.focusEditor();
  });

  for (const theme of themes) {
    it(`is ${theme.kind} and readable in ${theme.label}`, async () => {
      const { workbench } = session();
      await workbench.selectColorTheme(theme);
      const view = await workbench.webview('context-view');
      // The webview is told the theme as well: its high-contrast rules key on this class.
      await view.locator(`body.vscode-${theme.kind}`).waitFor();
      await workbench.webviewText('context-view', 'Coupon codes rejected at the coupon step');

      // What the picture has to show: sparklines, problems and a quote, all within the view, not scrolled away.
      await view
        .waitForFunction(() => {
          const quote = document.querySelector('[data-testid="quote"] blockquote');
          return !!quote && quote.getBoundingClientRect().bottom <= window.innerHeight;
        })
        .catch((error: Error) => {
          throw new Error(`the first quote is not within the Context view at a 1400x1300 window and a 500 px side bar`, { cause: error });
        });
      const counts = await view.evaluate(() =>
        Object.fromEntries(['sparkline', 'problem', 'problem-status', 'quote', 'usage-change'].map((id) => [id, document.querySelectorAll(`[data-testid="${id}"]`).length])),
      );
      assert.deepEqual(counts, { sparkline: 3, problem: 4, 'problem-status': 4, quote: 5, 'usage-change': 3 });

      const colors = await view.evaluate(() => ({
        text: getComputedStyle(document.querySelector('[data-testid="feature-why"]') ?? document.body).color,
        sparkline: getComputedStyle(document.querySelector('[data-testid="sparkline"] polyline') ?? document.body).stroke,
      }));
      // The webview's page is transparent: what shows behind its text is the side bar's own background.
      const background = parseCssColor(await workbench.sideBar.part.evaluate((part) => getComputedStyle(part).backgroundColor));
      const textContrast = contrastRatio(parseCssColor(colors.text), background);
      const sparklineContrast = contrastRatio(parseCssColor(colors.sparkline), background);

      const shot = await workbench.screenshot(theme.screenshot, { clip: await workbench.sideBarRegion(), readme: true });
      const browser = workbench.page.context().browser();
      assert.ok(browser, 'the page has no browser to decode the screenshot with');
      const luminance = await meanLuminance(browser, shot.png);
      console.log(`      ${theme.label}: side bar luminance ${luminance.toFixed(2)}, text contrast ${textContrast.toFixed(1)}:1, sparkline contrast ${sparklineContrast.toFixed(1)}:1`);

      if (theme.kind === 'light') assert.ok(luminance > 0.6, `the side bar should look light in ${theme.label}; its mean luminance is ${luminance.toFixed(2)} (${shot.file})`);
      else assert.ok(luminance < 0.2, `the side bar should look dark in ${theme.label}; its mean luminance is ${luminance.toFixed(2)} (${shot.file})`);
      assert.ok(textContrast >= 4.5, `text (${colors.text}) on the side bar (${JSON.stringify(background)}) has a contrast of ${textContrast.toFixed(2)}:1 in ${theme.label}; text needs 4.5:1`);
      assert.ok(sparklineContrast >= 3, `sparklines (${colors.sparkline}) have a contrast of ${sparklineContrast.toFixed(2)}:1 in ${theme.label}; graphics need 3:1`);
    });
  }
});
