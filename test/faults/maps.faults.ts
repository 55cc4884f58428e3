// Broken maps and context files, generated from the sample workspace's own: truncated, wrong types, pathological
// patterns, huge, binary, deeply nested, alias bombs, BOM, CRLF, duplicate ids, files out of the workspace. Every case
// goes to the shipped language server (a child process) the way a user makes it: a map edited in the editor, a
// context file changed on disk. Each gets an error that says where (the map's diagnostics, or the context file's
// file:line:col in the hover and the sidebar), within 1 s, without a crash, and the last good map or context stays in
// force; the good text comes back after each case.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LineCounter, parseDocument } from 'yaml';
import { ExplainRequest, type ExplainResult } from '../../src/shared/lspProtocol';
import { buildOnce } from '../unit/cliHarness';
import { unsafeCharactersIn } from '../unit/support/hostileChecks';
import { copyFixture, uriOf } from '../unit/support/lspTestClient';
import { faultCase } from './faultTable';
import { LensSession, pace } from './lensSession';

const GROUP = 'Broken maps and context files';
/** The longest a broken text may take to show its error (the server waits 150 ms for typing to pause). */
const ERROR_WITHIN_MS = 1000;

interface MapCase {
  name: string;
  text: string;
  /** 1-based line an error must start on (or the first of the lines `line`..`lastLine`); absent for the whole file. */
  line?: number;
  lastLine?: number;
  /** More time than ERROR_WITHIN_MS, for texts of several MB (sending them to the server is part of the time). */
  withinMs?: number;
}

interface ContextCase {
  name: string;
  /** Puts the broken context file in place. */
  write: (file: string) => void;
  /** `error`: the file is refused with a message naming it (with line:col when `positioned`); `dropped`: part of it. */
  expect: 'error' | 'dropped';
  positioned?: boolean;
}

/** `good` with the value at `keyPath` replaced; the error must start on one of the lines where it is written. */
function withValue(good: string, keyPath: (string | number)[], value: unknown): MapCase {
  const doc = parseDocument(good);
  doc.setIn(keyPath, value);
  const text = doc.toString();
  const counter = new LineCounter();
  const node = parseDocument(text, { lineCounter: counter }).getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
  const line = node?.range ? counter.linePos(node.range[0]).line : 1;
  const lastLine = node?.range ? counter.linePos(Math.max(node.range[0], node.range[1] - 1)).line : line;
  return { name: `${keyPath.join('.')}: ${JSON.stringify(value)}`, text, line, lastLine };
}

/** Evenly spaced cuts of `text`, never the whole of it. */
function cuts(text: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.max(1, Math.floor(((i + 1) * (text.length - 1)) / (count + 1))));
}

function mapCases(good: string, outside: Record<string, string>): Record<string, MapCase[]> {
  const json = JSON.stringify(parseDocument(good).toJS(), null, 2);
  // Quotes and brackets that open something: not inside comments, and not a closing quote.
  const quoteOrBracket = [...good.matchAll(/["[]/g)]
    .map((m) => m.index!)
    .filter((at) => {
      const before = good.slice(good.lastIndexOf('\n', at) + 1, at);
      return !before.includes('#') && (good[at] === '[' || (before.match(/"/g) ?? []).length % 2 === 0);
    });
  const line = (needle: string) => good.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const contextLine = line('context:');
  const replaceContext = (target: string) => good.replace(/^context: .*$/m, `context: ${JSON.stringify(target)}`);
  const firstPatternLine = line('- /src/checkout/');
  const invalidPatterns = ['!/src/checkout/', 'src\\checkout', '/src//checkout/', '/src/../checkout/', './src/', ' /src/', '/src/ ', '', 'a\u0000b', 'a\u202eb.ts', '/src/\u0085/', '\\'.repeat(100)];
  const wrongTypes: [(string | number)[], unknown[]][] = [
    [['version'], ['1', 2, true, null, [1]]],
    [['context'], [5, true, [], { a: 1 }]],
    [['features'], ['checkout', 5, { id: 'x' }]],
    [['unmapped'], ['/scripts/', 5, { a: 1 }, [5]]],
    [['features', 0, 'id'], [5, true, [], { a: 1 }, 'Checkout Flow', '']],
    [['features', 0, 'name'], [5, [], { a: 1 }, '']],
    [['features', 0, 'description'], [5, ['x']]],
    [['features', 0, 'owners'], ['@shop/payments', 5, [5], [{ a: 1 }], ['']]],
    [['features', 0, 'paths'], ['/src/checkout/', 5, [5], [null]]],
    [['features', 0, 'exclude'], ['/x/', [5]]],
    [['features', 0, 'symbols'], ['applyCoupon', [5], ['']]],
    [['features', 0, 'events'], ['checkout_started', [[]]]],
    [['features', 0, 'links'], ['https://x.example.com', [5], [{ title: 'x' }], [{ url: 'https://x.example.com' }], [{ title: 'x', url: 'ftp://x.example.com' }], [{ title: 'x', url: 'javascript:alert(1)' }]]],
  ];
  const bomb = (levels: number) => {
    const lines = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    lines.push(`features: [*a${levels - 1}]`);
    return lines.join('\n');
  };
  const broken = good.replace('version: 1', 'version: 2');
  const brokenId = good.replace('  - id: search', '  - id: Search Page');
  return {
    'truncated JSON': cuts(json, 40).map((at) => ({ name: `cut at ${at} of ${json.length}`, text: json.slice(0, at) })),
    'truncated YAML, in a string or list': Array.from({ length: 15 }, (_, i) => quoteOrBracket[Math.floor((i * quoteOrBracket.length) / 15)]!).map((at) => ({
      name: `cut inside ${good[at]} at offset ${at}`,
      text: good.slice(0, at + 1),
    })),
    'wrong types': wrongTypes.flatMap(([keyPath, values]) => values.map((value) => withValue(good, keyPath, value))),
    'invalid patterns': invalidPatterns.map((pattern) => ({ name: JSON.stringify(pattern).slice(0, 60), text: good.replace('- /src/checkout/', `- ${JSON.stringify(pattern)}`), line: firstPatternLine })),
    huge: [1.1, 2, 10].map((mb) => ({ name: `${mb} MB`, text: `${good}\n# ${'x'.repeat(Math.round(mb * 1024 * 1024))}\n`, withinMs: ERROR_WITHIN_MS + mb * 250 })),
    binary: [
      { name: 'a PNG header', text: '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000' },
      { name: 'NUL bytes after the map', text: `${good}\n\u0000\u0000\u0000\u0001\u0002` },
      { name: '4 kB of random bytes', text: Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('') },
      { name: 'UTF-16 text read as UTF-8', text: Array.from(good.slice(0, 200)).map((ch) => `${ch}\u0000`).join('') },
      { name: 'a gzip stream', text: '\u001f\u008b\b\u0000\u0000\u0000\u0000\u0000\u0000\u0003' },
    ],
    'deep nesting': [
      { name: 'a megabyte of open brackets', text: `version: 1\nfeatures: ${'['.repeat(1_000_000)}`, line: 2 },
      { name: '5,000 nested lists', text: `version: 1\nfeatures: ${'['.repeat(5000)}${']'.repeat(5000)}`, line: 2 },
      { name: '150,000 nested mappings', text: `version: 1\nfeatures: ${'{a: '.repeat(150_000)}1${'}'.repeat(150_000)}`, line: 2 },
      { name: '400,000 compact lists on one line', text: `version: 1\nfeatures:\n${'- '.repeat(400_000)}x\n`, line: 3 },
      { name: '300 levels of block lists', text: `version: 1\nfeatures:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- `).join('\n')}x\n` },
    ],
    'alias bombs': [
      { name: 'a billion laughs (10^9 expansions)', text: bomb(9) },
      { name: 'a million laughs', text: bomb(6) },
      { name: 'an alias to nothing', text: good.replace('- /src/checkout/', '- *nothing'), line: firstPatternLine },
    ],
    'BOM and CRLF': [
      { name: 'BOM, version 2', text: `\ufeff${broken}`, line: line('version: 1') },
      { name: 'BOM, invalid id', text: `\ufeff${brokenId}`, line: line('  - id: search') },
      { name: 'CRLF, version 2', text: broken.replace(/\n/g, '\r\n'), line: line('version: 1') },
      { name: 'CRLF, invalid id', text: brokenId.replace(/\n/g, '\r\n'), line: line('  - id: search') },
      { name: 'CR only', text: brokenId.replace(/\n/g, '\r') },
      { name: 'BOM and CRLF, unknown key', text: `\ufeff${good.replace('    owners: ["@shop/discovery"]', '    ownres: ["@shop/discovery"]').replace(/\n/g, '\r\n')}`, line: line('    owners: ["@shop/discovery"]') },
    ],
    'duplicate ids and keys': [
      { name: 'a feature id twice', text: good.replace('  - id: search', '  - id: checkout'), line: line('  - id: search') },
      { name: 'version twice', text: `${good}\nversion: 1\n`, line: `${good}\nversion: 1\n`.split('\n').lastIndexOf('version: 1') + 1 },
      { name: 'a key twice in a feature', text: good.replace('    name: Search\n', '    name: Search\n    name: Search again\n'), line: line('    name: Search') + 1 },
      { name: 'two documents', text: `${good}\n---\nversion: 1\n` },
    ],
    'paths out of the workspace': [
      ...Object.entries(outside).map(([name, target]) => ({ name: `context: ${name}`, text: replaceContext(target), line: contextLine })),
      { name: 'a pattern up and out', text: good.replace('- /src/checkout/', '- ../../../etc/'), line: firstPatternLine },
      { name: 'an absolute pattern with ..', text: good.replace('- /src/checkout/', '- /src/../../etc/'), line: firstPatternLine },
    ],
    'other shapes': [
      { name: 'empty', text: '' },
      { name: 'comments only', text: '# nothing here\n# at all\n' },
      { name: 'no version', text: good.replace('version: 1\n', '') },
      { name: 'a list', text: '- version: 1\n' },
      { name: 'a scalar', text: 'customer lens' },
      { name: 'tab indentation', text: good.replace('    name: Search', '\tname: Search') },
      { name: 'an unknown top-level key', text: `${good}\nfeatuers: []\n`, line: `${good}\nfeatuers: []\n`.split('\n').indexOf('featuers: []') + 1 },
      { name: 'features: null', text: good.replace(/^features:$/m, 'features: ~\nfeatures2:') },
      { name: 'a 100 kB feature id', text: good.replace('  - id: search', `  - id: ${'s'.repeat(100_000)}X`), line: line('  - id: search') },
      { name: 'a pattern of 100,000 "!"', text: good.replace('- /src/checkout/', `- "${'!'.repeat(100_000)}"`), line: firstPatternLine },
    ],
  };
}

/** Valid patterns that take exponential time in a backtracking matcher; each matches src/checkout/cart.ts. */
const PATHOLOGICAL_PATTERNS: [string, string][] = [
  ['"**/" 1,000 times', `${'**/'.repeat(1000)}cart.ts`],
  ['"**/" 500 times after /src/**/', `/src/**/${'**/'.repeat(500)}cart.ts`],
  ['5,000 stars in a name', `**/${'*'.repeat(5000)}cart.ts`],
  ['1,000 stars around a letter', `/src/${'*'.repeat(1000)}c${'*'.repeat(1000)}/cart.ts`],
  ['stars between every letter', '**/c*a*r*t*.*t*s'],
  ['globstars between every folder', '**/src/**/**/**/checkout/**/**/cart.ts'],
  ['600 stars around a "?"', `**/${'*'.repeat(300)}?${'*'.repeat(300)}art.ts`],
];

describe('fault suite: broken maps and context files', function () {
  this.timeout(600_000);
  let ws: string;
  let lens: LensSession;
  let mapFile: string;
  let mapUri: string;
  let good: string;
  let contextFile: string;
  let goodContext: string;
  let cart: string;
  const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-elsewhere-')));

  before(async () => {
    await buildOnce();
    ws = copyFixture();
    mapFile = path.join(ws, '.customer-lens.yml');
    contextFile = path.join(ws, 'customer-context.json');
    cart = path.join(ws, 'src/checkout/cart.ts');
    good = fs.readFileSync(mapFile, 'utf8');
    goodContext = fs.readFileSync(contextFile, 'utf8');
    lens = await LensSession.start({ folders: [ws], initializationOptions: { commandLinks: true } });
    mapUri = lens.open(mapFile, 'yaml');
    await lens.client.until(() => lens.client.diagnostics.has(mapUri), 'the first diagnostics of the map');
    assert.deepEqual(errors(), [], 'the sample map is valid');
  });

  after(async () => {
    await lens?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  });

  afterEach(() => {
    assert.ok(lens.alive, 'the language server exited');
    assert.deepEqual(lens.troubles(), [], 'unhandled rejections or stderr output');
  });

  function errors(): Diagnostic[] {
    return (lens.client.diagnostics.get(mapUri) ?? []).filter((d) => d.severity === 1);
  }

  /** Waits for `test` on the map's diagnostics; resolves with the time it took. */
  async function diagnosticsUntil(test: () => boolean, what: string, ms = 5000): Promise<number> {
    const started = performance.now();
    await lens.client.until(test, what, ms);
    return performance.now() - started;
  }

  async function explainCart(): Promise<ExplainResult> {
    return lens.client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(cart) });
  }

  /** Types `text` into the open map, checks the error and the last good map, then puts the good text back. */
  async function brokenMap(c: MapCase): Promise<{ ms: number; atLine: boolean }> {
    try {
      return await brokenMapShown(c);
    } finally {
      lens.client.change(mapFile, good);
      await diagnosticsUntil(() => errors().length === 0, `the good map back after ${c.name}`);
    }
  }

  async function brokenMapShown(c: MapCase): Promise<{ ms: number; atLine: boolean }> {
    lens.client.change(mapFile, c.text);
    const ms = await diagnosticsUntil(() => errors().length > 0, `an error for ${c.name}`);
    assert.ok(ms < (c.withinMs ?? ERROR_WITHIN_MS), `${c.name}: the error took ${Math.round(ms)} ms`);
    const found = errors();
    for (const d of found) {
      const message = String(d.message);
      assert.ok(message.trim() !== '', `${c.name}: an empty message`);
      assert.deepEqual(unsafeCharactersIn(message), [], `${c.name}: bidi or control characters in "${message.slice(0, 80)}"`);
    }
    const atLine = c.line === undefined || found.some((d) => d.range.start.line + 1 >= c.line! && d.range.start.line + 1 <= (c.lastLine ?? c.line!));
    assert.ok(atLine, `${c.name}: no error on line ${c.line}: ${found.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ').slice(0, 300)}`);
    const explained = await explainCart();
    assert.equal(explained.map.usingLastGood, true, `${c.name}: the last good map is not in force`);
    assert.deepEqual(explained.features.map((f) => f.featureId), ['checkout'], c.name);
    return { ms, atLine: c.line !== undefined };
  }

  /** Files outside the workspace and special files inside it, for `context:`. */
  function outsideTargets(): Record<string, string> {
    fs.writeFileSync(path.join(elsewhere, 'secret.json'), '{"version": 1, "features": [{"id": "checkout", "summary": "npm _authToken=abc"}]}');
    fs.symlinkSync(path.join(elsewhere, 'secret.json'), path.join(ws, 'linked-context.json'));
    execFileSync('mkfifo', [path.join(ws, 'pipe.json')]);
    fs.mkdirSync(path.join(ws, 'folder.json'));
    fs.writeFileSync(path.join(ws, 'big.json'), '');
    fs.truncateSync(path.join(ws, 'big.json'), 20 * 1024 * 1024);
    return {
      '../../../../etc/passwd': '../../../../../../../../etc/passwd',
      '/etc/passwd': '/etc/passwd',
      '/proc/self/environ': '/proc/self/environ',
      '/dev/urandom': '/dev/urandom',
      '/dev/zero': '/dev/zero',
      'a file in another folder': path.join(elsewhere, 'secret.json'),
      'a link out of the workspace': './linked-context.json',
      'a FIFO': './pipe.json',
      'a folder': './folder.json',
      'a 20 MB file': './big.json',
      'a missing file': './missing.json',
      '~/.npmrc': '~/.npmrc',
    };
  }

  let total = 0;
  let cases: Record<string, MapCase[]> = {};

  it('generates the broken maps', () => {
    cases = mapCases(good, outsideTargets());
    total = Object.values(cases).reduce((sum, list) => sum + list.length, 0);
    assert.ok(total >= 150, `${total} broken maps`);
  });

  const categories = [
    'truncated JSON',
    'truncated YAML, in a string or list',
    'wrong types',
    'invalid patterns',
    'huge',
    'binary',
    'deep nesting',
    'alias bombs',
    'BOM and CRLF',
    'duplicate ids and keys',
    'paths out of the workspace',
    'other shapes',
  ];
  for (const category of categories) {
    const expected = `an error diagnostic within 1 s${category === 'huge' ? ' (plus 0.25 s per MB sent)' : ''}, at its line where it has one; no crash; the last good map stays in force`;
    faultCase(GROUP, `map: ${category}`, expected, async () => {
      const list = cases[category] ?? [];
      assert.ok(list.length > 0, 'no cases generated');
      let slowest = 0;
      let positioned = 0;
      for (const c of list) {
        const { ms, atLine } = await brokenMap(c);
        slowest = Math.max(slowest, ms);
        if (atLine) positioned++;
      }
      return `${list.length} maps: ${list.length} errors${positioned ? ` (${positioned} checked at their line)` : ''}; slowest ${Math.round(slowest)} ms; last good map kept`;
    });
  }

  faultCase(GROUP, 'map: valid pathological patterns', 'in force within 1 s; hovers answer while coverage runs', async () => {
    let slowestHover = 0;
    for (const [name, pattern] of PATHOLOGICAL_PATTERNS) {
      const text = good.replace('    paths: [/src/search/]', `    paths: [/src/search/, ${JSON.stringify(pattern)}]`);
      assert.notEqual(text, good);
      lens.client.change(mapFile, text);
      const started = performance.now();
      for (;;) {
        const explained = await explainCart();
        if (explained.features.some((f) => f.featureId === 'search')) break;
        assert.ok(performance.now() - started < ERROR_WITHIN_MS, `${name}: not in force after ${Math.round(performance.now() - started)} ms`);
        await pace(20);
      }
      assert.deepEqual(errors(), [], `${name}: the validator accepts it`);
      // Hovers while the server matches every file against the new pattern (it starts once typing pauses for 1 s).
      for (let i = 0; i < 8; i++) {
        const hover = await lens.hover(path.join(ws, 'src/checkout/applyCoupon.ts'), 'async function applyCoupon', 16);
        assert.match(hover.markdown, /\*\*Checkout\*\*/);
        slowestHover = Math.max(slowestHover, hover.ms);
        assert.ok(hover.ms < ERROR_WITHIN_MS, `${name}: a hover took ${Math.round(hover.ms)} ms`);
        await pace(200);
      }
      lens.client.change(mapFile, good);
      for (const started2 = performance.now(); (await explainCart()).features.some((f) => f.featureId === 'search'); await pace(20)) {
        assert.ok(performance.now() - started2 < 5000, 'the good map did not come back');
      }
    }
    return `${PATHOLOGICAL_PATTERNS.length} patterns: in force at once, 0 errors; slowest hover ${Math.round(slowestHover)} ms`;
  });

  /** A broken context file: written to disk, then the error (or the dropped part) must show within 1 s. */
  const logsMatching = (prefix: string, from = 0) => lens.logs.slice(from).filter((l) => l.startsWith(prefix)).length;

  async function brokenContext(c: ContextCase): Promise<number> {
    const logMark = lens.logs.length;
    c.write(contextFile);
    const started = performance.now();
    for (;;) {
      const result = await lens.fileContext(cart);
      const context = result.features[0]?.context;
      assert.ok(context?.problems?.length, `${c.name}: the last good context is gone`);
      if (c.expect === 'error' && result.freshness.error) {
        assert.match(result.freshness.error, c.positioned ? /customer-context\.json:\d+:\d+: / : /customer-context\.json/, c.name);
        assert.deepEqual(unsafeCharactersIn(result.freshness.error), [], `${c.name}: bidi or control characters in the message`);
        const card = (await lens.hover(path.join(ws, 'src/checkout/applyCoupon.ts'), 'async function applyCoupon', 16)).markdown;
        assert.match(card, /⚠ .*customer-context\.json/, `${c.name}: the card names the file`);
        break;
      }
      if (c.expect === 'dropped' && logsMatching('context file warning', logMark) > 0) {
        assert.equal(result.freshness.error, undefined, `${c.name}: the whole file was refused`);
        break;
      }
      assert.ok(performance.now() - started < ERROR_WITHIN_MS, `${c.name}: nothing shown after ${Math.round(performance.now() - started)} ms`);
      await pace(20);
    }
    const ms = performance.now() - started;
    // Put the good file back (a link or a FIFO is replaced by a regular file) and wait until it is clean again.
    const loaded = logsMatching('context file loaded');
    fs.rmSync(contextFile, { recursive: true, force: true });
    fs.writeFileSync(contextFile, goodContext);
    for (const back = performance.now(); logsMatching('context file loaded') === loaded || (await lens.fileContext(cart)).freshness.error; await pace(20)) {
      assert.ok(performance.now() - back < 5000, `${c.name}: the good context file was not read again`);
    }
    return ms;
  }

  function contextCases(): Record<string, ContextCase[]> {
    const parsed = JSON.parse(goodContext) as { version: number; features: Record<string, unknown>[] };
    const writeJson = (value: unknown) => (file: string) => fs.writeFileSync(file, JSON.stringify(value, null, 2));
    const withChange = (change: (value: typeof parsed) => void) => {
      const copy = JSON.parse(goodContext) as typeof parsed;
      change(copy);
      return writeJson(copy);
    };
    const checkout = (value: typeof parsed) => value.features.find((f) => f.id === 'checkout') as Record<string, unknown> & { problems: Record<string, unknown>[] };
    return {
      truncated: cuts(goodContext, 25).map((at) => ({ name: `cut at ${at}`, write: (file) => fs.writeFileSync(file, goodContext.slice(0, at)), expect: 'error', positioned: true })),
      'wrong types': [
        { name: 'version 2', write: withChange((v) => (v.version = 2)), expect: 'error', positioned: true },
        { name: 'no version', write: withChange((v) => delete (v as Partial<typeof v>).version), expect: 'error' },
        { name: 'features is an object', write: withChange((v) => ((v as { features: unknown }).features = { checkout: {} })), expect: 'error', positioned: true },
        { name: 'a number', write: (file) => fs.writeFileSync(file, '42'), expect: 'error' },
        { name: 'null', write: (file) => fs.writeFileSync(file, 'null'), expect: 'error' },
        { name: 'an empty file', write: (file) => fs.writeFileSync(file, ''), expect: 'error' },
        { name: 'a severity out of range', write: withChange((v) => (checkout(v).problems[0]!.severity = 'urgent')), expect: 'dropped' },
        { name: 'a javascript: URL', write: withChange((v) => (checkout(v).problems[0]!.url = 'javascript:alert(1)')), expect: 'dropped' },
        { name: 'negative customers', write: withChange((v) => (checkout(v).problems[0]!.customers = -4)), expect: 'dropped' },
        { name: 'problems is a string', write: withChange((v) => ((checkout(v) as Record<string, unknown>).quotes = 'none')), expect: 'dropped' },
        { name: 'a feature without id', write: withChange((v) => v.features.push({ name: 'nameless' })), expect: 'dropped' },
        { name: 'a feature id twice', write: withChange((v) => v.features.push({ ...checkout(v), name: 'second' })), expect: 'dropped' },
      ],
      'deep nesting, binary, BOM, CRLF': [
        { name: '5,000 nested arrays', write: (file) => fs.writeFileSync(file, `{"version": 1, "features": ${'['.repeat(5000)}${']'.repeat(5000)}}`), expect: 'error', positioned: true },
        { name: '9 MB of open braces', write: (file) => fs.writeFileSync(file, '{"a": '.repeat(1_500_000)), expect: 'error', positioned: true },
        { name: 'NUL bytes', write: (file) => fs.writeFileSync(file, Buffer.from([0, 0, 0, 1, 2, 3, 0xff, 0xfe])), expect: 'error', positioned: true },
        { name: 'a PNG', write: (file) => fs.writeFileSync(file, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')), expect: 'error', positioned: true },
        { name: 'BOM and a broken value', write: (file) => fs.writeFileSync(file, `\ufeff${goodContext.replace('"version": 1', '"version": 1,,')}`), expect: 'error', positioned: true },
        { name: 'CRLF and a cut', write: (file) => fs.writeFileSync(file, goodContext.replace(/\n/g, '\r\n').slice(0, 2000)), expect: 'error', positioned: true },
      ],
      'swapped after the map was checked': [
        { name: 'an 11 MB file', write: (file) => fs.writeFileSync(file, `${goodContext.slice(0, -2)}${' '.repeat(11 * 1024 * 1024)}]}`), expect: 'error' },
        {
          name: 'a FIFO',
          write: (file) => {
            fs.rmSync(file);
            execFileSync('mkfifo', [file]);
          },
          expect: 'error',
        },
        {
          name: 'a link out of the workspace',
          write: (file) => {
            fs.rmSync(file);
            fs.symlinkSync(path.join(elsewhere, 'secret.json'), file);
          },
          expect: 'error',
        },
        {
          name: 'a folder',
          write: (file) => {
            fs.rmSync(file);
            fs.mkdirSync(file);
          },
          expect: 'error',
        },
      ],
    };
  }

  for (const [category, count] of [['truncated', 25], ['wrong types', 12], ['deep nesting, binary, BOM, CRLF', 6], ['swapped after the map was checked', 4]] as const) {
    faultCase(
      GROUP,
      `context file: ${category}`,
      'within 1 s the hover and the sidebar name the file (with line:col when the error is in the text), or the bad part is dropped and logged; the last good context stays',
      async () => {
        const list = contextCases()[category]!;
        assert.equal(list.length, count);
        let slowest = 0;
        const errorsShown = list.filter((c) => c.expect === 'error').length;
        for (const c of list) slowest = Math.max(slowest, await brokenContext(c));
        return `${list.length} files: ${errorsShown} errors shown, ${list.length - errorsShown} dropped parts logged; slowest ${Math.round(slowest)} ms; last good context kept`;
      },
    );
  }

  it('covers at least 200 generated maps and context files', () => {
    const contextTotal = 25 + 12 + 6 + 4;
    assert.ok(total + PATHOLOGICAL_PATTERNS.length + contextTotal >= 200, `${total + PATHOLOGICAL_PATTERNS.length + contextTotal} cases`);
  });
});

