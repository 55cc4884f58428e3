// Where an answer's context came from and how fresh it is, as one plain sentence for a terminal or an agent
// ("endpoint unreachable, showing data from 2 h ago"). The hover card has its own markdown version.
import * as path from 'node:path';
import type { Freshness } from '../shared/contextModel';
import { formatAge } from '../shared/displayFormat';
import { plainText } from '../shared/plainText';

/** What to tell the reader when there is no context source at all: how to configure one where they are. */
export interface FreshnessHints {
  /** How an endpoint is set where the answer is read, e.g. "--endpoint or CUSTOMER_LENS_ENDPOINT". */
  endpointHint: string;
}

/** One sentence: the source, the age of the data, and what is wrong with the source when something is. */
export function describeFreshness(freshness: Freshness, now: number, hints: FreshnessHints): string {
  const age = freshness.fetchedAt !== undefined ? formatAge(freshness.fetchedAt, now) : undefined;
  const from = age === undefined ? undefined : age.startsWith('on ') ? `from ${age.slice(3)}` : `from ${age}`;
  const error = freshness.error ? plainText(freshness.error, 300) : undefined;
  const origin = freshness.origin ? plainText(freshness.origin, 120) : undefined;
  if (freshness.source === 'file') {
    const file = origin ? path.basename(origin) : 'the context file';
    if (freshness.state === 'error') return `context file ${file} has a problem: ${error ?? 'unreadable'}${from ? `; showing its last good content, read ${age}` : ''}`;
    return `context from the file ${file}${age ? `, read ${age}` : ''}`;
  }
  if (freshness.source === 'none') {
    if (freshness.state === 'error') return `no usable context source: ${error ?? 'the endpoint setting is invalid'}`;
    return `no customer context source: set an endpoint (${hints.endpointHint}) or name a context file with "context:" in the map`;
  }
  const where = origin ?? 'the endpoint';
  switch (freshness.state) {
    case 'synced':
      return `context from ${where}${age ? `, updated ${age}` : ''}`;
    case 'stale':
      return `context from ${where}, cached ${age ?? 'earlier'} and past its refresh time; refreshing`;
    case 'offline':
      return from ? `endpoint unreachable (${error ?? where}), showing data ${from}` : `endpoint unreachable (${error ?? where}) and nothing cached`;
    case 'error':
      return from ? `endpoint error (${error ?? where}), showing data ${from}` : `endpoint error (${error ?? where}) and nothing cached`;
    case 'none':
      return `no customer context source: set an endpoint (${hints.endpointHint}) or name a context file with "context:" in the map`;
  }
}
