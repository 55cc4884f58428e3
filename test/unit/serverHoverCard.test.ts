// The hover card's text, case by case: what a reader sees, and that nothing a context source sends can format, link,
// run a command or inject HTML. Plus the anchor finder and the settings rules (Restricted Mode, tokens per origin).
import * as assert from 'node:assert/strict';
import { anchorCandidates } from '../../src/server/anchors';
import { freshnessText, renderFeatureCard, type CardInput } from '../../src/server/hoverCard';
import { formatAge, formatChange, formatCount, formatMoney } from '../../src/shared/displayFormat';
import { link, shorten, text } from '../../src/shared/markdownText';
import { resolveSettings, TokenStore } from '../../src/server/settings';
import { codeLensTitle } from '../../src/server/codeLens';
import type { FeatureContext } from '../../src/shared/contextProtocol';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;

/** The card's markdown, its no-break spaces (which keep figures like "▲ 35%" together) read as spaces. */
function card(context: FeatureContext | undefined, overrides: Partial<CardInput> = {}): string {
  return renderCard(context, overrides).replace(/\u00a0/g, ' ');
}

function renderCard(context: FeatureContext | undefined, overrides: Partial<CardInput> = {}): string {
  return renderFeatureCard({
    feature: { id: 'checkout', name: 'Checkout', description: 'Map description.', owners: ['@shop/payments'], links: [] },
    context,
    freshness: { state: 'synced', source: 'endpoint', fetchedAt: NOW - 3 * HOUR, origin: 'https://context.example.com' },
    reason: { kind: 'file', pattern: '/src/checkout/', mapFile: '.customer-lens.yml', line: 17 },
    now: NOW,
    sidebarLink: true,
    ...overrides,
  });
}

describe('hover card', () => {
  it('reads counts as 4.1k, changes as arrows, money with its currency', () => {
    assert.deepEqual(
      [0, 12, 999, 1000, 4100, 18_420, 99_960, 386_400, 1_250_000, 2_000_000_000, 0.5].map(formatCount),
      ['0', '12', '999', '1k', '4.1k', '18.4k', '100k', '386k', '1.3M', '2B', '0.5'],
    );
    assert.deepEqual([0.35, -0.08, 0, 0.004].map(formatChange), ['▲ 35%', '▼ 8%', '± 0%', '± 0%']);
    assert.deepEqual([formatMoney(386_400, 'USD'), formatMoney(412_000, 'eur'), formatMoney(1200, 'CHF'), formatMoney(5, undefined)], ['$386k', '€412k', '1.2k CHF', '5']);
  });

  it('says how fresh the context is', () => {
    assert.equal(formatAge(NOW - 30_000, NOW), 'just now');
    assert.equal(formatAge(NOW - 12 * 60_000, NOW), '12 min ago');
    assert.equal(formatAge(NOW - 3 * HOUR, NOW), '3 h ago');
    assert.equal(formatAge(NOW - 30 * HOUR, NOW), '1 day ago');
    assert.equal(freshnessText({ state: 'synced', source: 'endpoint', fetchedAt: NOW - 3 * HOUR }, NOW), 'updated 3 h ago');
    assert.equal(freshnessText({ state: 'offline', source: 'endpoint', fetchedAt: NOW - 50 * HOUR }, NOW), 'offline — cached 2 days ago');
    assert.equal(freshnessText({ state: 'offline', source: 'endpoint' }, NOW), 'offline — nothing cached');
    assert.equal(freshnessText({ state: 'stale', source: 'endpoint', fetchedAt: NOW - 2 * HOUR }, NOW), 'stale — updated 2 h ago, refreshing');
    assert.equal(freshnessText({ state: 'synced', source: 'file', origin: '/repo/customer-context.json' }, NOW), 'from customer-context.json');
  });

  it('cuts long text with "…" and keeps it on one line', () => {
    assert.equal(shorten('a'.repeat(300), 10), `${'a'.repeat(9)}…`);
    assert.equal(shorten('line one\n\n# line two', 100), 'line one # line two');
    const long = card({ id: 'checkout', problems: [{ id: 'p', title: `Coupon ${'very '.repeat(60)}long`, customers: 3 }] });
    const line = long.split('\n').find((l) => l.startsWith('- '))!;
    assert.match(line, / very… — 3 customers$/);
    assert.ok(line.length < 140, line);
  });

  it('escapes every remote string: no formatting, no HTML, no links, no commands, no new blocks', () => {
    const evil: FeatureContext = {
      id: 'checkout',
      name: 'Checkout <img src=x onerror=alert(1)>',
      summary: '# Heading\n\n[click me](command:workbench.action.terminal.new) and https://evil.example.com and *bold* `code` &amp; a@b.co',
      problems: [
        { id: 'p', title: '](command:evil) [x](javascript:alert(1))', customers: 5, url: 'javascript:alert(1)' },
        { id: 'p2', title: 'ok', customers: 1, url: 'https://fine.example.com/a(b)c' },
      ],
      quotes: [{ id: 'q', text: '> quoted\n- list | pipe ~~strike~~ 1. one', author: '**Eve**', url: 'http://plain.example.com/q' }],
      usage: [{ id: 'u', label: '<script>', value: 3, unit: '_u_' }],
      links: [{ title: 'ok', url: 'https://fine.example.com/a(b)c' }],
    };
    // With customer data the card has no room for the summary; without, the map's description stands in.
    const markdown = `${card(evil)}\n\n${card(undefined, { feature: { id: 'checkout', name: 'Checkout', description: evil.summary, owners: [], links: [] }, sidebarLink: false })}`;
    assert.doesNotMatch(markdown, /(^|[^\\])<(img|script)/m, 'raw HTML');
    assert.doesNotMatch(markdown, /(^|[^\\])\]\((?!https:\/\/|command:customerLens\.openSidebar )/m, 'a link target other than https or the sidebar');
    assert.equal(markdown.match(/(^|[^\\])\]\(command:/gm)?.length, 1, 'only the sidebar link runs a command');
    assert.doesNotMatch(markdown, /^#/m, 'a remote heading');
    assert.doesNotMatch(markdown, /https:\/\/evil/, 'a bare URL GFM would autolink');
    assert.match(markdown, /\\# Heading &#91;click me&#93;\\\(command:workbench/);
    assert.match(markdown, /\\\*bold\\\* \\`code\\` \\&amp; a\\@b\.co/);
    assert.match(markdown, /\[ok\]\(https:\/\/fine\.example\.com\/a%28b%29c\)/, 'parentheses in a URL cannot end the link');
    // The problem's javascript: url is not linked; the quote's http url is not linked either (https only).
    assert.match(markdown, /- &#93;\\\(command:evil\\\) &#91;x&#93;\\\(javascript:alert\\\(1\\\)\\\) — 5 customers/);
    assert.doesNotMatch(markdown, /\[source\]\(http:/);
    assert.match(markdown, /> “\\> quoted - list \\\| pipe \\~\\~strike\\~\\~ 1\. one”/);
    assert.match(markdown, /” — \\\*\\\*Eve\\\*\\\*$/m);
  });

  it('links only https URLs', () => {
    assert.equal(link('a', 'https://x.example.com/t?id=1'), '[a](https://x.example.com/t?id=1)');
    assert.equal(link('a', 'http://x.example.com'), 'a');
    assert.equal(link('a', 'https://user:pw@x.example.com'), 'a');
    assert.equal(link('a', 'command:foo'), 'a');
    assert.equal(text('[a](b)'), '&#91;a&#93;\\(b\\)', 'brackets as character references (escapes do not survive in a link label), parentheses escaped');
  });

  it('says plainly when there is no context, and why', () => {
    assert.match(card(undefined), /\*No customer context for this feature yet\.\*/);
    assert.match(card(undefined, { freshness: { state: 'none', source: 'none' } }), /No customer context source: set `customerLens\.endpoint`/);
    const offline = card(undefined, { freshness: { state: 'offline', source: 'endpoint', error: 'https://context.example.com is unreachable' } });
    assert.match(offline, /\*Customer context is unavailable right now\.\*/);
    assert.match(offline, /⚠ https\\:\/\/context\.example\.com is unreachable/);
    assert.match(offline, /offline — nothing cached/);
  });

  it('leaves the sidebar link out for clients that do not render command links', () => {
    assert.doesNotMatch(card(undefined, { sidebarLink: false }), /command:/);
  });

  it('titles the CodeLens with open problems, quotes and the usage headline', () => {
    const feature = {
      id: 'checkout',
      name: 'Checkout',
      owners: [],
      primary: true,
      why: { pattern: '/src/', mapFileUri: 'file:///m', line: 1 },
      symbols: [],
      events: [],
      links: [],
      context: {
        id: 'checkout',
        problems: [
          { id: 'a', title: 'a', status: 'open' as const },
          { id: 'b', title: 'b' },
          { id: 'c', title: 'c', status: 'in-progress' as const },
          { id: 'd', title: 'd', status: 'solved' as const },
        ],
        quotes: Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, text: 'x' })),
        usage: [{ id: 'u', label: 'Weekly users', value: 4100 }],
      },
    };
    assert.equal(codeLensTitle(feature, 0, { state: 'synced', source: 'endpoint' }), 'Checkout · 3 open problems · 12 quotes · 4.1k weekly users');
    assert.equal(codeLensTitle(feature, 1, { state: 'offline', source: 'endpoint' }), 'Checkout (+1) · 3 open problems · 12 quotes · 4.1k weekly users · offline');
    assert.equal(codeLensTitle({ ...feature, context: undefined }, 0, { state: 'none', source: 'none' }), 'Checkout · no customer context source');
  });

  it('counts open problems in the card heading exactly as the CodeLens does', () => {
    const problems = [
      { id: 'a', title: 'a', status: 'open' as const, customers: 3 },
      { id: 'b', title: 'b', customers: 2 },
      { id: 'c', title: 'c', status: 'in-progress' as const, customers: 1 },
      { id: 'd', title: 'd', status: 'solved' as const, customers: 9 },
    ];
    assert.match(card({ id: 'checkout', problems }), /^\*\*Checkout\*\* · \\@shop\/payments · 3 open problems\n/);
    assert.doesNotMatch(card({ id: 'checkout', problems }), /\bd\b — 9 customers/, 'a solved problem is not listed');
    assert.match(card({ id: 'checkout', problems: [problems[3]!] }), /· no open problems\n/);
  });

  it('never lets a figure wrap apart: arrows, counts and money are joined with no-break spaces', () => {
    const markdown = renderCard({ id: 'checkout', problems: [{ id: 'a', title: 'Coupons', customers: 42, arr: 386_400, currency: 'USD', trend: 0.35, status: 'in-progress' }] });
    assert.match(markdown, /— 42\u00a0customers · \$386k\u00a0ARR · ▲\u00a035% · in\u00a0progress$/m);
  });
});

describe('anchors', () => {
  const kinds = (line: string, character: number) => anchorCandidates(line, character).map((c) => [c.kind, c.text]);

  it('finds a comment tag, a string literal and an identifier under the cursor', () => {
    assert.deepEqual(kinds('  // customer-lens: billing', 22), [
      ['tag', 'billing'],
      ['symbol', 'billing'],
    ]);
    assert.deepEqual(kinds("track('coupon_applied', {})", 10), [
      ['event', 'coupon_applied'],
      ['symbol', 'coupon_applied'],
    ]);
    assert.deepEqual(kinds('await applyCoupon(cart)', 8), [['symbol', 'applyCoupon']]);
    assert.deepEqual(kinds('# customer-lens: search', 18), [
      ['tag', 'search'],
      ['symbol', 'search'],
    ]);
    assert.deepEqual(kinds('<!-- customer-lens: onboarding -->', 25), [
      ['tag', 'onboarding'],
      ['symbol', 'onboarding'],
    ]);
  });

  it('ignores a tag outside a comment, and a position between anchors', () => {
    assert.ok(!kinds("const s = 'customer-lens: billing';", 28).some(([kind]) => kind === 'tag'));
    assert.deepEqual(kinds('a  b', 2), []);
  });
});

describe('settings', () => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  beforeEach(() => (warnings.length = 0));

  it('validates each field, falls back to its default and says which setting was wrong', () => {
    const settings = resolveSettings({ hover: { mode: 'sometimes' }, cacheTtlMinutes: -1, requestTimeoutMs: 2500, codeLens: { enabled: false } }, {}, true, warn);
    assert.equal(settings.hoverMode, 'anchors');
    assert.equal(settings.ttlMs, 10 * 60_000);
    assert.equal(settings.requestTimeoutMs, 2500);
    assert.equal(settings.codeLensEnabled, false);
    assert.deepEqual(warnings.map((w) => w.split(' ignored')[0]).sort(), ['setting customerLens.cacheTtlMinutes', 'setting customerLens.hover.mode']);
  });

  it('lets editor settings win over initializationOptions', () => {
    const init = { endpoint: 'https://init.example.com', hover: { mode: 'file' as const } };
    assert.equal(resolveSettings({}, init, true, warn).endpoint, 'https://init.example.com');
    assert.equal(resolveSettings({}, init, true, warn).hoverMode, 'file');
    const both = resolveSettings({ endpoint: 'https://settings.example.com', hover: { mode: 'off' } }, init, true, warn);
    assert.equal(both.endpoint, 'https://settings.example.com');
    assert.equal(both.hoverMode, 'off');
  });

  it('in Restricted Mode ignores a workspace or folder endpoint, and keeps a user one', () => {
    for (const level of ['workspace', 'workspaceFolder'] as const) {
      assert.equal(resolveSettings({ endpoint: 'https://repo.example.com', endpointLevel: level }, {}, false, warn).endpoint, undefined);
      assert.equal(resolveSettings({ endpoint: 'https://repo.example.com', endpointLevel: level }, {}, true, warn).endpoint, 'https://repo.example.com');
    }
    assert.equal(
      resolveSettings({ endpoint: 'https://repo.example.com', endpointLevel: 'workspace', userEndpoint: 'https://mine.example.com' }, {}, false, warn).endpoint,
      'https://mine.example.com',
    );
    assert.equal(resolveSettings({ endpoint: 'https://mine.example.com', endpointLevel: 'user' }, {}, false, warn).endpoint, 'https://mine.example.com');
  });

  it('gives a token only to its own origin, and none in Restricted Mode', () => {
    const tokens = new TokenStore({ tokens: { 'https://a.example.com': 'A' } }, true);
    assert.equal(tokens.tokenFor('https://a.example.com/api'), 'A');
    assert.equal(tokens.tokenFor('https://a.example.com:8443/api'), undefined);
    assert.equal(tokens.tokenFor('https://b.example.com'), undefined);
    tokens.set('B', 'https://b.example.com');
    assert.equal(tokens.tokenFor('https://b.example.com/x'), 'B');
    tokens.set(undefined, 'https://a.example.com');
    assert.equal(tokens.tokenFor('https://a.example.com/api'), undefined);

    const bound = new TokenStore({ endpoint: 'https://a.example.com/api', token: 'A' }, true);
    assert.equal(bound.tokenFor('https://a.example.com/api'), 'A');
    assert.equal(bound.tokenFor('https://b.example.com/api'), undefined, 'a token given with an endpoint belongs to that endpoint');
    const unbound = new TokenStore({ token: 'T' }, true);
    assert.equal(unbound.tokenFor('https://configured.example.com'), 'T', 'no endpoint in initializationOptions: the configured one');

    const restricted = new TokenStore({ tokens: { 'https://a.example.com': 'A' }, token: 'T' }, false);
    assert.equal(restricted.tokenFor('https://a.example.com'), undefined);
  });
});
