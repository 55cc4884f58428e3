// Text from a context source or a map, as each surface shows it: the hover card rendered the way VS Code renders it
// (marked), the CodeLens title and the status bar text as VS Code draws labels (icons from `$(name)`), and the
// sidebar's view model. Nothing in that text may become a link, an image, HTML, an icon, or reordered characters.
import * as assert from 'node:assert/strict';
import { buildContextViewModel } from '../../src/client/sidebar/contextViewModel';
import { statusBarContent } from '../../src/client/statusBarContent';
import { createContextService } from '../../src/context/contextService';
import { parseMapFile } from '../../src/map/mapFile';
import { codeLensTitle } from '../../src/server/codeLens';
import { renderFeatureCard, type CardInput } from '../../src/server/hoverCard';
import { parseContextResponse, type FeatureContext } from '../../src/shared/contextProtocol';
import { neutralizeStrings } from '../../src/shared/safeText';
import type { FileContextResult, FileFeature } from '../../src/shared/lspProtocol';
import { captureLog, FaultServer } from './support/faultServer';
import { iconsInLabel, unsafeCharactersIn } from './support/hostileChecks';
import { renderLikeVsCodeHover } from './support/renderedMarkdown';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const PROBLEM_URL = 'https://support.example.com/t/1';
const QUOTE_URL = 'https://support.example.com/q/1';
const LINK_URL = 'https://wiki.example.com/spec';
const SIDEBAR = 'command:customerLens.openSidebar';

/** A feature whose every string field says `payload`, read through the protocol parser like any endpoint answer. */
function hostileContext(payload: string, urls: { problem?: string; quote?: string; link?: string } = {}): FeatureContext {
  const raw = {
    version: 1,
    features: [
      {
        id: 'checkout',
        name: payload,
        summary: payload,
        problems: [{ id: payload, title: payload, detail: payload, customers: 3, source: payload, url: urls.problem ?? PROBLEM_URL }],
        quotes: [{ id: payload, text: payload, author: payload, company: payload, segment: payload, source: payload, url: urls.quote ?? QUOTE_URL, sentiment: 'negative' }],
        usage: [{ id: payload, label: payload, value: 12, unit: payload, period: payload, event: payload }],
        links: [{ title: payload, url: urls.link ?? LINK_URL }],
      },
    ],
  };
  const parsed = parseContextResponse(raw, 'https://context.example.com/v1/context');
  assert.ok(parsed.ok);
  const feature = parsed.value.features[0];
  assert.ok(feature, `the parser kept the feature for ${JSON.stringify(payload.slice(0, 60))}`);
  return feature;
}

function cardFor(payload: string, context = hostileContext(payload), overrides: Partial<CardInput> = {}): string {
  return renderFeatureCard({
    feature: { id: 'checkout', name: payload, description: payload, owners: [payload], links: [{ title: payload, url: LINK_URL }] },
    context,
    freshness: { state: 'error', source: 'endpoint', fetchedAt: NOW - 60_000, error: payload },
    reason: { kind: 'symbol', anchor: payload, mapFile: payload, line: 3 },
    event: payload,
    now: NOW,
    sidebarLink: true,
    ...overrides,
  });
}

function fileFeature(payload: string, context: FeatureContext | undefined): FileFeature {
  return {
    id: 'checkout',
    name: payload,
    description: payload,
    owners: [payload],
    primary: true,
    why: { pattern: payload, mapFileUri: 'file:///ws/.customer-lens.yml', line: 3 },
    symbols: [payload],
    events: [payload],
    links: [{ title: payload, url: LINK_URL }],
    context,
  };
}

function fileResult(payload: string, context: FeatureContext | undefined): FileContextResult {
  return {
    uri: 'file:///ws/src/checkout/cart.ts',
    path: 'src/checkout/cart.ts',
    map: { state: 'ok', usingLastGood: false, mapFileUris: ['file:///ws/.customer-lens.yml'], errorCount: 0, workspaceFolderUri: 'file:///ws' },
    ignored: false,
    features: [fileFeature(payload, context)],
    freshness: { state: 'error', source: 'endpoint', fetchedAt: NOW - 60_000, origin: 'https://context.example.com', error: payload },
  };
}

/** Every string in a JSON-like value. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

const LINK_PAYLOADS = [
  '[run](command:workbench.action.terminal.new)',
  '[x](http://evil.example.com/a)',
  '![i](https://tracker.example.com/pixel.png)',
  '[![i](https://tracker.example.com/p.png)](https://evil.example.com)',
  '\\[x](http://evil.example.com) \\![i](https://tracker.example.com/q.png)',
  ']](http://evil.example.com) [[x',
  '[a][r]\n\n[r]: https://tracker.example.com/ref.png',
  '<https://evil.example.com> <img src=https://tracker.example.com/h.png>',
  'https://evil.example.com www.evil.example.com a@evil.example.com',
];

describe('hostile text: the hover card as VS Code renders it', () => {
  for (const payload of LINK_PAYLOADS) {
    it(`renders ${JSON.stringify(payload)} in every field as text: no link, image or HTML of its own`, () => {
      const rendered = renderLikeVsCodeHover(cardFor(payload));
      assert.deepEqual(rendered.images, [], 'images (fetched as soon as the card shows)');
      assert.deepEqual(rendered.rawHtml, [], 'raw HTML');
      const hrefs = rendered.links.map((l) => l.href);
      for (const href of hrefs) assert.ok([PROBLEM_URL, QUOTE_URL, LINK_URL, SIDEBAR].includes(href), `a link the card did not make: ${href}`);
      assert.equal(hrefs.filter((h) => h.startsWith('command:')).length, 1, 'the sidebar link is the only command link');
    });
  }

  it('neutralises bidi and control characters in every field', () => {
    const payload = 'safe\u202egnp.exe \u2066x\u2069 \u200f\u061c bell\u0007 esc\u001b[31m c1\u009b';
    const rendered = renderLikeVsCodeHover(cardFor(payload));
    assert.deepEqual(unsafeCharactersIn(rendered.text), []);
    assert.match(rendered.text, /safe.gnp\.exe/, 'the text itself is still shown');
  });

  it('stays small when every URL is long', () => {
    for (const length of [2048, 60_000]) {
      const long = `https://support.example.com/t/${'a'.repeat(length - 30)}`;
      const context = hostileContext('Coupon codes rejected', { problem: long, quote: long, link: long });
      context.problems = [0, 1, 2, 3].map((i) => ({ id: `p${i}`, title: `Problem ${i}`, customers: 5 - i, url: `${long}${i}` }));
      context.links = [0, 1, 2, 3].map((i) => ({ title: `Link ${i}`, url: `${long}/l${i}` }));
      const markdown = cardFor('Coupon codes rejected', context);
      assert.ok(markdown.length <= 20 * 1024, `a card of ${markdown.length} characters with URLs of ${length}`);
    }
  });
});

describe('hostile text: CodeLens and status bar labels', () => {
  const icons = '$(alert) $(loading~spin) \\\\$(bug) $(zap';

  it('never shows remote or map text as icons in the CodeLens', () => {
    const title = codeLensTitle(fileFeature(icons, hostileContext(icons)), 0, { state: 'synced', source: 'endpoint' });
    assert.deepEqual(iconsInLabel(title), []);
    const fromMap = codeLensTitle(fileFeature(icons, undefined), 0, { state: 'synced', source: 'endpoint' });
    assert.deepEqual(iconsInLabel(fromMap), []);
    assert.match(fromMap, /\$\(alert\)/, 'the text is still there, as text');
  });

  it('neutralises bidi and control characters in the CodeLens', () => {
    const payload = 'safe\u202egnp.exe\u0007';
    assert.deepEqual(unsafeCharactersIn(codeLensTitle(fileFeature(payload, hostileContext(payload)), 0, { state: 'synced', source: 'endpoint' })), []);
  });

  it('shows only its own icon in the status bar, and no bidi or control characters', () => {
    for (const payload of [icons, 'safe\u202egnp.exe\u0007']) {
      const content = statusBarContent(fileResult(payload, hostileContext(payload)));
      assert.deepEqual(iconsInLabel(content.text), ['comment-discussion', 'warning']);
      assert.deepEqual(unsafeCharactersIn(content.text), []);
      assert.deepEqual(unsafeCharactersIn(content.tooltip), []);
    }
  });
});

describe('hostile text: the sidebar view model', () => {
  it('passes through one last guard before any webview: every string of a model neutralised, the rest untouched', () => {
    const model = { state: 'ready', features: [{ id: 'a', purpose: 'safe\u202egnp.exe', count: 3, flags: [true, null], modules: [{ comment: '\u2066x\u2069 \u0007' }] }] };
    const guarded = neutralizeStrings(model);
    assert.deepEqual(unsafeCharactersIn(stringsIn(guarded).join('\n')), []);
    assert.deepEqual(guarded.features[0]!.flags, [true, null]);
    assert.equal(guarded.features[0]!.count, 3);
    assert.equal(model.features[0]!.purpose, 'safe\u202egnp.exe', 'the original is not changed');
  });

  it('carries no bidi or control characters, whether they came from the context, the map or an endpoint error', async () => {
    const payload = 'safe\u202egnp.exe \u2067x\u2069 \u0000nul \u001b[2J';
    // The map's strings as the map parser hands them on.
    const map = parseMapFile(
      '/ws/.customer-lens.json',
      JSON.stringify({ version: 1, features: [{ id: 'checkout', name: payload, description: payload, owners: [payload], paths: ['/src/'], links: [{ title: payload, url: LINK_URL }] }] }),
    );
    const mapped = map.features[0]!;
    // The freshness as the context service reports an endpoint that answers 500 with the payload as its message.
    const server = (await FaultServer.start()).always((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: payload } }));
    });
    const service = createContextService(
      { endpoint: server.url, contextFiles: [], ttlMs: 60_000, requestTimeoutMs: 2000, maxResponseBytes: 1024 * 1024, log: captureLog() },
      { maxRetries: 0 },
    );
    try {
      const { freshness } = await service.get(['checkout'], { budgetMs: 2000 });
      assert.equal(freshness.state, 'error');
      const result: FileContextResult = {
        ...fileResult(payload, hostileContext(payload)),
        features: [
          {
            ...fileFeature(payload, hostileContext(payload)),
            name: mapped.name,
            description: mapped.description,
            owners: mapped.owners,
            links: mapped.links,
            why: { pattern: mapped.paths[0]!.pattern, mapFileUri: 'file:///ws/.customer-lens.json', line: 1 },
            symbols: mapped.symbols,
            events: mapped.events,
          },
        ],
        freshness,
      };
      const model = buildContextViewModel(result, NOW);
      assert.equal(model.state, 'mapped');
      assert.deepEqual(unsafeCharactersIn(stringsIn(model).join('\n')), []);
    } finally {
      await service.dispose();
      await server.close();
    }
  });
});
