// `customer-lens impact` run as CI and a reviewer run it (the built CLI, a child process, a throwaway git repository
// with a branch): which features the change touches, in every format, and that a hostile problem title (markdown,
// HTML, a mention, bidi characters) is neutralised in each.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { marked } from 'marked';
import { buildOnce, hasStackTrace, runCli } from './cliHarness';
import { createRepo, TEST_MAP, type TestRepo } from './support/gitRepos';

const HOSTILE = 'Coupon **rejected** <img src=x onerror=alert(1)> @everyone \u202eevil\u202c [click](javascript:alert(1))';

const CONTEXT = {
  version: 1,
  features: [
    {
      id: 'checkout',
      name: 'Checkout',
      problems: [
        { id: 'p1', title: HOSTILE, customers: 42, mentions: 118, arr: 386400, currency: 'USD', status: 'open', trend: 0.35, url: 'https://support.example.com/t/1' },
        { id: 'p2', title: 'Declined cards show a generic error', customers: 27, arr: 251000, currency: 'USD', status: 'open' },
        { id: 'p3', title: 'Old solved thing', customers: 99, status: 'solved' },
      ],
      quotes: [{ id: 'q1', text: 'I lost three sales today because the coupon failed.', company: 'Lopez Ceramics', sentiment: 'negative', date: '2026-11-18' }],
      usage: [{ id: 'completed', label: 'Checkouts completed', value: 11200, unit: 'orders', period: '7d', change: -0.06 }],
    },
    { id: 'search', name: 'Search', problems: [{ id: 's1', title: 'Typos find nothing', customers: 5, status: 'open' }] },
  ],
};

describe('customer-lens impact', function () {
  this.timeout(60_000);
  let repo: TestRepo;
  let summaryDir: string;
  before(async () => {
    await buildOnce();
    repo = createRepo();
    summaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-summary-'));
    repo.commit('Start', '2026-10-01T10:00:00Z', {
      '.customer-lens.yml': TEST_MAP,
      'customer-context.json': JSON.stringify(CONTEXT),
      'src/checkout/applyCoupon.ts': 'export const a = 1;\n',
      'src/search/index.ts': 'export const s = 1;\n',
      'src/admin/users.ts': 'export const u = 1;\n',
      'docs/guide.md': '# Guide\n',
    });
    repo.git('checkout', '-q', '-b', 'fix-coupons');
    repo.commit('Accept lower-case coupon codes', '2026-11-03T10:00:00Z', {
      'src/checkout/applyCoupon.ts': 'export const a = 2;\n',
      'src/admin/users.ts': 'export const u = 2;\n',
      'src/tools/new.ts': 'export const t = 1;\n',
      'docs/guide.md': '# Guide, v2\n',
    });
    // The base moves on after the branch: its own commits are not this change.
    repo.git('checkout', '-q', 'main');
    repo.commit('Search tweak on main', '2026-11-04T10:00:00Z', { 'src/search/index.ts': 'export const s = 2;\n' });
    repo.git('checkout', '-q', 'fix-coupons');
  });
  after(() => {
    repo.remove();
    fs.rmSync(summaryDir, { recursive: true, force: true });
  });
  const impact = (...args: string[]) => runCli(repo.root, 'impact', '--cache-dir', path.join(summaryDir, 'cache'), ...args);

  it('lists the features a branch touches for a terminal, the most at stake first, features without context with owners', async () => {
    const result = await impact('--base', 'main', '--head', 'HEAD');
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], '4 changed files (main...HEAD) touch 2 features, the most at stake for customers first.');
    assert.equal(lines[2], 'Checkout (checkout) · @shop/payments');
    assert.equal(lines[3], '  2 open problems, the largest hitting 42 customers, up to $386k ARR on one');
    // Neutralised characters (the bidi override) leave a replacement mark; the words around it are what count.
    assert.match(lines[4]!.replace(/\ufffd/g, ''), /^ {2}- Coupon \*\*rejected\*\* <img src=x onerror=alert\(1\)> @everyone evil \[click\]\(javascript:alert\(1\)\) — 42 customers · 118 mentions · \$386k ARR · open · ▲ 35%$/);
    assert.ok(lines.includes('  “I lost three sales today because the coupon failed.” — Lopez Ceramics'));
    assert.ok(lines.includes('  Usage: Checkouts completed 11.2k orders (7d) ▼ 6%'));
    assert.ok(lines.includes('  Changed: src/checkout/applyCoupon.ts'));
    const admin = lines.indexOf('Admin (admin) · @shop/backoffice');
    assert.ok(admin > 0, result.stdout);
    assert.equal(lines[admin + 1], '  no customer context yet');
    assert.ok(!result.stdout.includes('Search'), 'a feature changed only on the base is not part of the change');
    assert.ok(lines.includes('In no feature (the map may need a pattern): src/tools/new.ts'));
    assert.ok(lines.includes('Not customer-facing (unmapped): 1 file'));
    assert.ok(!/[\u202e\u202c]/.test(result.stdout), 'no bidi character reaches the terminal');
  });

  it('writes markdown ready for a pull request comment, with the marker and nothing a title could inject', async () => {
    const result = await impact('--base', 'main', '--head', 'HEAD', '--format', 'markdown');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.startsWith('<!-- customer-lens-impact -->\n### Customer impact\n'), result.stdout);
    const html = await marked.parse(result.stdout);
    assert.match(html, /<h4>Checkout \(<code>checkout<\/code>\) · <code>@shop\/payments<\/code><\/h4>/);
    assert.match(html, /<h4>Admin \(<code>admin<\/code>\) · <code>@shop\/backoffice<\/code><\/h4>/);
    assert.ok(html.indexOf('Checkout') < html.indexOf('Admin'), 'the most at stake first');
    assert.ok(html.includes('<a href="https://support.example.com/t/1">'), 'the problem links to its ticket');
    assert.ok(!html.includes('<img'), 'no HTML from a title');
    assert.ok(!html.includes('<strong>rejected'), 'no markdown from a title');
    assert.ok(!html.includes('href="javascript'), 'no link from a title');
    assert.ok(!/(^|[^\\`])@everyone/.test(result.stdout), 'no mention from a title');
    assert.ok(!/[\u202e\u202c]/.test(result.stdout));
    assert.match(html, /<blockquote>\s*<p>“I lost three sales today because the coupon failed.” — Lopez Ceramics<\/p>/);
    assert.match(html, /<strong>Usage<\/strong> Checkouts completed 11.2k orders \(7d\) ▼ 6%/);
    assert.match(html, /<strong>In no feature<\/strong> \(the map may need a pattern\): <code>src\/tools\/new.ts<\/code>/);
  });

  it('prints the report as JSON', async () => {
    const result = await impact('--base', 'main', '--head', 'HEAD', '--format', 'json');
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.equal(json.range, 'main...HEAD');
    assert.deepEqual(json.files, ['docs/guide.md', 'src/admin/users.ts', 'src/checkout/applyCoupon.ts', 'src/tools/new.ts']);
    assert.deepEqual(json.features.map((f: { id: string }) => f.id), ['checkout', 'admin']);
    assert.deepEqual(json.features[0].stake, { openProblems: 2, topCustomers: 42, topArr: { value: 386400, currency: 'USD' } });
    assert.equal(json.features[0].problems[0].title, HOSTILE.replace(/[\u202a-\u202e\u2066-\u2069]/g, '\ufffd'), 'JSON keeps the data as it came, bidi controls shown as �');
    assert.equal(json.features[1].hasContext, false);
    assert.deepEqual(json.features[1].owners, ['@shop/backoffice']);
    assert.deepEqual(json.unmapped, ['src/tools/new.ts']);
    assert.deepEqual(json.ignored, ['docs/guide.md']);
  });

  it('writes the step summary and one annotation per feature in a GitHub Actions step', async () => {
    const summary = path.join(summaryDir, 'summary.md');
    fs.writeFileSync(summary, 'earlier step\n');
    const previous = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = summary;
    try {
      const result = await impact('--base', 'main', '--head', 'HEAD', '--format', 'github');
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3, result.stdout);
      assert.match(lines[0]!, /^::notice file=src\/checkout\/applyCoupon\.ts,title=Customer impact%3A Checkout::2 open problems, the largest hitting 42 customers, up to \$386k ARR on one; top: Coupon/);
      assert.ok(lines[0]!.endsWith('; owners @shop/payments; 1 changed file in this feature'), lines[0]);
      assert.equal(lines[1], '::notice file=src/admin/users.ts,title=Customer impact%3A Admin::no customer context yet; owners @shop/backoffice; 1 changed file in this feature');
      const written = fs.readFileSync(summary, 'utf8');
      assert.ok(written.startsWith('earlier step\n<!-- customer-lens-impact -->\n### Customer impact'), 'appended, never overwriting earlier steps');
    } finally {
      if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = previous;
    }
  });

  it('reports the working tree: uncommitted and untracked files', async () => {
    repo.write('src/search/index.ts', 'export const s = 3;\n');
    repo.write('src/search/new.ts', 'export const n = 1;\n');
    try {
      const result = await impact('--format', 'json');
      assert.equal(result.code, 0, result.stderr);
      const json = JSON.parse(result.stdout);
      assert.equal(json.range, 'uncommitted changes');
      assert.deepEqual(json.files, ['src/search/index.ts', 'src/search/new.ts']);
      assert.deepEqual(json.features.map((f: { id: string }) => f.id), ['search']);
    } finally {
      repo.git('checkout', '--', 'src/search/index.ts');
      fs.rmSync(path.join(repo.root, 'src/search/new.ts'));
    }
  });

  it('says which revision is unknown, and what to do, without a stack trace', async () => {
    const result = await impact('--base', 'origin/nope', '--head', 'HEAD');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--base origin\/nope is not a commit in this repository \(in a shallow CI clone, fetch it first: git fetch origin nope\)/);
    assert.ok(!hasStackTrace(result.stderr));
    const option = await impact('--base', '--upload-pack=evil');
    assert.notEqual(option.code, 0);
    const github = await impact('--format', 'github');
    assert.equal(github.code, 1);
    assert.match(github.stderr, /GITHUB_STEP_SUMMARY/);
    const bad = await impact('--format', 'html');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be one of text, markdown, json, github/);
  });
});
