/**
 * "Did this work?": when a feature's code changed (from git) and what its usage and problems did before and after,
 * as the language server sends it and every surface words it. The hover card, the sidebar and the CLI say the same
 * sentence the same way: `outcomeSentence` builds it, each surface passing its own escaping. No `vscode` import here.
 */
import { formatChange, formatCount } from './displayFormat';

/** A change to a feature's code: a commit that touched its files, or a tag that released such commits. */
export interface ChangeMarker {
  kind: 'commit' | 'tag';
  /** Full commit hash (for a tag: the commit it points to). */
  hash: string;
  /** Abbreviated hash, e.g. `a1b2c3d`. */
  short: string;
  /** When it landed (committer date; for a tag, when it was tagged), epoch ms. */
  date: number;
  /** The commit's subject line (repository text: untrusted, escape before display). */
  subject: string;
  /** The commit's author, for a commit. */
  author?: string;
  authorEmail?: string;
  /** Tag names pointing at this commit, for a commit. */
  tags?: string[];
  /** The tag's name, for a tag (several names on one commit are joined with ", "). */
  tag?: string;
  /** For a tag: how many of the feature's commits it is the first tag to contain. */
  ships?: number;
  /** For a commit: other commits to the feature on the same day (UTC), folded into this one. */
  sameDay?: number;
}

/** One series compared before and after a change. */
export interface BeforeAfterFigure {
  kind: 'usage' | 'problem';
  /** The usage metric's or problem's id. */
  id: string;
  /** The metric's label, or the problem's title (remote text: escape before display). */
  label: string;
  /** Mean value per point in the window before the change, and in the window after it. */
  before: number;
  after: number;
  /** `after ÷ before − 1`. */
  ratio: number;
  /** True when the change is good news: usage up, problem mentions down. */
  good: boolean;
}

/** What a feature's series did around one change. */
export type ChangeOutcome =
  | {
      state: 'measured';
      change: ChangeMarker;
      /** The length of each window, before and after the change, in days. */
      windowDays: number;
      /** Usage metrics first (in the context's order), then problems (most customers first). */
      figures: BeforeAfterFigure[];
    }
  | {
      state: 'not-enough';
      change: ChangeMarker;
      /** Days of data after the change so far (0 when the series end before it). */
      daysAfter: number;
      /** Days needed on each side. */
      neededDays: number;
      /** True when the feature has no series at all to compare. */
      noSeries?: boolean;
    };

/** A feature's recent history: its changes and the before/after of the latest one that can be measured. */
export interface FeatureHistoryInfo {
  /** `ready`: read; `reading`: the first read is under way; `unavailable`: no git history (`reason` says why). */
  state: 'ready' | 'reading' | 'unavailable';
  reason?: string;
  /** Commits and tags, newest first (at most the most recent few dozen). */
  changes: ChangeMarker[];
  /** The latest change with enough data on both sides, compared over equal windows. */
  measured?: ChangeOutcome;
  /** The latest change when it is newer than `measured` (or nothing could be measured) and has too little data after it. */
  pending?: ChangeOutcome;
  /** The start of the period read, epoch ms. */
  since?: number;
  /** True when the commit cap cut the period short. */
  truncated?: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "3 Nov", or "3 Nov 2025" when the year is not `now`'s (UTC). */
export function formatChangeDate(date: number, now: number): string {
  const d = new Date(date);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return d.getUTCFullYear() === new Date(now).getUTCFullYear() ? day : `${day} ${d.getUTCFullYear()}`;
}

/** How a surface escapes text: plain for the terminal and the DOM, markdown for the hover. */
export interface SentenceStyle {
  /** Remote or repository text, cut to `max` characters. */
  text(value: string, max: number): string;
  /** A hash as code. */
  code(value: string): string;
  /** Joins words of a figure we formatted ourselves so they do not wrap apart. */
  keep?(figure: string): string;
}

/** What a figure is called: the metric's label, or `mentions of “<problem title>”`. */
export function figureLabel(figure: BeforeAfterFigure, style: SentenceStyle, max = 48): string {
  return figure.kind === 'usage' ? style.text(figure.label, max) : `mentions of “${style.text(figure.label, max)}”`;
}

/** "Checkouts completed ▲ 4%". */
export function figureText(figure: BeforeAfterFigure, style: SentenceStyle, max?: number): string {
  const change = formatChange(figure.ratio) || '± 0%';
  return `${figureLabel(figure, style, max)} ${style.keep ? style.keep(change) : change}`;
}

/** "the change of 3 Nov (`a1b2c3d` Accept lower-case coupon codes)". */
export function changeName(change: ChangeMarker, now: number, style: SentenceStyle, subjectMax = 60): string {
  const more = change.sameDay ? ` and ${change.sameDay} more that day` : '';
  return `the change of ${formatChangeDate(change.date, now)} (${style.code(change.short)} ${style.text(change.subject, subjectMax)}${more})`;
}

/** Options of {@link outcomeSentence}. */
export interface SentenceOptions {
  /** At most this many figures (default: all). */
  maxFigures?: number;
  /** Cut labels at this many characters. */
  labelMax?: number;
  subjectMax?: number;
}

/**
 * The sentence: "Since the change of 3 Nov (`a1b2c3d` Accept lower-case coupon codes): Checkouts completed ▲ 4%,
 * mentions of “Coupon codes rejected” ▼ 60% (14 days before and after)"; or, with too little data after the change,
 * "Since the change of 20 Nov (…): not enough data yet, 3 days after it of the 7 needed".
 */
export function outcomeSentence(outcome: ChangeOutcome, now: number, style: SentenceStyle, options: SentenceOptions = {}): string {
  const since = `Since ${changeName(outcome.change, now, style, options.subjectMax)}`;
  if (outcome.state === 'not-enough') {
    if (outcome.noSeries) return `${since}: no usage or problem series to compare`;
    const days = outcome.daysAfter === 1 ? '1 day' : `${formatCount(outcome.daysAfter)} days`;
    return `${since}: not enough data yet, ${days} after it of the ${outcome.neededDays} needed`;
  }
  const figures = outcome.figures.slice(0, options.maxFigures ?? outcome.figures.length);
  const more = outcome.figures.length - figures.length;
  const list = figures.map((f) => figureText(f, style, options.labelMax)).join(', ');
  const tail = more > 0 ? ` and ${more} more` : '';
  return `${since}: ${list}${tail} (${outcome.windowDays} days before and after)`;
}

/** The figures a one-line summary shows: the first usage metric and the first problem, else the first two. */
export function headlineFigures(figures: readonly BeforeAfterFigure[]): BeforeAfterFigure[] {
  const usage = figures.find((f) => f.kind === 'usage');
  const problem = figures.find((f) => f.kind === 'problem');
  const picked = [usage, problem].filter((f): f is BeforeAfterFigure => f !== undefined);
  return picked.length === 2 ? picked : figures.slice(0, 2);
}

/** A feature the user changed lately ("Your recent changes"), with what its series did since. */
export interface RecentChangeInfo {
  featureId: string;
  /** The feature's name from the map. */
  name: string;
  /** The user's latest commit to the feature. */
  change: ChangeMarker;
  /** How many of the user's commits touched it in the period. */
  commits: number;
  outcome: ChangeOutcome;
}

/** "Your recent changes" for a workspace folder: whose, over which period, and whether git could be read. */
export interface RecentChangesInfo {
  /** `no-email`: git has no `user.email` for this repository, so "yours" cannot be told. */
  state: 'ready' | 'reading' | 'unavailable' | 'no-email';
  /** The author e-mail the list is for (`git config user.email`). */
  email?: string;
  /** The period, in days (30). */
  days: number;
  changes: RecentChangeInfo[];
  reason?: string;
}
