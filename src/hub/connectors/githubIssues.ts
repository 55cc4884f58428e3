// `github-issues`: issues of one repository as customer problems.
// API: GitHub REST "List repository issues", https://docs.github.com/en/rest/issues/issues#list-repository-issues
// (GET /repos/{owner}/{repo}/issues with state, labels, sort, direction, since, per_page; pagination by the `Link`
// header, https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api), rate limits as in
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api (x-ratelimit-remaining/-reset,
// 403 or 429, retry-after) and conditional requests (ETag; a 304 does not count against the limit).
// An issue carrying the configured labels is a problem; labels that are feature tags attribute it to features;
// mentions = comments + 👍 reactions; open → open, closed → solved. Pull requests (which this endpoint also lists)
// are skipped.
import { z } from 'zod';
import type { ProblemRecord } from '../records';
import { ConnectorError, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';

const envRef = z.strictObject(
  { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an environment variable name such as GITHUB_TOKEN' }) },
  { error: 'write { env: NAME }: credentials come from the environment, never from the config file' },
);

export const githubIssuesOptionsSchema = z.strictObject({
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: 'expected "owner/name", e.g. "acme/shop"' }),
  token: envRef.optional().meta({ description: 'The environment variable holding a token with read access to the repository\'s issues.' }),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.github.com').meta({ description: 'https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.' }),
  labels: z.array(z.string().min(1)).optional().meta({ description: 'Only issues carrying all of these labels are problems.' }),
});
export type GithubIssuesOptions = z.infer<typeof githubIssuesOptionsSchema>;

/** The fields of an issue the hub reads; everything else is kept in the raw record. */
const githubIssueSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  state: z.string(),
  html_url: z.string(),
  body: z.string().nullish(),
  comments: z.number().int().nonnegative().default(0),
  labels: z.array(z.union([z.string(), z.object({ name: z.string().nullish() })])).default([]),
  reactions: z.object({ '+1': z.number().int().nonnegative().default(0) }).partial().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  pull_request: z.unknown().optional(),
});

const SEVERITY_LABEL = /^(?:priority|severity|sev|p)[\s:/_-]*(critical|urgent|high|medium|normal|low)$/i;
const severityOf: Record<string, ProblemRecord['severity']> = { critical: 'critical', urgent: 'critical', high: 'high', medium: 'medium', normal: 'medium', low: 'low' };

function labelNames(labels: z.infer<typeof githubIssueSchema>['labels']): string[] {
  return labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((name) => name !== '');
}

/** One second earlier: GitHub's `since` compares whole seconds; items at the cursor's second are read again. */
function sinceParam(since: string): string {
  return new Date(Date.parse(since) - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const githubIssuesConnector: ConnectorDefinition<GithubIssuesOptions> = {
  kind: 'github-issues',
  description: 'Issues of a GitHub repository as problems (REST API; baseUrl for GitHub Enterprise)',
  options: githubIssuesOptionsSchema,
  // GitHub's documented primary limit for a token: 5,000 requests an hour.
  defaultBudget: { requests: 5000, perSeconds: 3600 },
  defaultEverySeconds: 600,
  create(options, context) {
    const token = context.secret(options.token);
    if (options.token && token === undefined) {
      throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export a GitHub token in it`);
    }
    const base = options.baseUrl.replace(/\/+$/, '');
    const headers = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
    const auth = token !== undefined ? { header: `Bearer ${token}`, origin: new URL(base).origin } : undefined;
    return [
      {
        name: 'issues',
        async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
          const since = typeof cursor?.since === 'string' ? cursor.since : undefined;
          const first = new URL(`${base}/repos/${options.repo}/issues`);
          first.searchParams.set('state', 'all');
          first.searchParams.set('sort', 'updated');
          first.searchParams.set('direction', 'asc');
          first.searchParams.set('per_page', '100');
          if (options.labels?.length) first.searchParams.set('labels', options.labels.join(','));
          if (since) first.searchParams.set('since', sinceParam(since));
          const firstUrl = first.toString();
          let url: string | undefined = firstUrl;
          let newest = since;
          let firstEtag: string | undefined;
          while (url !== undefined) {
            if (context.signal.aborted) return;
            const etag = url === firstUrl && cursor?.etagUrl === firstUrl && typeof cursor.etag === 'string' ? cursor.etag : undefined;
            const response = await context.http.get(url, { headers, auth, etag });
            if (response.notModified) return; // Nothing changed since the last sync; 304s are free on GitHub.
            if (url === firstUrl) firstEtag = response.etag;
            const body = response.json();
            if (!Array.isArray(body)) throw new ConnectorError(`${response.url} did not answer with a list of issues`);
            const page: StreamPage = { records: [], cursor: {}, warnings: [] };
            body.forEach((item, index) => {
              const parsed = githubIssueSchema.safeParse(item);
              if (!parsed.success) {
                const issue = parsed.error.issues[0];
                page.warnings!.push(`${response.url} [${index}]: field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}; issue skipped`);
                return;
              }
              const issue = parsed.data;
              if (newest === undefined || Date.parse(issue.updated_at) > Date.parse(newest)) newest = issue.updated_at;
              if (issue.pull_request !== undefined) return;
              const labels = labelNames(issue.labels);
              const severity = labels.map((l) => SEVERITY_LABEL.exec(l)?.[1]?.toLowerCase()).find((s) => s !== undefined);
              const detail = issue.body?.trim();
              const record: ProblemRecord = {
                kind: 'problem',
                id: `${options.repo}#${issue.number}`,
                title: issue.title.trim() || `#${issue.number}`,
                status: issue.state === 'open' ? 'open' : 'solved',
                tags: labels.map((l) => l.toLowerCase()),
                mentions: issue.comments + (issue.reactions?.['+1'] ?? 0),
                createdAt: issue.created_at,
                updatedAt: issue.updated_at,
                ...(severity ? { severity: severityOf[severity] } : {}),
                ...(detail ? { detail: detail.slice(0, 2000) } : {}),
                ...(/^https?:\/\//.test(issue.html_url) ? { url: issue.html_url } : {}),
              };
              page.records.push({ record, raw: item });
            });
            url = response.next;
            // Mid-sync the cursor is the newest update stored; at the end it also keeps the first page's ETag, so an
            // unchanged repository costs one free 304 next time.
            page.cursor = url === undefined && firstEtag ? { since: newest ?? null, etag: firstEtag, etagUrl: firstUrl } : { since: newest ?? null };
            yield page;
          }
        },
      },
    ];
  },
};
