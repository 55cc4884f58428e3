// Hostile content in every string field, through every surface that shows it. A workspace with one feature per
// payload: the payload is the feature's name, description, owner and link title in the map, and every string field of
// its context (name, summary, problem id/title/detail/source, quote id/text/author/company/segment/source, metric
// id/label/unit/period/event, link title) — once from the map's context file, once from an endpoint. Then, for every
// feature, the shipped language server (a child process) answers hovers, CodeLens and the file context; the status
// bar text is composed from that answer, the Context and Explore views are drawn in Chromium with the real webview
// bundle, and `customer-lens context` prints it. A beacon server on 127.0.0.1 counts anything that tries to load.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildContextViewModel } from '../../src/client/sidebar/contextViewModel';
import { exploreFeatureView } from '../../src/client/sidebar/exploreViewModel';
import { statusBarContent } from '../../src/client/statusBarContent';
import type { FileContextResult } from '../../src/shared/lspProtocol';
import { buildOnce, CLI, hasStackTrace } from '../unit/cliHarness';
import { FaultServer } from '../unit/support/faultServer';
import { iconsInLabel, unsafeCharactersIn } from '../unit/support/hostileChecks';
import { renderLikeVsCodeHover } from '../unit/support/renderedMarkdown';
import { SidebarPages, type SidebarTab } from '../unit/support/sidebarPage';
import { faultCase, recordCase } from './faultTable';
import { LensSession } from './lensSession';
import { hostilePayloads, type Payload } from './payloads';

const GROUP = 'Hostile content';
/** Context files are limited to 10 MB: in the file, each field carries at most this much of its payload. */
const FILE_FIELD_LIMIT = 20_000;
/** A map is limited to 1 MB: in the map, each field carries at most this much of its payload. */
const MAP_FIELD_LIMIT = 10_000;
const CARD_LIMIT = 20 * 1024;
const LINK_URL = (i: number) => `https://wiki.example.com/f${i}`;
const PROBLEM_URL = (i: number) => `https://support.example.com/tickets/${i}`;
const QUOTE_URL = (i: number) => `https://support.example.com/quotes/${i}`;
const CONTEXT_LINK_URL = (i: number) => `https://analytics.example.com/d/${i}`;
const SIDEBAR_COMMAND = 'command:customerLens.openSidebar';
const STATUS_ICONS = new Set(['comment-discussion', 'history', 'debug-disconnect', 'warning']);
/** Elements the Context and Explore views never create: anything of these in the page came from a payload. */
const FOREIGN_ELEMENTS = 'img, script, iframe, object, embed, link, style, meta, base, form, textarea, video, audio, math, template';

/** Every string field of a feature's context set to `text`, with URLs of our own (plus one invalid, the payload). */
function hostileFeature(i: number, text: string): unknown {
  return {
    id: `f${i}`,
    name: text,
    summary: text,
    problems: [
      { id: text, title: text, detail: text, source: text, customers: 12, severity: 'high', status: 'open', url: PROBLEM_URL(i) },
      { id: `${i}-raw-url`, title: 'A problem whose URL is the payload', customers: 1, url: text },
    ],
    quotes: [{ id: text, text, author: text, company: text, segment: text, source: text, url: QUOTE_URL(i), sentiment: 'negative', date: '2026-11-12' }],
    usage: [
      { id: text, label: text, value: 4100, unit: text, period: text, change: 0.12, event: text, series: [{ t: '2026-11-01', v: 1 }, { t: '2026-11-08', v: 2 }] },
      { id: `u${i}`, label: text, value: 7, event: `ev_${i}` },
    ],
    links: [
      { title: text, url: CONTEXT_LINK_URL(i) },
      { title: text, url: text },
    ],
  };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/** A workspace with one feature per payload; `contextFile` says whether the map names a context file. */
function hostileWorkspace(payloads: readonly Payload[], contextFile: boolean): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-hostile-content-')));
  const features = payloads.map((p, i) => {
    const text = cut(p.text, MAP_FIELD_LIMIT);
    return { id: `f${i}`, name: text, description: text, owners: [text], paths: [`/src/f${i}/`], symbols: [`sym${i}`], events: [`ev_${i}`], links: [{ title: text, url: LINK_URL(i) }] };
  });
  const map = { version: 1, ...(contextFile ? { context: './customer-context.json' } : {}), features };
  fs.writeFileSync(path.join(root, '.customer-lens.json'), JSON.stringify(map, null, 1));
  if (contextFile) {
    const context = { version: 1, features: payloads.map((p, i) => hostileFeature(i, cut(p.text, FILE_FIELD_LIMIT))) };
    fs.writeFileSync(path.join(root, 'customer-context.json'), JSON.stringify(context));
  }
  payloads.forEach((_, i) => {
    fs.mkdirSync(path.join(root, 'src', `f${i}`), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', `f${i}`, 'index.ts'), `// customer-lens: f${i}\nexport function sym${i}() {\n  track('ev_${i}');\n}\n`);
  });
  return root;
}

/** A server on 127.0.0.1 that records every request: nothing a payload names may ever be fetched. */
async function startBeacon(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

interface Source {
  name: string;
  root: string;
}

describe('fault suite: hostile content in every string field', function () {
  this.timeout(600_000);
  let beacon: Awaited<ReturnType<typeof startBeacon>>;
  let payloads: Payload[];
  let endpoint: FaultServer;
  let sources: Source[];
  let lens: LensSession;
  let pages: SidebarPages;
  const file = (source: Source, i: number) => path.join(source.root, 'src', `f${i}`, 'index.ts');
  const label = (source: Source, i: number) => `${source.name}, payload "${payloads[i]!.name}"`;

  before(async () => {
    await buildOnce();
    beacon = await startBeacon();
    payloads = hostilePayloads(beacon.url);
    assert.ok(payloads.length >= 80, `${payloads.length} payloads`);
    endpoint = await FaultServer.start();
    payloads.forEach((p, i) => endpoint.data.set(`f${i}`, hostileFeature(i, p.text) as never));
    sources = [
      { name: 'context file', root: hostileWorkspace(payloads, true) },
      { name: 'endpoint', root: hostileWorkspace(payloads, false) },
    ];
    const [, viaEndpoint] = sources;
    lens = await LensSession.start({
      folders: sources.map((s) => s.root),
      initializationOptions: { commandLinks: true },
      configuration: (item) => (item.scopeUri && viaEndpoint && item.scopeUri.startsWith(`file://${viaEndpoint.root}`) ? { endpoint: endpoint.url } : {}),
    });
    pages = await SidebarPages.start();
  });

  after(async () => {
    await lens?.stop();
    await pages?.close();
    await endpoint?.close();
    await new Promise((resolve) => beacon?.server.close(resolve));
    for (const source of sources ?? []) fs.rmSync(source.root, { recursive: true, force: true });
  });

  afterEach(() => {
    assert.deepEqual(beacon.hits, [], 'something loaded from the beacon');
    assert.ok(lens.alive, 'the language server exited');
    assert.deepEqual(lens.troubles(), [], 'unhandled rejections or stderr output');
  });

  it('lists the payloads', async () => {
    const fields = 'name, summary, problem id/title/detail/source, quote id/text/author/company/segment/source, metric id/label/unit/period/event, link title';
    await recordCase(GROUP, 'the payloads', 'at least 80, in every string field', async () => {
      assert.ok(payloads.length >= 80);
      return `${payloads.length} payloads (markdown links and images, URL schemes and their obfuscations, raw HTML, markdown blocks, icons, bidi and control characters, 100 kB strings, 10,000 quotes…) in every string field of the context (${fields}) and of the map (name, description, owner, link title); from the context file and from an endpoint`;
    });
  });

  /** The card, as VS Code renders it: only the card's own links, no image, no HTML, no reordering characters. */
  function checkCard(markdown: string, i: number, what: string): { size: number } {
    assert.ok(markdown !== '', `${what}: no card`);
    const rendered = renderLikeVsCodeHover(markdown);
    assert.deepEqual(rendered.images, [], `${what}: images`);
    assert.deepEqual(rendered.rawHtml, [], `${what}: raw HTML`);
    const own = new Set([LINK_URL(i), PROBLEM_URL(i), QUOTE_URL(i), CONTEXT_LINK_URL(i), SIDEBAR_COMMAND]);
    for (const link of rendered.links) assert.ok(own.has(link.href), `${what}: a link the card did not make: ${link.href}`);
    assert.equal(rendered.links.filter((l) => l.href.startsWith('command:')).length, 1, `${what}: command links`);
    assert.deepEqual(unsafeCharactersIn(rendered.text), [], `${what}: bidi or control characters`);
    assert.ok(markdown.length <= CARD_LIMIT, `${what}: a card of ${markdown.length} characters`);
    return { size: markdown.length };
  }

  for (const sourceName of ['context file', 'endpoint']) {
    faultCase(
      GROUP,
      `hover cards (symbol and event anchors), ${sourceName}`,
      'only the card\'s own https links and its sidebar command; no image, raw HTML or bidi/control character; at most 20 kB',
      async () => {
        const source = sources.find((s) => s.name === sourceName)!;
        let cards = 0;
        let largest = 0;
        let slowest = 0;
        for (let i = 0; i < payloads.length; i++) {
          const what = label(source, i);
          for (const [needle, offset] of [[`sym${i}()`, 1], [`'ev_${i}'`, 2]] as const) {
            const hover = await lens.hover(file(source, i), needle, offset);
            largest = Math.max(largest, checkCard(hover.markdown, i, `${what} (${needle})`).size);
            slowest = Math.max(slowest, hover.ms);
            cards++;
          }
        }
        return `${cards} cards: 0 foreign links, images or HTML; largest ${(largest / 1024).toFixed(1)} kB; slowest ${Math.round(slowest)} ms`;
      },
    );
  }

  faultCase(GROUP, 'CodeLens titles, both sources', 'no icon, no bidi/control character, one short line', async () => {
    let titles = 0;
    let longest = 0;
    for (const source of sources) {
      for (let i = 0; i < payloads.length; i++) {
        const found = await lens.codeLensTitles(file(source, i));
        assert.equal(found.length, 1, `${label(source, i)}: ${found.length} lenses`);
        for (const title of found) {
          assert.deepEqual(iconsInLabel(title), [], `${label(source, i)}: icons in "${title.slice(0, 80)}"`);
          assert.deepEqual(unsafeCharactersIn(title), [], label(source, i));
          assert.ok(!title.includes('\n'), `${label(source, i)}: a line break`);
          longest = Math.max(longest, title.length);
          titles++;
        }
      }
    }
    assert.ok(longest <= 300, `a title of ${longest} characters`);
    return `${titles} titles: 0 icons, 0 bidi/control; longest ${longest} characters`;
  });

  faultCase(GROUP, 'status bar text and tooltip, both sources', 'only its own icons, no bidi/control character', async () => {
    let items = 0;
    for (const source of sources) {
      for (let i = 0; i < payloads.length; i++) {
        const content = statusBarContent(await lens.fileContext(file(source, i)));
        assert.ok(content.visible, label(source, i));
        for (const icon of iconsInLabel(content.text)) assert.ok(STATUS_ICONS.has(icon), `${label(source, i)}: icon ${icon}`);
        assert.deepEqual(unsafeCharactersIn(`${content.text}\n${content.tooltip}`), [], label(source, i));
        items++;
      }
    }
    return `${items} items: only $(comment-discussion) and the state icon; 0 bidi/control`;
  });

  /** Draws a Context view model and checks the page: no foreign element, no script, no load, no reordering. */
  async function checkPage(tab: SidebarTab, what: string, allowedLinks: Set<string>): Promise<void> {
    const evidence = await tab.evidence();
    assert.equal(evidence.pwned, undefined, `${what}: a payload's script ran`);
    assert.deepEqual(evidence.violations, [], `${what}: CSP violations (something tried to load or run)`);
    const foreign = await tab.page.locator(`#root :is(${FOREIGN_ELEMENTS})`).count();
    assert.equal(foreign, 0, `${what}: ${foreign} elements a payload made`);
    const hrefs = await tab.page.locator('#root a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) assert.ok(allowedLinks.has(href), `${what}: a link to ${href}`);
    const handlers = await tab.page.locator('#root *').evaluateAll((all) => all.filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length);
    assert.equal(handlers, 0, `${what}: inline event handlers`);
    const text = await tab.page.locator('#root').innerText();
    assert.deepEqual(unsafeCharactersIn(text), [], `${what}: bidi or control characters on screen`);
  }

  faultCase(GROUP, 'Context view in Chromium, both sources', 'no script runs, nothing loads (0 beacon requests, 0 CSP violations), text only, no bidi/control', async () => {
    const tab = await pages.open('context');
    let renders = 0;
    let slowest = 0;
    try {
      for (const source of sources) {
        for (let i = 0; i < payloads.length; i++) {
          const result: FileContextResult = await lens.fileContext(file(source, i));
          assert.ok(result.features[0]?.context, `${label(source, i)}: no context arrived`);
          const started = performance.now();
          await tab.showContext(buildContextViewModel(result, Date.now()));
          slowest = Math.max(slowest, performance.now() - started);
          // Open every "More" so the whole kept text is on screen too.
          for (const more of await tab.page.locator('[data-testid="more"]').all()) await more.click();
          await checkPage(tab, label(source, i), new Set([LINK_URL(i), PROBLEM_URL(i), QUOTE_URL(i), CONTEXT_LINK_URL(i)]));
          renders++;
        }
      }
    } finally {
      await tab.close();
    }
    assert.ok(slowest < 2000, `a render took ${Math.round(slowest)} ms`);
    return `${renders} renders: no script, 0 beacon requests, 0 CSP violations, 0 foreign elements or links; slowest ${Math.round(slowest)} ms`;
  });

  faultCase(GROUP, 'Explore view in Chromium (every feature at once)', 'no script runs, nothing loads, text only', async () => {
    const tab = await pages.open('explore');
    try {
      const summaries = await lens.features();
      assert.ok(summaries.length >= payloads.length * 2, `${summaries.length} features listed`);
      const started = performance.now();
      await tab.showExplore({ state: 'ready', features: summaries.map((summary) => exploreFeatureView(summary)) });
      const ms = performance.now() - started;
      await checkPage(tab, 'Explore', new Set());
      return `${summaries.length} features in one list: no script, 0 beacon requests, 0 CSP violations; drawn in ${Math.round(ms)} ms`;
    } finally {
      await tab.close();
    }
  });

  describe('the customer-lens context command', () => {
    const name = '`customer-lens context` (CLI), context file';
    const expected = 'exit 0, no stack trace, valid JSON with --json; no terminal escape, bidi or control character in text or JSON';
    it('prints hostile context as safe text', async () => {
      await recordCase(GROUP, name, expected, async () => {
        const source = sources[0]!;
        const files = payloads.map((_, i) => path.relative(source.root, file(source, i)));
        const json = await runCli(source.root, 'context', '--json', ...files);
        assert.equal(json.code, 0, json.stderr);
        assert.ok(!hasStackTrace(json.stderr), json.stderr);
        const strings: string[] = [];
        const walk = (value: unknown): void => {
          if (typeof value === 'string') strings.push(value);
          else if (value && typeof value === 'object') Object.values(value).forEach(walk);
        };
        walk(JSON.parse(json.stdout));
        assert.deepEqual(unsafeCharactersIn(strings.join('\n')), [], 'bidi or control characters in the JSON strings');
        const text = await runCli(source.root, 'context', ...files);
        assert.equal(text.code, 0, text.stderr);
        assert.ok(!hasStackTrace(text.stderr), text.stderr);
        assert.deepEqual(unsafeCharactersIn(text.stdout), [], 'terminal escapes, bidi or control characters in the output');
        return `${payloads.length} files: exit 0, valid JSON, ${(text.stdout.length / 1024).toFixed(0)} kB of text without escapes`;
      });
    });
  });
});

function runCli(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 256 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
