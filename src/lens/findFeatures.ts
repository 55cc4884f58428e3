// Words → the features they are about, for someone (or an agent) exploring a codebase: the map's own words (id, name,
// description, owners, patterns, symbols, events) weigh most, the customers' words (problem titles, the context's
// summary) count too, so "coupon" finds checkout even where the map never says it.
import type { FeatureContext } from '../shared/contextProtocol';
import type { MapFeature } from '../shared/mapModel';
import { mapFacts, relativeMapFile, type MapFacts } from './featureBriefs';
import { mergeFreshness, type LensFolder, type LookupOptions } from './lensFolder';
import type { Freshness } from '../shared/contextModel';

/** A feature that matched, with where it lives and what it holds. */
export interface FoundFeature extends MapFacts {
  /** Absolute root of the folder whose map declares it. */
  root: string;
  mapFile: string;
  /** The feature's patterns as written (`paths`), with the folder of a nested map file in front. */
  patterns: string[];
  /** Patterns it leaves out (`exclude`). */
  excludes: string[];
  /** Number of files that belong to it, when the folder's file list is known. */
  fileCount?: number;
  /** A few of those files. */
  sampleFiles?: string[];
  context?: FeatureContext;
  /** Higher is a better match; 0 when the query was empty (every feature listed). */
  score: number;
  /** The fields a query word was found in, best first (`name`, `symbols`, `problems`…). */
  matchedOn: string[];
}

/** The features a query found, best first, and the freshness of the context they were searched with. */
export interface FindResult {
  query: string;
  features: FoundFeature[];
  /** How many features matched in all (more than `features` when `limit` cut the list). */
  total: number;
  freshness: Freshness;
}

/** A query's words: lower case, split on anything but letters and digits, and on camelCase humps. */
export function queryWords(query: string): string[] {
  const words = query
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)];
}

interface Field {
  name: string;
  weight: number;
  text: string;
}

function fieldsOf(feature: MapFeature, patterns: readonly string[], context: FeatureContext | undefined): Field[] {
  const lower = (values: readonly (string | undefined)[]) => values.filter((v): v is string => Boolean(v)).join(' \n ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return [
    { name: 'id', weight: 6, text: lower([feature.id]) },
    { name: 'name', weight: 6, text: lower([feature.name, context?.name]) },
    { name: 'symbols', weight: 4, text: lower([...feature.symbols, ...feature.events]) },
    { name: 'paths', weight: 3, text: lower(patterns) },
    { name: 'description', weight: 3, text: lower([feature.description, context?.summary]) },
    { name: 'owners', weight: 2, text: lower(feature.owners) },
    { name: 'problems', weight: 2, text: lower((context?.problems ?? []).map((p) => p.title)) },
    { name: 'quotes', weight: 1, text: lower((context?.quotes ?? []).map((q) => q.text)) },
  ];
}

/** A pattern as seen from the folder root: a nested map file's folder goes in front. */
function rootPattern(root: string, feature: MapFeature, pattern: string): string {
  const mapFolder = relativeMapFile(root, feature.mapFile).split('/').slice(0, -1).join('/');
  if (mapFolder === '') return pattern;
  return pattern.startsWith('/') ? `/${mapFolder}${pattern}` : `/${mapFolder}/**/${pattern}`;
}

const SAMPLE_FILES = 5;

/**
 * Features matching any of the query's words, ranked by how many words matched and in which fields. An empty query
 * lists every feature in map order. Context is looked up for every feature of every folder (one batched request per
 * folder), within the options' budget.
 */
export async function findFeatures(folders: readonly LensFolder[], query: string, options: LookupOptions & { limit?: number } = {}): Promise<FindResult> {
  const words = queryWords(query);
  const found: FoundFeature[] = [];
  const freshness: Freshness[] = [];
  for (const folder of folders) {
    const map = folder.map;
    if (!map) continue;
    const lookup = await folder.lookup(
      map.features.map((f) => f.id),
      options,
    );
    freshness.push(lookup.freshness);
    for (const feature of map.features) {
      const context = lookup.features[feature.id];
      const patterns = feature.paths.map((p) => rootPattern(folder.root, feature, p.pattern));
      let score = 0;
      const matchedOn = new Map<string, number>();
      let wordsFound = 0;
      for (const word of words) {
        let best: Field | undefined;
        for (const field of fieldsOf(feature, patterns, context)) {
          if (field.text.includes(word) && (!best || field.weight > best.weight)) best = field;
        }
        if (!best) continue;
        wordsFound++;
        score += best.weight;
        matchedOn.set(best.name, Math.max(matchedOn.get(best.name) ?? 0, best.weight));
      }
      if (words.length > 0 && wordsFound === 0) continue;
      // Every word found beats a few found in strong fields.
      if (words.length > 0) score += wordsFound * 10;
      const files = folder.filesOf?.(feature.id);
      const result: FoundFeature = {
        ...mapFacts(feature),
        root: folder.root,
        mapFile: relativeMapFile(folder.root, feature.mapFile),
        patterns,
        excludes: feature.exclude.map((p) => rootPattern(folder.root, feature, p.pattern)),
        score,
        matchedOn: [...matchedOn.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name),
      };
      if (files) {
        result.fileCount = files.length;
        result.sampleFiles = files.slice(0, SAMPLE_FILES);
      }
      if (context) result.context = context;
      found.push(result);
    }
  }
  const ranked = words.length === 0 ? found : [...found].sort((a, b) => b.score - a.score);
  return { query, features: ranked.slice(0, options.limit ?? ranked.length), total: ranked.length, freshness: mergeFreshness(freshness) };
}
