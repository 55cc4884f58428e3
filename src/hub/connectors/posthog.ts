// `posthog`: daily counts of the features' analytics `events` as usage.
// API: PostHog "API queries", https://posthog.com/docs/api/queries (POST /api/projects/:project_id/query/ with
// { query: { kind: "HogQLQuery", query, values } }; a personal API key with the Query Read scope as a Bearer token;
// answers { results, columns, types, hasMore, limit, offset }; up to 100 rows unless the query says LIMIT, at most
// 50,000 a query, pages by LIMIT/OFFSET). Placeholders: HogQLQuery.values, "constant values that can be referenced
// with the {placeholder} syntax in the query" (PostHog's query schema, frontend/src/queries/schema). Rate limit: HogQL
// queries through a personal API key are throttled at 120 an hour by default (HogQLQueryThrottle in PostHog's
// posthog/rate_limit.py), answered with 429 and Retry-After; https://posthog.com/docs/api#rate-limiting.
// One query per page: the events of every feature, counted per UTC day, over twice the trend period on the first
// sync and over the last few days afterwards (late events arrive for a while, and today is still counting).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { UsageRecord } from '../records';
import { ConnectorError, type ConnectorContext, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';

const envRef = z.strictObject(
  { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an environment variable name such as POSTHOG_API_KEY' }) },
  { error: 'write { env: NAME }: credentials come from the environment, never from the config file' },
);

const PROJECT_ID = 'expected the project\'s numeric id, e.g. 12345 (Project settings → Project ID)';

export const posthogOptionsSchema = z.strictObject({
  projectId: z
    .union([z.number().int().positive(), z.string().regex(/^\d+$/, { message: PROJECT_ID })], { error: PROJECT_ID })
    .transform(String)
    .meta({ description: 'The project id (Project settings → Project ID).' }),
  token: envRef.meta({ description: 'The environment variable holding a personal API key with the Query Read scope.' }),
  baseUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://us.posthog.com' }).default('https://us.posthog.com').meta({ description: 'https://us.posthog.com (US Cloud, default), https://eu.posthog.com (EU Cloud), or a self-hosted instance.' }),
  pageSize: z.number().int().min(100).max(50_000).default(10_000).meta({ description: 'Rows (day × event) per query; PostHog returns at most 50,000.' }),
});
export type PosthogOptions = z.infer<typeof posthogOptionsSchema>;

const DAY = 86_400_000;
/** Days before the last complete day that every sync counts again: events sent late (offline devices) still land. */
const RECOUNT_DAYS = 3;

// UTC days, as the hub's usage series are; `from`/`until` are placeholders, never spliced into the text.
const QUERY = `SELECT toDate(toTimeZone(timestamp, 'UTC')) AS day, event, count() AS value
FROM events
WHERE event IN {events} AND timestamp >= toDateTime({from}) AND timestamp < toDateTime({until})
GROUP BY day, event
ORDER BY day, event`;

const responseSchema = z.object({
  results: z.array(z.unknown()),
  columns: z.array(z.string()).optional(),
  hasMore: z.boolean().nullish(),
});

const refusalSchema = z.object({ detail: z.string().min(1) });

/** A vendor's explanation on one bounded line, for `hub status` and the log. */
function oneLine(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return line.length <= 300 ? line : `${line.slice(0, 299)}…`;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY);
}

/** Every event the features list, sorted and unique. */
export function featureEvents(context: Pick<ConnectorContext, 'features'>): string[] {
  return [...new Set(context.features.flatMap((f) => f.events))].sort();
}

/** A run's window: from its first day to its last (inclusive), and the rows already stored. */
interface Window {
  from: string;
  until: string;
  offset: number;
}

/** Where a sync starts: the stored run when it was cut short today, else the days since the last complete one. */
function windowFor(cursor: Cursor | undefined, eventsKey: string, lastDay: string, firstDay: string): Window {
  const same = cursor?.events === eventsKey;
  if (same && typeof cursor.from === 'string' && cursor.until === lastDay && typeof cursor.offset === 'number') {
    return { from: cursor.from, until: lastDay, offset: cursor.offset };
  }
  const complete = same && typeof cursor.complete === 'string' ? cursor.complete : undefined;
  const from = complete && complete >= firstDay ? addDays(complete, 1 - RECOUNT_DAYS) : firstDay;
  return { from: from < firstDay ? firstDay : from, until: lastDay, offset: 0 };
}

function parseRow(row: unknown, columns: string[] | undefined): { day: string; event: string; value: number } | string {
  if (!Array.isArray(row)) return 'not a row';
  const at = (name: string, fallback: number) => {
    const i = columns?.indexOf(name) ?? -1;
    return row[i >= 0 ? i : fallback];
  };
  const day = at('day', 0);
  const event = at('event', 1);
  const raw = at('value', 2);
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(day)) return `"day" is ${JSON.stringify(day)?.slice(0, 40)}, not a date`;
  if (typeof event !== 'string' || event === '') return '"event" is empty';
  // ClickHouse may send 64-bit counts as strings.
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value)) return `"value" is ${JSON.stringify(raw)?.slice(0, 40)}, not a count`;
  return { day: day.slice(0, 10), event, value };
}

export const posthogConnector: ConnectorDefinition<PosthogOptions> = {
  kind: 'posthog',
  description: 'Daily counts of the features\' analytics events from PostHog (query API, HogQL)',
  options: posthogOptionsSchema,
  // PostHog's default throttle for HogQL queries through a personal API key: 120 an hour.
  defaultBudget: { requests: 120, perSeconds: 3600 },
  defaultEverySeconds: 3600,
  create(options, context) {
    const token = context.secret(options.token);
    if (token === undefined) {
      throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export a PostHog personal API key (Query Read scope) in it`);
    }
    const base = options.baseUrl.replace(/\/+$/, '');
    const url = `${base}/api/projects/${encodeURIComponent(options.projectId)}/query/`;
    const auth = { header: `Bearer ${token}`, origin: new URL(base).origin };
    return [
      {
        name: 'usage',
        async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
          const events = featureEvents(context);
          if (events.length === 0) {
            yield { records: [], cursor: cursor ?? {}, warnings: [`source "${context.sourceId}": no feature lists analytics events (events: in the map or the config); nothing to count`] };
            return;
          }
          const eventsKey = createHash('sha256').update(events.join('\n')).digest('hex').slice(0, 16);
          const lastDay = dayOf(context.asOf ?? context.now());
          // Figures compare the period with the one before: the first sync reads both.
          const firstDay = addDays(lastDay, 1 - 2 * context.periodDays);
          // With `asOf`, every day up to it is over; otherwise today is still counting.
          const lastComplete = context.asOf !== undefined ? lastDay : addDays(lastDay, -1);
          const window = windowFor(cursor, eventsKey, lastDay, firstDay);
          let offset = window.offset;
          for (;;) {
            if (context.signal.aborted) return;
            const query = `${QUERY}\nLIMIT ${options.pageSize} OFFSET ${offset}`;
            const response = await context.http.query(url, {
              body: {
                query: {
                  kind: 'HogQLQuery',
                  query,
                  values: { events, from: `${window.from}T00:00:00Z`, until: `${addDays(window.until, 1)}T00:00:00Z` },
                  name: 'customer-lens-hub daily event counts',
                },
              },
              auth,
              // A query PostHog refuses says why in `detail` (https://posthog.com/docs/api: { type, code, detail, attr }).
              accept: [400],
            });
            if (response.status === 400) {
              const detail = refusalSchema.safeParse(response.json());
              throw new ConnectorError(`${url} answered 400${detail.success ? `: ${oneLine(detail.data.detail)}` : ''}`, 400);
            }
            const parsed = responseSchema.safeParse(response.json());
            if (!parsed.success) throw new ConnectorError(`${url} did not answer with query results (field "${parsed.error.issues[0]?.path.join('.')}": ${parsed.error.issues[0]?.message})`);
            const page: StreamPage = { records: [], cursor: {}, warnings: [] };
            parsed.data.results.forEach((row, index) => {
              const usage = parseRow(row, parsed.data.columns);
              if (typeof usage === 'string') {
                page.warnings!.push(`${url} results[${offset + index}]: ${usage}; row skipped`);
                return;
              }
              const record: UsageRecord = { kind: 'usage', id: `${usage.day}:${usage.event}`, date: usage.day, event: usage.event, value: usage.value };
              page.records.push({ record, raw: row });
            });
            offset += parsed.data.results.length;
            const more = parsed.data.hasMore === true || parsed.data.results.length >= options.pageSize;
            page.cursor = more
              ? { events: eventsKey, from: window.from, until: window.until, offset, ...(typeof cursor?.complete === 'string' && cursor.events === eventsKey ? { complete: cursor.complete } : {}) }
              : { events: eventsKey, complete: lastComplete };
            yield page;
            if (!more) return;
          }
        },
      },
    ];
  },
};
