// "Did this work?": a feature's usage and problem series compared before and after a change to its code, over two
// windows of equal length on either side of the change's day. Pure: series and markers in, outcomes out.
//
// The rules (the README's "Did this work?" states them for users):
// - The change's own day (UTC) belongs to neither window: its points mix before and after.
// - The window is as long as the data after the change allows, at most 28 days: the last point of the feature's
//   series (the earliest last point, when series end on different days) minus the change's day.
// - Enough data means a window of at least 7 days with at least 2 points on each side, in at least one series.
// - A series' value in a window is the mean of its points there, so daily and weekly series compare alike; the
//   figure is after ÷ before − 1. A series with nothing before (a mean of 0) gives no figure.
import type { BeforeAfterFigure, ChangeMarker, ChangeOutcome } from '../shared/changeHistory';
import type { FeatureContext } from '../shared/contextProtocol';
import { openProblems } from './featureBriefs';

const DAY = 86_400_000;
/** The shortest window that counts as enough data, in days. */
export const MIN_WINDOW_DAYS = 7;
/** The longest window compared, in days. */
export const MAX_WINDOW_DAYS = 28;
/** Points needed in each window. */
export const MIN_POINTS = 2;

/** A series to compare, with which way is good news. */
export interface ComparableSeries {
  kind: 'usage' | 'problem';
  id: string;
  label: string;
  /** Points in any order; `t` an ISO date. */
  points: readonly { t: string; v: number }[];
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

interface Parsed {
  series: ComparableSeries;
  points: { t: number; v: number }[];
  last: number;
}

function parse(series: readonly ComparableSeries[]): Parsed[] {
  return series.flatMap((s) => {
    const points = s.points.map((p) => ({ t: dayStart(Date.parse(p.t)), v: p.v })).filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v));
    if (points.length === 0) return [];
    return [{ series: s, points, last: Math.max(...points.map((p) => p.t)) }];
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The series of a feature's context that can be compared: usage metrics in order, then problems by customers hit. */
export function comparableSeries(context: FeatureContext | undefined): ComparableSeries[] {
  const usage = (context?.usage ?? []).filter((m) => (m.series?.length ?? 0) > 0).map((m): ComparableSeries => ({ kind: 'usage', id: m.id, label: m.label, points: m.series! }));
  const open = openProblems(context);
  const solved = (context?.problems ?? []).filter((p) => !open.includes(p));
  const problems = [...open, ...solved].filter((p) => (p.series?.length ?? 0) > 0).map((p): ComparableSeries => ({ kind: 'problem', id: p.id, label: p.title, points: p.series! }));
  return [...usage, ...problems];
}

/** Compares `series` before and after `change`; "not enough" when no series has enough data on both sides. */
export function beforeAfter(change: ChangeMarker, series: readonly ComparableSeries[]): ChangeOutcome {
  const parsed = parse(series);
  const changeDay = dayStart(change.date);
  if (parsed.length === 0) return { state: 'not-enough', change, daysAfter: 0, neededDays: MIN_WINDOW_DAYS, noSeries: true };
  const after = parsed.filter((p) => p.last > changeDay);
  const daysAfter = after.length === 0 ? 0 : Math.round((Math.min(...after.map((p) => p.last)) - changeDay) / DAY);
  const windowDays = Math.min(MAX_WINDOW_DAYS, daysAfter);
  const notEnough: ChangeOutcome = { state: 'not-enough', change, daysAfter, neededDays: MIN_WINDOW_DAYS };
  if (windowDays < MIN_WINDOW_DAYS) return notEnough;
  const figures: BeforeAfterFigure[] = [];
  for (const { series: s, points } of after) {
    const before = points.filter((p) => p.t < changeDay && p.t >= changeDay - windowDays * DAY).map((p) => p.v);
    const later = points.filter((p) => p.t > changeDay && p.t <= changeDay + windowDays * DAY).map((p) => p.v);
    if (before.length < MIN_POINTS || later.length < MIN_POINTS) continue;
    const beforeMean = mean(before);
    const afterMean = mean(later);
    if (beforeMean === 0) continue;
    const ratio = afterMean / beforeMean - 1;
    figures.push({ kind: s.kind, id: s.id, label: s.label, before: beforeMean, after: afterMean, ratio, good: s.kind === 'usage' ? ratio >= 0 : ratio <= 0 });
  }
  return figures.length > 0 ? { state: 'measured', change, windowDays, figures } : notEnough;
}

/**
 * The outcomes a feature shows: `measured`, the latest commit with enough data on both sides; `pending`, the latest
 * commit when it is newer than that one (or none could be measured), with too little data after it.
 */
export function latestOutcomes(markers: readonly ChangeMarker[], series: readonly ComparableSeries[]): { measured?: ChangeOutcome; pending?: ChangeOutcome } {
  const commits = markers.filter((m) => m.kind === 'commit').sort((a, b) => b.date - a.date);
  const latest = commits[0];
  if (!latest) return {};
  for (const commit of commits) {
    const outcome = beforeAfter(commit, series);
    if (outcome.state === 'measured') return commit === latest ? { measured: outcome } : { measured: outcome, pending: beforeAfter(latest, series) };
    // Past the series' start nothing older can be measured.
    if (outcome.state === 'not-enough' && outcome.noSeries) break;
  }
  return { pending: beforeAfter(latest, series) };
}
