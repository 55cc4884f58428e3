// "Did this work?" in the Context view's model, in plain Node: where a change sits on a trend line, what its marker
// says (a hostile commit subject made one printable line), the before/after lines, and "Your recent changes".
import * as assert from 'node:assert/strict';
import { markerLabel, outcomeView, recentChangesView, sparkMarkers } from '../../src/client/sidebar/changeViews';
import type { ChangeMarker, FeatureHistoryInfo, RecentChangesInfo } from '../../src/shared/changeHistory';
import { markerX, sparklinePoints, SPARKLINE_WIDTH } from '../../src/webview/sparkline';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const weekly = ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02'].map((t) => ({ t: `${t}T00:00:00Z` }));
const commit = (date: string, subject = 'Accept lower-case coupon codes', extra: Partial<ChangeMarker> = {}): ChangeMarker => ({
  kind: 'commit',
  hash: 'a1b2c3d'.padEnd(40, '0'),
  short: 'a1b2c3d',
  date: Date.parse(date),
  subject,
  ...extra,
});

describe('did this work: sidebar model', () => {
  it('places a change between the points around it, and drops changes outside the line', () => {
    const markers = sparkMarkers(weekly, [commit('2026-09-01T00:00:00Z'), commit('2026-10-12T00:00:00Z'), commit('2026-10-22T12:00:00Z'), commit('2026-11-20T00:00:00Z')], NOW);
    assert.deepEqual(markers.map((m) => m.position), [0.25, 0.625]);
    // On the same scale as the line's own points: the change on the second point's day is drawn at that point.
    assert.equal(markerX(markers[0]!.position), sparklinePoints([1, 2, 3, 4, 5])[1]!.x);
    assert.equal(markerX(1), sparklinePoints([1, 2])[1]!.x);
    assert.ok(markerX(0.625) > 0 && markerX(0.625) < SPARKLINE_WIDTH);
  });

  it('labels a marker with its date, hash and subject, as one printable line', () => {
    assert.equal(markerLabel(commit('2026-11-03T10:00:00Z', 'Fix\u202e the\ncoupon\u0007 step', { sameDay: 2 }), NOW), '3 Nov · a1b2c3d Fix the coupon step (and 2 more that day)');
    assert.equal(markerLabel({ ...commit('2025-12-01T00:00:00Z'), kind: 'tag', tag: 'v1.4.0', ships: 3 }, NOW), '1 Dec 2025 · release v1.4.0 (3 changes to this feature)');
  });

  it('words the before/after, the change still waiting for data, and why there is nothing to show', () => {
    const change = commit('2026-11-03T10:00:00Z');
    const history: FeatureHistoryInfo = {
      state: 'ready',
      changes: [change],
      since: Date.parse('2026-06-01T00:00:00Z'),
      measured: {
        state: 'measured',
        change,
        windowDays: 14,
        figures: [
          { kind: 'usage', id: 'c', label: 'Checkouts completed', before: 100, after: 104, ratio: 0.04, good: true },
          { kind: 'problem', id: 'p', label: 'Coupon codes rejected', before: 10, after: 4, ratio: -0.6, good: true },
        ],
      },
      pending: { state: 'not-enough', change: commit('2026-11-20T10:00:00Z', 'Later'), daysAfter: 2, neededDays: 7 },
    };
    assert.deepEqual(outcomeView(history, NOW), {
      measured: 'Since the change of 3 Nov (a1b2c3d Accept lower-case coupon codes): Checkouts completed ▲ 4%, mentions of “Coupon codes rejected” ▼ 60% (14 days before and after)',
      pending: 'Since the change of 20 Nov (a1b2c3d Later): not enough data yet, 2 days after it of the 7 needed',
    });
    assert.deepEqual(outcomeView({ state: 'ready', changes: [], since: Date.parse('2026-06-01T00:00:00Z') }, NOW), { note: "No change to this feature's code since 1 Jun." });
    assert.deepEqual(outcomeView({ state: 'reading', changes: [] }, NOW), { note: 'Reading the git history of this feature…' });
    assert.equal(outcomeView({ state: 'unavailable', reason: 'not a repository', changes: [] }, NOW), undefined, 'outside git the section is left out');
  });

  it('lists my recent changes with their outcome, or says why there are none', () => {
    const change = commit('2026-11-03T10:00:00Z');
    const info: RecentChangesInfo = {
      state: 'ready',
      email: 'dev@example.com',
      days: 30,
      changes: [
        {
          featureId: 'checkout',
          name: 'Checkout',
          change,
          commits: 3,
          outcome: { state: 'measured', change, windowDays: 14, figures: [{ kind: 'problem', id: 'p', label: 'Coupon codes rejected', before: 10, after: 4, ratio: -0.6, good: true }] },
        },
      ],
    };
    const view = recentChangesView(info, NOW)!;
    assert.equal(view.title, 'Your recent changes (dev@example.com)');
    assert.deepEqual(view.items[0], {
      featureId: 'checkout',
      name: 'Checkout',
      changeText: '3 commits, the latest 3 Nov (a1b2c3d Accept lower-case coupon codes)',
      outcome: 'Since the change of 3 Nov (a1b2c3d Accept lower-case coupon codes): mentions of “Coupon codes rejected” ▼ 60% (14 days before and after)',
      good: true,
    });
    assert.equal(recentChangesView({ state: 'no-email', days: 30, changes: [] }, NOW)?.message, 'Set git config user.email to see the features you changed and whether customers noticed.');
    assert.equal(recentChangesView({ state: 'ready', email: 'a@b.c', days: 30, changes: [] }, NOW)?.message, 'You changed no feature of this map in the last 30 days.');
    assert.equal(recentChangesView({ state: 'unavailable', days: 30, changes: [] }, NOW), undefined);
  });
});
