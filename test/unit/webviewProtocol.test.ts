// The messages between the host and the sidebar webviews: what each side accepts and how it says what it refused;
// the page's CSP; the sorting, filtering and sparkline geometry the webview applies to the data it is given.
import * as assert from 'node:assert/strict';
import { createNonce, webviewHtml } from '../../src/client/sidebar/webviewPage';
import {
  contextUiStateSchema,
  exploreUiStateSchema,
  isOpenableUrl,
  parseHostMessage,
  parseWebviewMessage,
  type ProblemView,
  type QuoteView,
} from '../../src/shared/webviewProtocol';
import { filterQuotes, matchesSearch, sortProblems } from '../../src/webview/order';
import { SPARKLINE_HEIGHT, SPARKLINE_WIDTH, sparklinePoints } from '../../src/webview/sparkline';

describe('webview messages', () => {
  it('accepts every message a webview sends', () => {
    const messages = [
      { method: 'webview/ready', params: { view: 'context' } },
      { method: 'webview/didRender', params: { view: 'explore', seq: 3, testIds: { 'explore-feature': 5 } } },
      { method: 'webview/didFail', params: { view: 'context', message: 'boom' } },
      { method: 'link/open', params: { url: 'https://support.example.com/tickets/1' } },
      { method: 'file/open', params: { uri: 'file:///ws/.customer-lens.yml', line: 17 } },
      { method: 'map/create', params: {} },
      { method: 'map/addToFeature', params: { uri: 'file:///ws/src/a.ts' } },
      { method: 'map/reveal', params: { featureId: 'checkout' } },
      { method: 'context/refresh', params: {} },
      { method: 'explore/openFeature', params: { featureId: 'search' } },
      { method: 'explore/openFeature', params: {} },
    ];
    for (const message of messages) assert.ok(parseWebviewMessage(message).ok, JSON.stringify(message));
  });

  it('refuses unknown methods and malformed params, saying which and where', () => {
    const unknown = parseWebviewMessage({ method: 'shell/exec', params: { cmd: 'rm -rf /' } });
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.error, /^invalid message method=shell\/exec: method: Invalid discriminator value\. Expected 'webview\/ready' \| /);
    const badLine = parseWebviewMessage({ method: 'file/open', params: { uri: 'file:///a', line: -2 } });
    assert.equal(badLine.ok, false);
    assert.match(badLine.ok ? '' : badLine.error, /^invalid message method=file\/open: params\.line: /);
    assert.equal(parseWebviewMessage('webview/ready').ok, false);
    assert.equal(parseWebviewMessage(null).ok, false);
  });

  it('accepts a host model only when it fits its state', () => {
    const loading = { method: 'context/didChange', params: { seq: 1, model: { state: 'loading', file: { uri: 'file:///a.ts', name: 'a.ts' } } } };
    assert.ok(parseHostMessage(loading).ok);
    const mappedWithoutFeatures = {
      method: 'context/didChange',
      params: { seq: 2, model: { state: 'mapped', file: { uri: 'file:///a.ts', name: 'a.ts' }, features: [], banners: [], sourceText: '' } },
    };
    const refused = parseHostMessage(mappedWithoutFeatures);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /params\.model\.features/);
  });

  it('refuses a model carrying a link that is not https', () => {
    const withLink = (url: string) => ({
      method: 'explore/didChange',
      params: {
        seq: 1,
        model: {
          state: 'ready',
          features: [],
          opened: {
            state: 'ready',
            featureId: 'x',
            detail: { featureId: 'x', name: 'X', owners: [], customers: { segments: [], companies: [], topProblems: [], quotes: [] }, modules: [], links: [{ title: 'L', url }] },
          },
        },
      },
    });
    assert.equal(parseHostMessage(withLink('https://wiki.example.com/x')).ok, true);
    const refused = parseHostMessage(withLink('javascript:alert(1)'));
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /params\.model\.opened\.detail\.links\.0\.url: expected an https URL/);
  });

  it('opens only https URLs', () => {
    assert.equal(isOpenableUrl('https://support.example.com/t/1'), true);
    for (const url of ['http://support.example.com/t/1', 'javascript:alert(1)', 'command:workbench.action.quit', 'file:///etc/passwd', 'not a url']) {
      assert.equal(isOpenableUrl(url), false, url);
    }
  });

  it('reads persisted UI state from an older or damaged version with defaults', () => {
    assert.deepEqual(contextUiStateSchema.parse({}), { problemSort: 'customers', segments: {}, toggled: [] });
    assert.deepEqual(contextUiStateSchema.parse({ problemSort: 'alphabetical', segments: 3, toggled: ['billing'] }), {
      problemSort: 'customers',
      segments: {},
      toggled: ['billing'],
    });
    assert.deepEqual(exploreUiStateSchema.parse({ search: 7, openFeatureId: 'search' }), { search: '', openFeatureId: 'search' });
  });
});

describe('webview page', () => {
  it('allows only our stylesheet, our nonce’d script and images from our folders', () => {
    const nonce = createNonce();
    const html = webviewHtml('context', 'https://file+.vscode-resource.vscode-cdn.net', 'https://x/sidebar.js', 'https://x/sidebar.css', nonce);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.equal(
      csp,
      `default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; script-src 'nonce-${nonce}'; img-src https://file+.vscode-resource.vscode-cdn.net data:`,
    );
    assert.equal((html.match(/<script /g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/sidebar.js"></script>`));
    assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handlers');
    assert.ok(html.includes('<body data-view="context">'));
  });

  it('uses a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.equal(Buffer.from(nonce, 'base64').length, 16);
  });
});

function problem(id: string, customers: number | undefined, severityRank: number, updatedAt: number, open = true): ProblemView {
  return { id, title: id, severityRank, updatedAt, open, ...(customers !== undefined ? { customers } : {}) };
}

describe('webview ordering', () => {
  const problems = [problem('few-critical-old', 3, 4, 100), problem('many-low-new', 90, 1, 300), problem('unknown-medium-mid', undefined, 2, 200), problem('many-high-old', 90, 3, 50)];

  it('sorts problems by customers affected, severity or recency, ties broken by the others', () => {
    assert.deepEqual(sortProblems(problems, 'customers').map((p) => p.id), ['many-high-old', 'many-low-new', 'few-critical-old', 'unknown-medium-mid']);
    assert.deepEqual(sortProblems(problems, 'severity').map((p) => p.id), ['few-critical-old', 'many-high-old', 'unknown-medium-mid', 'many-low-new']);
    assert.deepEqual(sortProblems(problems, 'recency').map((p) => p.id), ['many-low-new', 'unknown-medium-mid', 'few-critical-old', 'many-high-old']);
  });

  it('lists solved problems last in every order', () => {
    const withSolved = [problem('solved-many-critical-new', 500, 4, 900, false), ...problems];
    for (const order of ['customers', 'severity', 'recency'] as const) {
      assert.equal(sortProblems(withSolved, order).at(-1)?.id, 'solved-many-critical-new', `sorted by ${order}`);
    }
    assert.equal(problems[0]?.id, 'few-critical-old', 'the input is left as it was');
  });

  it('filters quotes by segment, and shows all for a segment no quote has', () => {
    const quotes: QuoteView[] = [
      { id: 'a', text: 'A', attribution: '', segment: 'Enterprise' },
      { id: 'b', text: 'B', attribution: '', segment: 'SMB' },
      { id: 'c', text: 'C', attribution: '' },
    ];
    assert.deepEqual(filterQuotes(quotes, 'SMB').map((q) => q.id), ['b']);
    assert.deepEqual(filterQuotes(quotes, undefined).map((q) => q.id), ['a', 'b', 'c']);
    assert.deepEqual(filterQuotes(quotes, 'Gone').map((q) => q.id), ['a', 'b', 'c']);
  });

  it('matches every search word anywhere in a feature', () => {
    assert.equal(matchesSearch(['checkout', 'Checkout', 'Turning a cart into a paid order', '@shop/payments'], 'paid PAYMENTS'), true);
    assert.equal(matchesSearch(['search', 'Search', undefined], 'paid'), false);
    assert.equal(matchesSearch(['x'], '   '), true);
  });
});

describe('sparkline geometry', () => {
  it('spreads points across the width with the maximum at the top and the minimum at the bottom', () => {
    const points = sparklinePoints([10, 30, 20]);
    assert.equal(points.length, 3);
    assert.equal(points[0]?.x, 2);
    assert.equal(points[2]?.x, SPARKLINE_WIDTH - 2);
    assert.equal(points[1]?.y, 2, 'the maximum touches the top padding');
    assert.equal(points[0]?.y, SPARKLINE_HEIGHT - 2, 'the minimum touches the bottom padding');
    assert.equal(points[2]?.y, SPARKLINE_HEIGHT / 2);
  });

  it('draws a flat series across the middle and nothing for fewer than two values', () => {
    assert.deepEqual(sparklinePoints([5, 5]).map((p) => p.y), [SPARKLINE_HEIGHT / 2, SPARKLINE_HEIGHT / 2]);
    assert.deepEqual(sparklinePoints([5]), []);
    assert.deepEqual(sparklinePoints([Number.NaN, 4]), []);
  });
});
