// The lens's one question: which features do these paths (or these feature ids) belong to, why, and what do their
// customers say. The CLI's `context`, the agents' tools (MCP and VS Code) and `impact` ask it; each lays the answer
// out its own way. Nothing here trims or formats: a FeatureBrief carries the full context.
import * as path from 'node:path';
import type { Freshness } from '../shared/contextModel';
import type { FeatureContext, Link, Problem } from '../shared/contextProtocol';
import { formatChange, formatCount, formatMoney } from '../shared/displayFormat';
import type { MapFeature } from '../shared/mapModel';
import { mergeFreshness, resolvePath, type LensFolder, type LookupOptions } from './lensFolder';

/** Why a path belongs where it does: the pattern, and where it is written (map file relative to the folder root). */
export interface MatchSource {
  pattern: string;
  mapFile: string;
  /** 1-based line of the pattern. */
  line: number;
}

/** One asked-for path and where it stands in its folder's map. */
export interface PathMapping {
  /** The path as given. */
  given: string;
  /** Root-relative, `/`-separated (a trailing `/` for a folder); absent when the path could not be placed. */
  path?: string;
  /** Absolute root of the folder it belongs to. */
  root?: string;
  /** Its features, primary first; empty when unmapped or ignored. */
  featureIds: string[];
  /** True when an `unmapped` pattern says the path is not customer-facing. */
  ignored: boolean;
  ignoredBy?: MatchSource;
  /** Why this path has no answer (outside the workspace, no map in its folder). */
  problem?: string;
}

/** A path of the request that belongs to a feature. */
export interface BriefMatch extends MatchSource {
  path: string;
  /** True when the feature is the path's primary one. */
  primary: boolean;
}

/** What the map says about a feature (the repository's own words; never customer data). */
export interface MapFacts {
  id: string;
  name: string;
  description?: string;
  owners: string[];
  symbols: string[];
  events: string[];
  /** Links from the map file. */
  links: Link[];
}

/** A feature with its customer context, and the asked paths that belong to it. */
export interface FeatureBrief extends MapFacts {
  /** Absolute root of the folder whose map declares it. */
  root: string;
  /** The map file that declares it, relative to the root. */
  mapFile: string;
  /** The asked paths in this feature, in the order asked; empty when the feature was asked for by id. */
  matches: BriefMatch[];
  /** Absent when the context source has no data for this feature. */
  context?: FeatureContext;
}

/** The answer to "these paths and feature ids: which features, why, and their customers". */
export interface LensReport {
  paths: PathMapping[];
  /** Features of the first path first (primary first), then those of later paths, then those asked by id. */
  features: FeatureBrief[];
  /** Feature ids asked for that no map declares. */
  unknownFeatureIds: string[];
  /** Where the context came from and how fresh it is. */
  freshness: Freshness;
  /** Sentences about what could not be answered fully (a slow endpoint, a folder without a map). */
  notes: string[];
}

/** What to ask: paths and/or feature ids. */
export interface LensRequest {
  paths?: readonly string[];
  featureIds?: readonly string[];
}

/** How long to wait for context that is not cached; past it the answer says the rest is still loading. */
export interface ReportOptions extends LookupOptions {
  waitMs?: number;
}

/** A map feature's own facts, copied (the map's objects stay untouched). Shared with the language server. */
export function mapFacts(feature: MapFeature): MapFacts {
  const facts: MapFacts = {
    id: feature.id,
    name: feature.name,
    owners: [...feature.owners],
    symbols: [...feature.symbols],
    events: [...feature.events],
    links: feature.links.map((l) => ({ title: l.title, url: l.url })),
  };
  if (feature.description !== undefined) facts.description = feature.description;
  return facts;
}

/** The folder-relative, `/`-separated path of a map file. */
export function relativeMapFile(root: string, mapFile: string): string {
  const relative = path.relative(root, mapFile);
  return relative.startsWith('..') || path.isAbsolute(relative) ? mapFile : relative.split(path.sep).join('/');
}

/** Open problems (not solved), those hitting the most customers first, then the most mentioned. */
export function openProblems(context: FeatureContext | undefined): Problem[] {
  return (context?.problems ?? [])
    .filter((p) => p.status !== 'solved')
    .sort((a, b) => (b.customers ?? -1) - (a.customers ?? -1) || (b.mentions ?? -1) - (a.mentions ?? -1));
}

/**
 * A problem's figures as short phrases, in the order people weigh them: "42 customers", "118 mentions", "$386k ARR",
 * severity, status, and the trend ("▲ 35%", after `trendLabel` when one is given). Numbers only: no remote text.
 */
export function problemFigures(
  problem: Pick<Problem, 'customers' | 'mentions' | 'arr' | 'currency' | 'severity' | 'status' | 'trend'>,
  trendLabel = '',
): string[] {
  const facts: string[] = [];
  if (problem.customers !== undefined) facts.push(`${formatCount(problem.customers)} ${problem.customers === 1 ? 'customer' : 'customers'}`);
  if (problem.mentions !== undefined) facts.push(`${formatCount(problem.mentions)} ${problem.mentions === 1 ? 'mention' : 'mentions'}`);
  if (problem.arr !== undefined) facts.push(`${formatMoney(problem.arr, problem.currency)} ARR`);
  if (problem.severity) facts.push(problem.severity);
  if (problem.status) facts.push(problem.status);
  if (problem.trend !== undefined && formatChange(problem.trend) !== '') facts.push(`${trendLabel}${formatChange(problem.trend)}`);
  return facts;
}

/** What is at stake in a feature, from its open problems (numbers per problem: customers of two problems overlap). */
export interface Stake {
  openProblems: number;
  /** Customers hit by the open problem that hits the most (0 when unknown). */
  topCustomers: number;
  /** The largest ARR of one open problem, when any says. */
  topArr?: { value: number; currency?: string };
}

/** What is at stake in a feature: its open problems, and how many customers the largest one hits. */
export function stakeOf(brief: FeatureBrief): Stake {
  const open = openProblems(brief.context);
  const top = open[0];
  const topArr = open.filter((p) => p.arr !== undefined).sort((a, b) => (b.arr ?? 0) - (a.arr ?? 0))[0];
  return {
    openProblems: open.length,
    topCustomers: top?.customers ?? 0,
    ...(topArr?.arr !== undefined ? { topArr: { value: topArr.arr, ...(topArr.currency ? { currency: topArr.currency } : {}) } } : {}),
  };
}

/** Features by what is at stake: the most customers hit by one open problem, then the most open problems. */
export function rankByStake(features: readonly FeatureBrief[]): FeatureBrief[] {
  return [...features].sort((a, b) => {
    const sa = stakeOf(a);
    const sb = stakeOf(b);
    return sb.topCustomers - sa.topCustomers || sb.openProblems - sa.openProblems;
  });
}

/**
 * Context for `ids` of one folder. Waits up to `waitMs` for what is not cached (the whole fetch, retries included);
 * past that, answers with what is known and says so in `note`.
 */
async function lookupWithin(folder: LensFolder, ids: readonly string[], options: ReportOptions): Promise<{ features: Record<string, FeatureContext>; freshness: Freshness; note?: string }> {
  const { waitMs, ...lookupOptions } = options;
  if (waitMs === undefined) return folder.lookup(ids, lookupOptions);
  const full = folder.lookup(ids, lookupOptions);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, Math.max(0, waitMs), undefined)));
  const answer = await Promise.race([full, late]);
  clearTimeout(timer);
  if (answer) return answer;
  full.catch(() => undefined);
  const partial = await folder.lookup(ids, { ...lookupOptions, budgetMs: 0 });
  const missing = ids.filter((id) => partial.features[id] === undefined);
  const where = partial.freshness.origin ?? 'the context source';
  const note = missing.length > 0 ? `context for ${missing.join(', ')} is still loading from ${where} after ${(waitMs / 1000).toFixed(1)} s; ask again shortly` : undefined;
  return note ? { ...partial, note } : partial;
}

/**
 * Places every path in its folder's map, gathers the features (and those asked for by id) and looks up their context,
 * one lookup per folder.
 */
export async function lensReport(folders: readonly LensFolder[], request: LensRequest, options: ReportOptions = {}): Promise<LensReport> {
  const notes: string[] = [];
  const paths: PathMapping[] = [];
  const order: { folder: LensFolder; feature: MapFeature }[] = [];
  const briefs = new Map<string, FeatureBrief>();
  const keyOf = (folder: LensFolder, id: string) => `${folder.root}\0${id}`;
  const add = (folder: LensFolder, feature: MapFeature): FeatureBrief => {
    const key = keyOf(folder, feature.id);
    let brief = briefs.get(key);
    if (!brief) {
      brief = { ...mapFacts(feature), root: folder.root, mapFile: relativeMapFile(folder.root, feature.mapFile), matches: [] };
      briefs.set(key, brief);
      order.push({ folder, feature });
    }
    return brief;
  };

  for (const given of request.paths ?? []) {
    const resolved = resolvePath(folders, given);
    if (!resolved.folder || resolved.relative === undefined) {
      paths.push({ given, featureIds: [], ignored: false, problem: resolved.problem });
      continue;
    }
    const folder = resolved.folder;
    const map = folder.map;
    if (!map) {
      paths.push({ given, path: resolved.relative, root: folder.root, featureIds: [], ignored: false, problem: folder.mapIssue ?? `no map in ${folder.root}` });
      continue;
    }
    const explanation = map.explain(resolved.relative);
    const shown = explanation.path === '' ? './' : explanation.path;
    const mapping: PathMapping = { given, path: shown, root: folder.root, featureIds: [], ignored: explanation.ignored };
    if (explanation.ignoredBy) {
      const by = explanation.ignoredBy;
      mapping.ignoredBy = { pattern: by.pattern, mapFile: relativeMapFile(folder.root, by.mapFile), line: by.line };
    }
    for (const match of explanation.features) {
      const feature = map.feature(match.featureId);
      if (!feature) continue;
      mapping.featureIds.push(feature.id);
      add(folder, feature).matches.push({
        path: shown,
        primary: match.primary,
        pattern: match.pattern,
        mapFile: relativeMapFile(folder.root, match.mapFile),
        line: match.line,
      });
    }
    paths.push(mapping);
  }

  const unknownFeatureIds: string[] = [];
  for (const id of request.featureIds ?? []) {
    const owner = folders.find((folder) => folder.map?.feature(id));
    const feature = owner?.map?.feature(id);
    if (owner && feature) add(owner, feature);
    else if (!unknownFeatureIds.includes(id)) unknownFeatureIds.push(id);
  }

  const freshness: Freshness[] = [];
  const byFolder = new Map<LensFolder, string[]>();
  for (const { folder, feature } of order) byFolder.set(folder, [...(byFolder.get(folder) ?? []), feature.id]);
  await Promise.all(
    [...byFolder.entries()].map(async ([folder, ids]) => {
      const lookup = await lookupWithin(folder, ids, options);
      freshness.push(lookup.freshness);
      if (lookup.note) notes.push(lookup.note);
      for (const id of ids) {
        const context = lookup.features[id];
        const brief = briefs.get(keyOf(folder, id));
        if (brief && context) brief.context = context;
      }
    }),
  );
  for (const folder of new Set([...byFolder.keys()])) if (folder.mapNote) notes.push(folder.mapNote);
  // A request that found no feature still says where context would have come from.
  if (freshness.length === 0) {
    const folder = folders.find((f) => f.map);
    if (folder) freshness.push((await folder.lookup([], { budgetMs: 0 })).freshness);
  }
  return { paths, features: order.map(({ folder, feature }) => briefs.get(keyOf(folder, feature.id))!), unknownFeatureIds, freshness: mergeFreshness(freshness), notes };
}
