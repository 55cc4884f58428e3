// "Did this work?" in the Context view: changes to a feature's code as markers on its trend lines, the before/after
// sentence, and "Your recent changes". Pure (no `vscode` import). Commit subjects and tag names come from the
// repository: untrusted text, made one printable line here (the webview then shows it with textContent).
import { formatChangeDate, outcomeSentence, type ChangeMarker, type FeatureHistoryInfo, type RecentChangesInfo, type SentenceStyle } from '../../shared/changeHistory';
import { plainText } from '../../shared/plainText';
import type { RecentChangesView, SparkMarker } from '../../shared/webviewProtocol';
import { countOf, epochOf } from './format';

const PLAIN: SentenceStyle = { text: plainText, code: (value) => plainText(value, 12) };
/** The sidebar has room for a whole subject line. */
const SIDEBAR = { subjectMax: 100, labelMax: 80 };
/** At most this many markers on one line: past that they merge into a smudge. */
const MAX_MARKERS = 12;

/** What a marker says on hover: `3 Nov · a1b2c3d Accept lower-case coupon codes (and 2 more that day)`. */
export function markerLabel(marker: ChangeMarker, now: number): string {
  const date = formatChangeDate(marker.date, now);
  if (marker.kind === 'tag') {
    const ships = marker.ships ? ` (${countOf(marker.ships, 'change')} to this feature)` : '';
    return `${date} · release ${plainText(marker.tag ?? '', 60)}${ships}`;
  }
  const more = marker.sameDay ? ` (and ${marker.sameDay} more that day)` : '';
  return `${date} · ${plainText(marker.short, 12)} ${plainText(marker.subject, 100)}${more}`;
}

/**
 * Markers for a line of `points` (in time order): each change within the line's span, placed by time between the
 * points around it (0 the first point, 1 the last). Changes outside the span are left out.
 */
export function sparkMarkers(points: readonly { t: string }[], changes: readonly ChangeMarker[], now: number): SparkMarker[] {
  const times = points.map((p) => epochOf(p.t));
  if (times.length < 2 || times.some((t) => t === 0)) return [];
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const steps = times.length - 1;
  const markers: SparkMarker[] = [];
  for (const change of changes) {
    if (change.date < first || change.date > last) continue;
    let i = 0;
    while (i < steps - 1 && times[i + 1]! <= change.date) i++;
    const span = times[i + 1]! - times[i]!;
    const within = span > 0 ? Math.min(1, Math.max(0, (change.date - times[i]!) / span)) : 0;
    markers.push({ position: Math.round(((i + within) / steps) * 10_000) / 10_000, kind: change.kind, label: markerLabel(change, now) });
    if (markers.length === MAX_MARKERS) break;
  }
  return markers;
}

/** The feature's "Did it work?" lines, or undefined when git history is not in play (no repository, still reading with nothing known). */
export function outcomeView(history: FeatureHistoryInfo | undefined, now: number): { measured?: string; pending?: string; note?: string } | undefined {
  if (!history || history.state === 'unavailable') return undefined;
  const view: { measured?: string; pending?: string; note?: string } = {};
  if (history.measured) view.measured = outcomeSentence(history.measured, now, PLAIN, SIDEBAR);
  if (history.pending) view.pending = outcomeSentence(history.pending, now, PLAIN, SIDEBAR);
  const commits = history.changes.filter((c) => c.kind === 'commit');
  if (history.state === 'reading' && commits.length === 0) view.note = 'Reading the git history of this feature…';
  else if (commits.length === 0) view.note = history.since ? `No change to this feature's code since ${formatChangeDate(history.since, now)}.` : undefined;
  else if (history.truncated && history.since) view.note = `Changes read from the most recent commits only.`;
  return Object.keys(view).length > 0 ? view : undefined;
}

/** "Your recent changes" as the Context view shows it. */
export function recentChangesView(info: RecentChangesInfo | undefined, now: number): RecentChangesView | undefined {
  if (!info || info.state === 'unavailable') return undefined;
  const title = `Your recent changes${info.email ? ` (${plainText(info.email, 80)})` : ''}`;
  if (info.state === 'no-email') return { title, items: [], message: 'Set git config user.email to see the features you changed and whether customers noticed.' };
  if (info.changes.length === 0) {
    return { title, items: [], message: info.state === 'reading' ? 'Reading the git history…' : `You changed no feature of this map in the last ${info.days} days.` };
  }
  return {
    title,
    items: info.changes.map((item) => {
      const change = item.change;
      const latest = `${formatChangeDate(change.date, now)} (${plainText(change.short, 12)} ${plainText(change.subject, 80)})`;
      const outcome = item.outcome;
      const view: RecentChangesView['items'][number] = {
        featureId: item.featureId,
        name: plainText(item.name, 80),
        changeText: item.commits === 1 ? `1 commit, ${latest}` : `${countOf(item.commits, 'commit')}, the latest ${latest}`,
        outcome: outcomeSentence(outcome, now, PLAIN, SIDEBAR),
      };
      if (outcome.state === 'measured') view.good = outcome.figures.every((f) => f.good);
      return view;
    }),
  };
}
