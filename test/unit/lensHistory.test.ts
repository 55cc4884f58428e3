// "Did this work?" from a throwaway git repository with commits at fixed dates and series with known values: which
// changes mark each feature's trend lines, the before/after sentence over equal windows, "not enough data" after a
// recent change, a hostile commit subject made harmless, and the features someone changed in the last 30 days.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { marked } from 'marked';
import { readHistory } from '../../src/git/gitLog';
import { comparableSeries, beforeAfter } from '../../src/lens/beforeAfter';
import { featureHistoryInfo, FolderHistory, recentChangesBy, recentOutcome } from '../../src/lens/featureHistory';
import { loadWorkspaceMap } from '../../src/map/workspaceMap';
import { outcomeSentence, type SentenceStyle } from '../../src/shared/changeHistory';
import type { FeatureContext } from '../../src/shared/contextProtocol';
import { code, text } from '../../src/shared/markdownText';
import { plainText } from '../../src/shared/plainText';
import { createRepo, dailySeries, TEST_MAP, type TestRepo } from './support/gitRepos';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-21T12:00:00Z');
const PLAIN: SentenceStyle = { text: plainText, code: (v) => v };
const MARKDOWN: SentenceStyle = { text, code };

const daily = dailySeries;

const CHECKOUT: FeatureContext = {
  id: 'checkout',
  name: 'Checkout',
  usage: [{ id: 'completed', label: 'Checkouts completed', value: 104, series: daily('2026-10-01', '2026-11-20', '2026-11-03', 100, 104) }],
  problems: [{ id: 'coupon', title: 'Coupon codes rejected', customers: 42, status: 'open', series: daily('2026-10-01', '2026-11-20', '2026-11-03', 10, 4) }],
} as FeatureContext;

describe('did this work: history and before/after', function () {
  this.timeout(60_000);
  let repo: TestRepo;
  let fix: string;
  let late: string;
  before(() => {
    repo = createRepo();
    repo.commit('Start', '2026-09-01T10:00:00Z', { '.customer-lens.yml': TEST_MAP, 'src/checkout/a.ts': '1', 'src/search/s.ts': '1' });
    fix = repo.commit('Accept lower-case coupon codes', '2026-11-03T10:00:00Z', { 'src/checkout/a.ts': '2' });
    repo.commit('Tidy the coupon step', '2026-11-03T15:00:00Z', { 'src/checkout/a.ts': '3' });
    repo.git('tag', 'v1.4.0');
    repo.commit('Faster search', '2026-11-10T10:00:00Z', { 'src/search/s.ts': '2' }, 'someone@example.com');
    late = repo.commit('**Bold** <b>x</b> \u202eevil [click](javascript:alert(1))', '2026-11-18T10:00:00Z', { 'src/checkout/a.ts': '4' });
    repo.commit('Old change by me', '2026-10-01T10:00:00Z', { 'src/search/s.ts': '3' });
  });
  after(() => repo.remove());

  async function snapshot() {
    const { map } = await loadWorkspaceMap(repo.root);
    assert.ok(map);
    const history = new FolderHistory(repo.root, { periodDays: 180, maxCommits: 1000, recheckMs: 30_000 }, { now: () => NOW });
    const state = await history.read(map);
    assert.equal(state.state, 'ready', JSON.stringify(state));
    return state;
  }

  it('reads commits with their files, subjects, authors and tags, within the period and the cap', async () => {
    const all = await readHistory(repo.root, { since: Date.parse('2026-01-01T00:00:00Z'), maxCommits: 100 });
    assert.equal(all.commits.length, 6);
    assert.deepEqual(all.commits[0]!.files, ['src/search/s.ts']);
    assert.equal(all.commits[0]!.subject, 'Old change by me');
    assert.equal(all.tags[0]!.name, 'v1.4.0');
    assert.equal(all.truncated, false);
    const capped = await readHistory(repo.root, { since: 0, maxCommits: 2 });
    assert.equal(capped.commits.length, 2);
    assert.equal(capped.truncated, true);
    const recent = await readHistory(repo.root, { since: Date.parse('2026-09-15T00:00:00Z'), maxCommits: 100 });
    assert.deepEqual(recent.commits.map((c) => c.subject.slice(0, 12)), ['Old change b', '**Bold** <b>', 'Faster searc', 'Tidy the cou', 'Accept lower']);
  });

  it('marks each feature with its commits (one a day, with the subject) and the tag that released them', async () => {
    const state = await snapshot();
    const info = featureHistoryInfo(state, 'checkout', CHECKOUT);
    const commits = info.changes.filter((c) => c.kind === 'commit');
    assert.deepEqual(commits.map((c) => [new Date(c.date).toISOString().slice(0, 10), c.subject.slice(0, 12), c.sameDay ?? 0]), [
      ['2026-11-18', '**Bold** <b>', 0],
      ['2026-11-03', 'Tidy the cou', 1],
      ['2026-09-01', 'Start', 0],
    ]);
    const tag = info.changes.find((c) => c.kind === 'tag');
    assert.equal(tag?.tag, 'v1.4.0');
    assert.equal(tag?.ships, 3, 'the tag released the three checkout commits before it');
    const search = featureHistoryInfo(state, 'search', undefined);
    assert.deepEqual(search.changes.filter((c) => c.kind === 'commit').map((c) => c.subject), ['Faster search', 'Old change by me', 'Start']);
    assert.equal(featureHistoryInfo(state, 'admin', undefined).changes.length, 0);
  });

  it('compares the latest measurable change over equal windows, and says "not enough data" after a recent one', async () => {
    const state = await snapshot();
    const info = featureHistoryInfo(state, 'checkout', CHECKOUT);
    assert.equal(info.measured?.state, 'measured');
    const short = repo.git('rev-parse', '--short', 'HEAD~3').trim();
    assert.equal(
      outcomeSentence(info.measured!, NOW, PLAIN),
      `Since the change of 3 Nov (${short} Tidy the coupon step and 1 more that day): Checkouts completed ▲ 4%, mentions of “Coupon codes rejected” ▼ 60% (17 days before and after)`,
    );
    assert.equal(info.pending?.state, 'not-enough');
    const pending = outcomeSentence(info.pending!, NOW, PLAIN);
    assert.match(pending, /^Since the change of 18 Nov \([0-9a-f]{7,} \*\*Bold\*\* <b>x<\/b> evil \[click\]\(javascript:alert\(1\)\)\): not enough data yet, 2 days after it of the 7 needed$/);
    assert.ok(!pending.includes('\u202e'), 'no bidi character from a subject');
    assert.ok(late.length === 40);
  });

  it('renders a hostile subject in markdown as text: no formatting, HTML or link', async () => {
    const state = await snapshot();
    const info = featureHistoryInfo(state, 'checkout', CHECKOUT);
    const html = await marked.parse(outcomeSentence(info.pending!, NOW, MARKDOWN));
    assert.ok(!html.includes('<strong>') && !html.includes('<b>') && !html.includes('<a '), html);
    assert.ok(!html.includes('\u202e'));
    // Read as the browser shows it: brackets written as character references, a mark (�) where the override was.
    const shown = html.replace(/&#91;/g, '[').replace(/&#93;/g, ']').replace(/\ufffd/g, '');
    assert.match(shown, /<code>[0-9a-f]{7,}<\/code> \*\*Bold\*\* &lt;b&gt;x&lt;\/b&gt; evil \[click\]\(javascript:alert\(1\)\)/);
  });

  it('needs a week of data on both sides, two points each, and a series at all', () => {
    const marker = { kind: 'commit' as const, hash: fix, short: fix.slice(0, 7), date: Date.parse('2026-11-15T10:00:00Z'), subject: 'x' };
    const series = comparableSeries(CHECKOUT);
    const six = beforeAfter({ ...marker, date: Date.parse('2026-11-14T10:00:00Z') }, series);
    assert.deepEqual([six.state, six.state === 'not-enough' && six.daysAfter], ['not-enough', 6]);
    const seven = beforeAfter({ ...marker, date: Date.parse('2026-11-13T10:00:00Z') }, series);
    assert.equal(seven.state, 'measured');
    assert.equal(seven.state === 'measured' && seven.windowDays, 7);
    const none = beforeAfter(marker, []);
    assert.equal(outcomeSentence(none, NOW, PLAIN), 'Since the change of 15 Nov (' + fix.slice(0, 7) + ' x): no usage or problem series to compare');
    // Weekly points: a 7-day window holds one point a side, which is not enough; 14 days hold two.
    const weekly = [{ kind: 'usage' as const, id: 'w', label: 'Weekly', points: ['2026-10-20', '2026-10-27', '2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'].map((t, i) => ({ t, v: i < 3 ? 10 : 20 })) }];
    const onePointAfter = { ...weekly[0]!, points: [...weekly[0]!.points.slice(0, 3), { t: '2026-11-12', v: 20 }] };
    const oneWeek = beforeAfter({ ...marker, date: Date.parse('2026-11-05T10:00:00Z') }, [onePointAfter]);
    assert.equal(oneWeek.state, 'not-enough');
    const twoWeeks = beforeAfter({ ...marker, date: Date.parse('2026-11-05T10:00:00Z') }, weekly);
    assert.equal(twoWeeks.state === 'measured' && Math.round(twoWeeks.figures[0]!.ratio * 100), 100);
  });

  it('lists the features I changed in the last 30 days, each with its before/after', async () => {
    const state = await snapshot();
    assert.equal(state.state, 'ready');
    const since = NOW - 30 * DAY;
    const mine = recentChangesBy(state.snapshot, 'DEV@example.com', since);
    assert.deepEqual(mine.map((r) => [r.featureId, r.change.subject.slice(0, 6), r.commits]), [['checkout', '**Bold', 3]]);
    assert.equal(recentOutcome(mine[0]!, CHECKOUT).state, 'not-enough');
    const theirs = recentChangesBy(state.snapshot, 'someone@example.com', since);
    assert.deepEqual(theirs.map((r) => r.featureId), ['search']);
    assert.deepEqual(recentChangesBy(state.snapshot, 'nobody@example.com', since), []);
  });

  it('checks again at once after a refresh: a folder that just became a repository gets its history', async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-not-git-'));
    try {
      fs.mkdirSync(path.join(plain, 'src', 'checkout'), { recursive: true });
      fs.writeFileSync(path.join(plain, '.customer-lens.yml'), TEST_MAP);
      fs.writeFileSync(path.join(plain, 'src', 'checkout', 'a.ts'), '1');
      const { map } = await loadWorkspaceMap(plain);
      let now = NOW;
      const history = new FolderHistory(plain, { periodDays: 3650, maxCommits: 100, recheckMs: 30_000 }, { now: () => now });
      // Outside a repository (git looks upwards: the temporary folder is in none).
      assert.equal((await history.read(map!)).state, 'unavailable');
      execFileSync('git', ['init', '-q'], { cwd: plain });
      execFileSync('git', ['add', '-A'], { cwd: plain });
      execFileSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Start'], { cwd: plain });
      now += 1000;
      assert.equal(history.peek(map!).state, 'unavailable', 'not checked again before the recheck interval');
      history.invalidate();
      assert.equal(history.peek(map!).state, 'reading');
      const state = await history.read(map!);
      assert.equal(state.state, 'ready');
      assert.deepEqual(featureHistoryInfo(state, 'checkout', undefined).changes.map((c) => c.subject), ['Start']);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  it('has no history for a copy in a folder its repository ignores (a test or build folder)', async () => {
    fs.writeFileSync(path.join(repo.root, '.gitignore'), 'scratch/\n');
    const copy = path.join(repo.root, 'scratch', 'ws');
    try {
      fs.mkdirSync(path.join(copy, 'src', 'checkout'), { recursive: true });
      fs.writeFileSync(path.join(copy, '.customer-lens.yml'), TEST_MAP);
      const { map } = await loadWorkspaceMap(copy);
      const state = await new FolderHistory(copy, undefined, { now: () => NOW }).read(map!);
      assert.equal(state.state, 'unavailable');
      assert.match(state.state === 'unavailable' ? state.reason : '', /in a folder its git repository ignores/);
    } finally {
      fs.rmSync(path.join(repo.root, 'scratch'), { recursive: true, force: true });
      fs.rmSync(path.join(repo.root, '.gitignore'));
    }
  });

  it('says why there is no history outside a repository, without throwing', async () => {
    const { map } = await loadWorkspaceMap(repo.root);
    const history = new FolderHistory('/', undefined, { now: () => NOW });
    const state = await history.read(map!);
    assert.equal(state.state, 'unavailable');
    assert.match(state.state === 'unavailable' ? state.reason : '', /not in a git repository/);
  });
});
