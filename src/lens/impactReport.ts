// "What does this change put at stake for customers?": the features a set of changed files touches, through the map,
// each with its open problems, one customer's words, the usage headline and its owners; features without customer
// context are listed too, so a reviewer knows whom to ask. `customer-lens impact` lays it out for a terminal, a pull
// request comment, JSON or a GitHub Actions step (impactFormats.ts); the editor's "Customer Impact of My Changes"
// shows the markdown.
import type { Freshness } from '../shared/contextModel';
import type { Problem, Quote, UsageMetric } from '../shared/contextProtocol';
import { lensReport, openProblems, rankByStake, stakeOf, type FeatureBrief, type ReportOptions, type Stake } from './featureBriefs';
import type { LensFolder } from './lensFolder';

/** At most this many open problems per feature: a review comment stays short. */
export const IMPACT_PROBLEMS = 3;

/** A feature the change touches. Every string in it from the context source is untrusted: each layout escapes it. */
export interface ImpactFeature {
  id: string;
  name: string;
  owners: string[];
  /** Absolute root of the folder whose map declares it. */
  root: string;
  /** The changed files in this feature, root-relative. */
  files: string[];
  /** False when the context source has nothing about the feature. */
  hasContext: boolean;
  stake: Stake;
  /** The open problems hitting the most customers, at most IMPACT_PROBLEMS. */
  problems: Problem[];
  /** One customer's words: a negative quote if any (the report is about what hurts), the most recent first. */
  quote?: Quote;
  /** The feature's first usage metric: its headline. */
  usage?: UsageMetric;
}

/** What a change touches. */
export interface ImpactReport {
  /** How the change was named (`origin/main...HEAD`, `uncommitted changes`). */
  range: string;
  /** Every changed file, root-relative (of the first folder when there are several). */
  files: string[];
  /** The most at stake first: customers hit by the largest open problem, then open problems. */
  features: ImpactFeature[];
  /** Changed files in no feature and not marked `unmapped`: the map may need a pattern. */
  unmapped: string[];
  /** Changed files an `unmapped` pattern says are not customer-facing. */
  ignored: string[];
  freshness: Freshness;
  notes: string[];
}

/** A negative quote first, the most recent first. */
export function representativeQuote(quotes: readonly Quote[]): Quote | undefined {
  const byDate = [...quotes].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  return byDate.find((q) => q.sentiment === 'negative') ?? byDate[0];
}

function impactFeature(brief: FeatureBrief): ImpactFeature {
  const context = brief.context;
  const feature: ImpactFeature = {
    id: brief.id,
    name: context?.name ?? brief.name,
    owners: brief.owners,
    root: brief.root,
    files: brief.matches.map((m) => m.path),
    hasContext: context !== undefined,
    stake: stakeOf(brief),
    problems: openProblems(context).slice(0, IMPACT_PROBLEMS),
  };
  const quote = representativeQuote(context?.quotes ?? []);
  if (quote) feature.quote = quote;
  const usage = context?.usage?.[0];
  if (usage) feature.usage = usage;
  return feature;
}

/** The impact of the changed `files` (absolute paths, or relative to the first folder) on the folders' features. */
export async function impactReport(folders: readonly LensFolder[], files: readonly string[], range: string, options: ReportOptions = {}): Promise<ImpactReport> {
  const report = await lensReport(folders, { paths: files }, options);
  const notes = [...report.notes];
  for (const p of report.paths) if (p.problem) notes.push(p.problem);
  return {
    range,
    files: report.paths.map((p) => p.path ?? p.given),
    features: rankByStake(report.features).map(impactFeature),
    unmapped: report.paths.filter((p) => p.featureIds.length === 0 && !p.ignored && !p.problem).map((p) => p.path ?? p.given),
    ignored: report.paths.filter((p) => p.ignored).map((p) => p.path ?? p.given),
    freshness: report.freshness,
    notes,
  };
}
