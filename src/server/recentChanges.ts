// "Your recent changes": the features the user (by the repository's `git config user.email`) changed in the last 30
// days, each with what its usage and problems did since, so whoever shipped a fix sees weeks later whether customers
// noticed. From the folder's history snapshot (never waiting for git) and the context cache.
import { recentChangesBy, recentOutcome } from '../lens/featureHistory';
import type { RecentChangesInfo } from '../shared/changeHistory';
import type { ServerContext } from './serverContext';
import type { ResourceSettings } from './settings';
import type { FolderState } from './workspaceState';

/** The period "recent" covers, in days. */
export const RECENT_DAYS = 30;
/** At most this many features are listed. */
const MAX_RECENT = 8;

export async function recentChangesOf(
  ctx: ServerContext,
  folder: FolderState,
  settings: ResourceSettings,
  options: { budgetMs?: number; signal?: AbortSignal },
): Promise<RecentChangesInfo | undefined> {
  const map = folder.map;
  const state = ctx.history.peek(folder);
  if (!map || !state) return undefined;
  const base = { days: RECENT_DAYS, changes: [] };
  if (state.state === 'unavailable') return { ...base, state: 'unavailable', reason: state.reason };
  const email = ctx.history.email(folder);
  if (email.state === 'pending') return { ...base, state: 'reading' };
  if (email.state === 'none') return { ...base, state: 'no-email' };
  if (!state.snapshot) return { ...base, state: 'reading', email: email.email };
  const recent = recentChangesBy(state.snapshot, email.email, ctx.now() - RECENT_DAYS * 86_400_000)
    .filter((r) => map.feature(r.featureId))
    .slice(0, MAX_RECENT);
  const lookup = recent.length > 0 ? await ctx.hub.lookup({ uri: folder.uri, contextFiles: map.contextFiles }, settings, recent.map((r) => r.featureId), options) : undefined;
  return {
    ...base,
    state: state.state === 'ready' ? 'ready' : 'reading',
    email: email.email,
    changes: recent.map((r) => ({
      featureId: r.featureId,
      name: map.feature(r.featureId)?.name ?? r.featureId,
      change: r.change,
      commits: r.commits,
      outcome: recentOutcome(r, lookup?.features[r.featureId]),
    })),
  };
}
