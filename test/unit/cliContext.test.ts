// `customer-lens context` run as a user runs it (the built CLI, a child process): the layout for a terminal, --json,
// the errors, the cache between runs, and that nothing an endpoint or a context file sends can drive the terminal.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startReferenceServer } from '../../src/context/referenceServer';
import { buildOnce, hasStackTrace, runCli } from './cliHarness';
import { copyFixture, STOREFRONT } from './support/lspTestClient';

/** Every control, format or separator character except the line feed: what must never reach a terminal. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
function unprintableIn(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const found = UNPRINTABLE.exec(line);
    if (found) return `U+${found[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(line.slice(Math.max(0, found.index - 20), found.index + 20))}`;
  }
  return undefined;
}

describe('customer-lens context', function () {
  this.timeout(60_000);
  const temporary: string[] = [];
  let cacheDir: string;
  before(async () => {
    await buildOnce();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-context-cache-'));
    temporary.push(cacheDir);
  });
  after(() => {
    for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
  });
  const context = (cwd: string, ...args: string[]) => runCli(cwd, 'context', '--cache-dir', cacheDir, ...args);

  it('lays out a file\'s features, problems, quotes, usage and links for a terminal', async () => {
    const result = await context(path.join(STOREFRONT, 'src', 'checkout'), 'applyCoupon.ts', '../lib/money.ts', '../experimental/voiceSearch.ts');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 6), [
      'src/checkout/applyCoupon.ts',
      '  checkout  /src/checkout/  .customer-lens.yml:17',
      'src/lib/money.ts',
      '  not customer-facing: unmapped by /src/lib/ at .customer-lens.yml:74',
      'src/experimental/voiceSearch.ts',
      '  in no feature: add a pattern for it to a feature\'s "paths", or to "unmapped"',
    ]);
    assert.equal(lines[7], 'Checkout (checkout) · @shop/payments');
    assert.ok(lines.includes('  Problems: 3 open, 1 solved'));
    const problem = lines.indexOf('    Coupon codes rejected at the coupon step');
    assert.ok(problem > 0, result.stdout);
    assert.equal(lines[problem + 1], '      42 customers · 118 mentions · $386k ARR · high · in-progress · ▲ 35% · Zendesk');
    assert.equal(lines[problem + 2], '      https://support.example.com/tickets/48213');
    assert.ok(!result.stdout.includes('Order confirmation email arrives minutes late'), 'solved problems are counted, not listed');
    assert.ok(lines.includes('      — Maria Lopez, Lopez Ceramics, SMB · 2026-11-18 · Support ticket'), 'the user\'s own terminal names who said it, as the editor does');
    assert.ok(lines.includes('    Checkouts completed  11.2k orders (7d)  ▼ 6%'));
    assert.ok(lines.includes('    Checkout spec  https://wiki.example.com/product/checkout'));
    assert.equal(lines[lines.length - 1], 'Context from the file customer-context.json, read just now.');
    assert.equal(unprintableIn(result.stdout), undefined);
  });

  it('--json gives every path and feature with the full context and where it came from', async () => {
    const result = await context(STOREFRONT, '--json', 'packages/mobile-app/src/checkout/applePay.payment.ts');
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(json.paths, [{ path: 'packages/mobile-app/src/checkout/applePay.payment.ts', features: ['mobile-checkout', 'checkout'], ignored: false }]);
    assert.deepEqual(
      json.features.map((f: { id: string; matches: { primary: boolean; pattern: string; mapFile: string; line: number }[] }) => [f.id, f.matches[0]]),
      [
        ['mobile-checkout', { path: 'packages/mobile-app/src/checkout/applePay.payment.ts', primary: true, pattern: '/src/checkout/', mapFile: 'packages/mobile-app/.customer-lens.yml', line: 11 }],
        ['checkout', { path: 'packages/mobile-app/src/checkout/applePay.payment.ts', primary: false, pattern: '*.payment.ts', mapFile: '.customer-lens.yml', line: 19 }],
      ],
    );
    assert.equal(json.features[1].context.problems.length, 4, 'the full context, solved problems included');
    assert.equal(json.features[0].context, undefined);
    assert.equal(json.source.state, 'synced');
    assert.equal(json.source.source, 'file');
    assert.equal(json.source.text, 'context from the file customer-context.json, read just now');
  });

  it('says what to do: no path, a path outside the root, no map', async () => {
    const none = await context(STOREFRONT);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /customer-lens context: give at least one path\n\nUsage: customer-lens context/);
    const outside = await context(STOREFRONT, '../../../package.json');
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /\.\.\/\.\.\/\.\.\/package\.json is outside the workspace root .*storefront; pass a path inside it, or use --root/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-context-empty-'));
    temporary.push(empty);
    fs.writeFileSync(path.join(empty, 'a.ts'), '');
    const noMap = await context(empty, 'a.ts');
    assert.equal(noMap.code, 1);
    assert.match(noMap.stderr, /no map file \(\.customer-lens\.yml, \.customer-lens\.yaml, \.customer-lens\.json\) in .* or below; run "customer-lens init" there to create one, or pass --root/);
    for (const run of [none, outside, noMap]) assert.ok(!hasStackTrace(run.stderr));
  });

  it('with an endpoint: fetches once, then answers from the disk cache, and says so when the endpoint is gone', async () => {
    const ws = copyFixture();
    temporary.push(ws);
    const requests: string[] = [];
    const reference = await startReferenceServer({ dataFile: path.join(ws, 'customer-context.json'), port: 0, log: (line) => requests.push(line), watch: false });
    const ownCache = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-context-endpoint-'));
    temporary.push(ownCache);
    const run = (...args: string[]) => runCli(ws, 'context', '--cache-dir', ownCache, '--endpoint', reference.url, ...args);
    try {
      const first = await run('src/search/rankResults.ts');
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Misspelled product names return no results/);
      assert.match(first.stdout.trimEnd(), /\nContext from http:\/\/127\.0\.0\.1:\d+, updated just now\.$/);
      const second = await run('src/search/rankResults.ts');
      assert.equal(second.code, 0);
      assert.equal(requests.filter((l) => l.includes('/v1/context')).length, 1, 'the second run is answered from the disk cache (fresh for 10 minutes)');
    } finally {
      await reference.close();
    }
    // Age the cache past its TTL: the endpoint is asked again, cannot be reached, and the cached context is shown with its age.
    const dir = path.join(ownCache, 'context-cache');
    for (const file of fs.readdirSync(dir)) {
      const cached = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const feature of cached.features) feature.fetchedAt -= 3 * 24 * 60 * 60_000;
      fs.writeFileSync(path.join(dir, file), JSON.stringify(cached));
    }
    const offline = await run('src/search/rankResults.ts');
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, /Misspelled product names return no results/);
    assert.match(offline.stdout.trimEnd(), /\nEndpoint unreachable \(.*127\.0\.0\.1.*\), showing data from 3 days ago\.$/);
  });

  it('prints nothing that could drive the terminal: escape sequences, control and bidi characters from remote text are removed', async () => {
    const ws = copyFixture();
    temporary.push(ws);
    // Each string field of the context file carries terminal attacks: a title change (OSC), a screen clear (CSI),
    // an 8-bit CSI, a carriage return that overwrites the line, a backspace, BEL, NUL, bidi overrides and isolates,
    // zero-width and line-separator characters.
    const attacks = ['\u001b]0;pwned\u0007', '\u001b[2J\u001b[H', '\u009b31m', 'line\rOVERWRITTEN', 'back\u0008\u0008', '\u0007', 'nul\u0000', 'safe\u202egnp.exe', '\u2066iso\u2069', 'zero\u200bwidth', 'sep\u2028arator', '\u061carabic', '\ufeffbom'];
    const evil = (label: string) => `${label} ${attacks.join(' ')}`;
    const data = {
      version: 1,
      features: [
        {
          id: 'checkout',
          name: evil('Checkout'),
          summary: evil('Summary'),
          problems: [{ id: 'p1', title: evil('Title'), detail: evil('Detail'), customers: 3, severity: 'high', status: 'open', source: evil('Source'), url: 'https://support.example.com/t/1' }],
          quotes: [{ id: 'q1', text: evil('Quote'), author: evil('Author'), company: evil('Company'), segment: evil('Segment'), source: evil('Src'), date: '2026-11-01', sentiment: 'negative' }],
          usage: [{ id: 'u1', label: evil('Label'), value: 12, unit: evil('unit'), period: evil('7d'), change: 0.1 }],
          links: [{ title: evil('Link'), url: 'https://wiki.example.com/x' }],
        },
      ],
    };
    fs.writeFileSync(path.join(ws, 'customer-context.json'), JSON.stringify(data));
    const text = await runCli(ws, 'context', '--cache-dir', cacheDir, 'src/checkout/cart.ts');
    assert.equal(text.code, 0, text.stderr);
    assert.equal(unprintableIn(text.stdout), undefined);
    assert.equal(unprintableIn(text.stderr), undefined);
    // Read as a person reads it: the replacement marks (�) where characters were neutralised left out, the lines the
    // terminal width wrapped joined again.
    const readable = text.stdout.replace(/\ufffd/g, '').replace(/\s+/g, ' ');
    assert.match(readable, / Title \]0;pwned \[2J\[H 31m line OVERWRITTEN back nul safegnp\.exe iso zerowidth sep arator/);
    assert.match(text.stdout, /— Author .* Company .* Segment .*· 2026-11-01 · Src/);

    const json = await runCli(ws, 'context', '--cache-dir', cacheDir, '--json', 'src/checkout/cart.ts');
    assert.equal(json.code, 0, json.stderr);
    assert.equal(unprintableIn(json.stdout), undefined);
    const parsed = JSON.parse(json.stdout);
    // The JSON carries the text as the context loader keeps it: every word, with the characters that could reorder
    // or drive a display (bidi, C0/C1 controls but line breaks, which JSON escapes) replaced by "�".
    const title: string = parsed.features[0].context.problems[0].title;
    assert.doesNotMatch(title, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    assert.match(title.replace(/\ufffd/g, '').replace(/\s+/g, ' '), /^Title \]0;pwned \[2J\[H 31m line OVERWRITTEN back nul safegnp\.exe iso zero\u200bwidth sep arator arabic bom$/);
  });
});
