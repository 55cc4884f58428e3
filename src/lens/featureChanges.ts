// Which features each commit of a folder's history changed, through the map: a commit changes every feature that
// one of its files belongs to. Tags mark releases: a tag marks a feature when it is the first tag (by date) whose
// history holds one of the feature's commits of the period read.
import { performance } from 'node:perf_hooks';
import type { GitCommit, GitHistory } from '../git/gitLog';
import type { ChangeMarker } from '../shared/changeHistory';
import type { WorkspaceMap } from '../shared/mapModel';

/** A feature commit as read: the marker plus the files of the feature it touched. */
export interface FeatureCommit {
  commit: GitCommit;
  /** How many of the commit's files belong to the feature. */
  files: number;
}

/** Every feature's commits (newest first) and release tags, from one history read and one map. */
export interface FeatureChanges {
  commits: Map<string, FeatureCommit[]>;
  tags: Map<string, ChangeMarker[]>;
}

/** The longest the work runs before it yields to other requests (a hover waiting to be answered), in ms. */
const SLICE_MS = 4;

/**
 * Assigns the commits of `history` to the features of `map`. Runs in slices, awaiting `pause()` between them, so a
 * language server keeps answering hovers while a long history is matched; resolves to undefined when `cancelled()`.
 */
export async function assignChanges(
  map: WorkspaceMap,
  history: GitHistory,
  options: { pause?: () => Promise<void>; cancelled?: () => boolean } = {},
): Promise<FeatureChanges | undefined> {
  const featuresOfFile = new Map<string, string[]>();
  const commits = new Map<string, FeatureCommit[]>();
  const featuresOfCommit = new Map<string, string[]>();
  let sliceStart = performance.now();
  for (const commit of history.commits) {
    // Matching a path against the map is the costly part (each path once); the clock decides when to yield.
    if (options.pause && performance.now() - sliceStart > SLICE_MS) {
      await options.pause();
      if (options.cancelled?.()) return undefined;
      sliceStart = performance.now();
    }
    const counts = new Map<string, number>();
    for (const file of commit.files) {
      let ids = featuresOfFile.get(file);
      if (!ids) {
        ids = map.explain(file).features.map((f) => f.featureId);
        featuresOfFile.set(file, ids);
      }
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    if (counts.size === 0) continue;
    featuresOfCommit.set(commit.hash, [...counts.keys()]);
    for (const [id, files] of counts) {
      const list = commits.get(id);
      if (list) list.push({ commit, files });
      else commits.set(id, [{ commit, files }]);
    }
  }
  return { commits, tags: releaseTags(history, featuresOfCommit) };
}

/**
 * For each feature, the tags that first release one of its commits. Tags are taken oldest first; each one's history
 * (within the commits read) is walked down to what an earlier tag already holds, so every commit is visited once.
 */
function releaseTags(history: GitHistory, featuresOfCommit: Map<string, string[]>): Map<string, ChangeMarker[]> {
  const byHash = new Map(history.commits.map((c) => [c.hash, c]));
  const names = new Map<string, { names: string[]; date: number }>();
  for (const tag of history.tags) {
    if (!byHash.has(tag.commit)) continue;
    const entry = names.get(tag.commit);
    if (entry) {
      entry.names.push(tag.name);
      entry.date = Math.min(entry.date, tag.date);
    } else names.set(tag.commit, { names: [tag.name], date: tag.date || byHash.get(tag.commit)!.date });
  }
  const ordered = [...names.entries()].sort((a, b) => a[1].date - b[1].date || a[0].localeCompare(b[0]));
  const released = new Set<string>();
  const result = new Map<string, ChangeMarker[]>();
  for (const [hash, { names: tagNames, date }] of ordered) {
    const shipped = new Map<string, number>();
    const stack = [hash];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (released.has(next)) continue;
      const commit = byHash.get(next);
      if (!commit) continue;
      released.add(next);
      for (const id of featuresOfCommit.get(next) ?? []) shipped.set(id, (shipped.get(id) ?? 0) + 1);
      stack.push(...commit.parents);
    }
    const commit = byHash.get(hash)!;
    for (const [id, ships] of shipped) {
      const marker: ChangeMarker = { kind: 'tag', hash, short: commit.short, date, subject: commit.subject, tag: tagNames.sort().join(', '), ships };
      const list = result.get(id);
      if (list) list.push(marker);
      else result.set(id, [marker]);
    }
  }
  for (const list of result.values()) list.sort((a, b) => b.date - a.date);
  return result;
}

/** Tag names by the commit they point to. */
function tagsByCommit(history: GitHistory): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const tag of history.tags) map.set(tag.commit, [...(map.get(tag.commit) ?? []), tag.name]);
  return map;
}

const DAY = 86_400_000;

/**
 * A feature's changes as markers, newest first: its commits (several on one UTC day folded into the newest, with
 * `sameDay` counting the others) and its release tags. At most `limit` markers.
 */
export function featureMarkers(changes: FeatureChanges, history: GitHistory, featureId: string, limit = 40): ChangeMarker[] {
  const tagNames = tagsByCommit(history);
  const markers: ChangeMarker[] = [];
  let last: ChangeMarker | undefined;
  for (const { commit } of changes.commits.get(featureId) ?? []) {
    if (last && Math.floor(last.date / DAY) === Math.floor(commit.date / DAY)) {
      last.sameDay = (last.sameDay ?? 0) + 1;
      continue;
    }
    last = commitMarker(commit, tagNames.get(commit.hash));
    markers.push(last);
  }
  markers.push(...(changes.tags.get(featureId) ?? []));
  return markers.sort((a, b) => b.date - a.date).slice(0, limit);
}

/** A commit as a marker. */
export function commitMarker(commit: GitCommit, tags?: readonly string[]): ChangeMarker {
  const marker: ChangeMarker = {
    kind: 'commit',
    hash: commit.hash,
    short: commit.short,
    date: commit.date,
    subject: commit.subject,
    author: commit.authorName,
    authorEmail: commit.authorEmail,
  };
  if (tags && tags.length > 0) marker.tags = [...tags].sort();
  return marker;
}
