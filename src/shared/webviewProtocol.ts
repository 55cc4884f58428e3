/**
 * The messages between the extension host and the sidebar webviews (Context and Explore), and the view models they
 * carry. Every message is `{ method: 'scope/method', params }`; each side parses what it receives with the schemas
 * here and drops what does not fit. View models are already formatted for display: the webview sorts, filters and
 * draws, it never fetches and never keeps fetched data in its persisted state (only {@link ContextUiState} and
 * {@link ExploreUiState}). No `vscode` import here: the webview bundle uses this file too.
 */
// A namespace import lets the webview bundle keep only the parts of zod it uses (a named `z` import keeps all of it).
import * as z from 'zod';
import type { ProblemStatus, Quote, Severity } from './contextProtocol';

/** Every value of `T`, checked at compile time (so these enums cannot drift from the context protocol's). */
function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)) => values;
}

// Declared from the protocol's types rather than imported as schemas: importing the protocol module would pull all
// of zod into the webview bundle.
const severitySchema = z.enum(allOf<Severity>()(['low', 'medium', 'high', 'critical']));
const problemStatusSchema = z.enum(allOf<ProblemStatus>()(['open', 'planned', 'in-progress', 'solved']));
const sentimentSchema = z.enum(allOf<NonNullable<Quote['sentiment']>>()(['negative', 'neutral', 'positive']));

/** Which sidebar webview a message is about. */
export const webviewKindSchema = z.enum(['context', 'explore']);
/** Which sidebar webview a message is about. */
export type WebviewKind = z.infer<typeof webviewKindSchema>;

/** An https URL: the only kind of link the webviews show as a link and the host opens. */
export const httpsUrlSchema = z.url({ protocol: /^https$/, message: 'expected an https URL' });

/** A change over a period, ready to show: `▲ 12%`. `tone` says whether the change is good news for customers. */
export const changeViewSchema = z.object({
  direction: z.enum(['up', 'down', 'flat']),
  /** Arrow and percentage, e.g. `▲ 12%`, `▼ 3%`, `± 0%`. */
  text: z.string(),
  /** Read by screen readers instead of the arrow, e.g. `up 12% on the previous period`. */
  label: z.string(),
  tone: z.enum(['good', 'bad', 'neutral']),
});
/** A change over a period, ready to show. */
export type ChangeView = z.infer<typeof changeViewSchema>;

/** The file a view is about. */
export const fileRefSchema = z.object({
  uri: z.string(),
  /** Path relative to its workspace folder, when it is inside one. */
  path: z.string().optional(),
  /** Base name, e.g. `applyCoupon.ts`. */
  name: z.string(),
});
/** The file a view is about. */
export type FileRef = z.infer<typeof fileRefSchema>;

/** A banner above the context: offline with cached data, endpoint error, stale data, or a map with errors. */
export const bannerViewSchema = z.object({
  kind: z.enum(['offline', 'error', 'stale', 'map-errors']),
  /** Short heading, e.g. `Offline`. */
  title: z.string(),
  /** What is shown and why, e.g. `Showing context cached 2 days ago. Could not reach http://127.0.0.1:9/ …`. */
  message: z.string(),
  /** Age of the data shown, e.g. `2 days ago`; absent when nothing was ever fetched. */
  age: z.string().optional(),
});
/** A banner above the context. */
export type BannerView = z.infer<typeof bannerViewSchema>;

/** A change to the feature's code drawn on a trend line: where on the line (0 first point … 1 last) and what it was. */
export const sparkMarkerSchema = z.object({
  position: z.number().min(0).max(1),
  kind: z.enum(['commit', 'tag']),
  /** e.g. `3 Nov · a1b2c3d Accept lower-case coupon codes`, `3 Nov · release v1.4.0 (3 changes)`: plain text. */
  label: z.string(),
});
/** A change drawn on a trend line. */
export type SparkMarker = z.infer<typeof sparkMarkerSchema>;

/** A customer problem as the Context view shows it. */
export const problemViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  /** Customers affected; absent when the source does not say. Used for sorting. */
  customers: z.number().optional(),
  /** e.g. `42 customers`. */
  customersText: z.string().optional(),
  /** e.g. `118 mentions`. */
  mentionsText: z.string().optional(),
  severity: severitySchema.optional(),
  /** 4 critical … 1 low, 0 unknown. Used for sorting. */
  severityRank: z.number(),
  status: problemStatusSchema.optional(),
  /** False once solved: open, planned and in progress are all open. Solved problems are listed last. */
  open: z.boolean(),
  /** e.g. `In progress`. */
  statusLabel: z.string().optional(),
  /** e.g. `$1.2M ARR`; `412k EUR ARR` when the feature's problems are in several currencies. */
  arrText: z.string().optional(),
  trend: changeViewSchema.optional(),
  /** Epoch milliseconds of `updatedAt`; 0 when unknown. Used for sorting. */
  updatedAt: z.number(),
  /** e.g. `updated 3 days ago`. */
  updatedText: z.string().optional(),
  source: z.string().optional(),
  url: httpsUrlSchema.optional(),
  /** New mentions over time, in time order (at least two, or absent: no trend line). */
  series: z.array(z.number()).optional(),
  seriesLabel: z.string().optional(),
  /** Changes to the feature's code within the series' span. */
  markers: z.array(sparkMarkerSchema).optional(),
});
/** A customer problem as the Context view shows it. */
export type ProblemView = z.infer<typeof problemViewSchema>;

/** A customer quote as the Context view shows it. */
export const quoteViewSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** e.g. `Dana Kim, Acme Outdoor · Enterprise · 2026-10-14`; empty when nothing is known. */
  attribution: z.string(),
  segment: z.string().optional(),
  source: z.string().optional(),
  sentiment: sentimentSchema.optional(),
  url: httpsUrlSchema.optional(),
  /** What the link to the quote says: its source (`Support ticket`), else the link's host. Set when `url` is. */
  linkText: z.string().optional(),
});
/** A customer quote as the Context view shows it. */
export type QuoteView = z.infer<typeof quoteViewSchema>;

/** A usage metric with its series for the sparkline. */
export const usageViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** e.g. `4.1k`, `37%`. */
  valueText: z.string(),
  /** e.g. `last 7d`. */
  periodText: z.string().optional(),
  change: changeViewSchema.optional(),
  event: z.string().optional(),
  /** Values in time order (at least two, or empty: no sparkline). */
  series: z.array(z.number()),
  /** Describes the series for screen readers, e.g. `8 weeks from 3.2k to 4.1k`. */
  seriesLabel: z.string().optional(),
  /** Changes to the feature's code within the series' span. */
  markers: z.array(sparkMarkerSchema).optional(),
});
/** A usage metric with its series. */
export type UsageView = z.infer<typeof usageViewSchema>;

/** A link to a source, https only. */
export const linkViewSchema = z.object({
  title: z.string(),
  url: httpsUrlSchema,
});
/** A link to a source. */
export type LinkView = z.infer<typeof linkViewSchema>;

/** Why the file belongs to a feature: the pattern and where it is written, with a place to jump to. */
export const whyMappedViewSchema = z.object({
  pattern: z.string(),
  mapFileUri: z.string(),
  /** 1-based line of the pattern. */
  line: z.number(),
  /** e.g. `.customer-lens.yml:17`. */
  location: z.string(),
});
/** Why the file belongs to a feature. */
export type WhyMappedView = z.infer<typeof whyMappedViewSchema>;

/** One feature of the active file with everything known about its customers. */
export const featureViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  primary: z.boolean(),
  owners: z.array(z.string()),
  /** Why the feature exists: the context summary, else the map's description. */
  why: z.string().optional(),
  whyMapped: whyMappedViewSchema,
  /** False when the context source has nothing for this feature; `noDataReason` then says why and what to do. */
  hasData: z.boolean(),
  noDataReason: z.string().optional(),
  problems: z.array(problemViewSchema),
  /** How many problems are open and solved, counted as the hover and the CodeLens count them. */
  problemCounts: z.object({ open: z.number(), solved: z.number() }),
  /** Set when the problems' ARR is in several currencies: says they are not converted. */
  currencyNote: z.string().optional(),
  quotes: z.array(quoteViewSchema),
  /** The distinct segments of `quotes`, for the segment filter. */
  segments: z.array(z.string()),
  usage: z.array(usageViewSchema),
  links: z.array(linkViewSchema),
  /** Links that are not https are listed here by title only, never opened. */
  unopenableLinks: z.array(z.string()),
  /** e.g. `context updated 2026-11-02`. */
  updatedText: z.string().optional(),
  /** "Did it work?": what the series did since the latest change to the feature's code (plain text sentences). */
  outcome: z
    .object({
      /** The latest change with enough data on both sides, e.g. `Since the change of 3 Nov (a1b2c3d …): Checkouts completed ▲ 4%, …`. */
      measured: z.string().optional(),
      /** A newer change with too little data after it yet. */
      pending: z.string().optional(),
      /** e.g. `7 changes since 2 Jun`, or why git history is not shown. */
      note: z.string().optional(),
    })
    .optional(),
});
/** One feature of the active file. */
export type FeatureView = z.infer<typeof featureViewSchema>;

/** "Your recent changes": the features the user changed lately, each with what its series did since. */
export const recentChangesViewSchema = z.object({
  /** e.g. `Your changes in the last 30 days (dev@example.com)`. */
  title: z.string(),
  items: z.array(
    z.object({
      featureId: z.string(),
      name: z.string(),
      /** e.g. `3 commits, the latest 3 Nov (a1b2c3d Accept lower-case coupon codes)`. */
      changeText: z.string(),
      /** The before/after sentence, or "not enough data yet…". */
      outcome: z.string(),
      /** True when the change is measured and every figure is good news. */
      good: z.boolean().optional(),
    }),
  ),
  /** Said instead of items: still reading, no git, no user.email, nothing changed. */
  message: z.string().optional(),
});
/** "Your recent changes". */
export type RecentChangesView = z.infer<typeof recentChangesViewSchema>;

/**
 * What the Context view shows, one variant per designed state:
 * - `no-editor`: no file open yet;
 * - `loading`: asking the language server about `file`;
 * - `no-map`: no map file in the workspace ("Create map…");
 * - `invalid-map`: the map has errors and there is no last good map;
 * - `not-mapped`: the file belongs to no feature (why, and "Add to feature…");
 * - `mapped`: its features, primary first, with banners for offline, endpoint errors, stale data or map errors;
 * - `error`: the language server could not answer.
 */
export const contextViewModelSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('no-editor'), message: z.string() }),
  z.object({ state: z.literal('loading'), file: fileRefSchema }),
  z.object({
    state: z.literal('no-map'),
    file: fileRefSchema.optional(),
    workspaceFolderUri: z.string().optional(),
    message: z.string(),
  }),
  z.object({
    state: z.literal('invalid-map'),
    file: fileRefSchema,
    mapFileUri: z.string().optional(),
    message: z.string(),
  }),
  z.object({
    state: z.literal('not-mapped'),
    file: fileRefSchema,
    /** Why no feature claims the file, e.g. `No pattern in .customer-lens.yml matches src/experimental/voiceSearch.ts.` */
    reason: z.string(),
    ignored: z.boolean(),
    /** Where the `unmapped` pattern that matched is written, when `ignored`. */
    ignoredBy: whyMappedViewSchema.optional(),
    /** False for files outside every workspace folder. */
    canAdd: z.boolean(),
    banners: z.array(bannerViewSchema),
    recentChanges: recentChangesViewSchema.optional(),
  }),
  z.object({
    state: z.literal('mapped'),
    file: fileRefSchema,
    features: z.array(featureViewSchema).min(1),
    /** Offline, endpoint error, stale data, or a map with errors (the last good map is in force). */
    banners: z.array(bannerViewSchema),
    /** Where the context comes from and how old it is, e.g. `From customer-context.json · read 3 min ago`. */
    sourceText: z.string(),
    recentChanges: recentChangesViewSchema.optional(),
  }),
  z.object({ state: z.literal('error'), file: fileRefSchema.optional(), message: z.string() }),
]);
/** What the Context view shows. */
export type ContextViewModel = z.infer<typeof contextViewModelSchema>;
/** The states of the Context view. */
export type ContextViewState = ContextViewModel['state'];

/** A feature in the Explore list. */
export const exploreFeatureViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Why it exists: the context summary, else the map's description. */
  purpose: z.string().optional(),
  owners: z.array(z.string()),
  topProblem: z.object({ title: z.string(), customersText: z.string().optional(), severity: severitySchema.optional() }).optional(),
  usageHeadline: z.object({ label: z.string(), valueText: z.string(), change: changeViewSchema.optional() }).optional(),
  /** e.g. `12 files`. */
  filesText: z.string(),
  hasContext: z.boolean(),
  /** The workspace folder's name, set only in multi-root workspaces. */
  workspaceFolderName: z.string().optional(),
});
/** A feature in the Explore list. */
export type ExploreFeatureView = z.infer<typeof exploreFeatureViewSchema>;

/** A file of a module, to jump to. */
export const moduleFileViewSchema = z.object({ uri: z.string(), name: z.string(), path: z.string() });

/** One pattern of a feature and the files it brings in, grouped by folder. */
export const moduleViewSchema = z.object({
  pattern: z.string(),
  /**
   * Why this part of the code exists: the comment above the pattern in the map file, else the first paragraph of its
   * folder's README, else the leading doc comment of its folder's main file.
   */
  why: z.string().optional(),
  /** Where `why` comes from, e.g. `comment in .customer-lens.yml`, `src/checkout/README.md`. */
  whySource: z.string().optional(),
  filesText: z.string(),
  folders: z.array(z.object({ folder: z.string(), files: z.array(moduleFileViewSchema) })),
  /** Where the pattern is written, to reveal it. */
  mapFileUri: z.string(),
  line: z.number(),
});
/** One module of a feature. */
export type ModuleView = z.infer<typeof moduleViewSchema>;

/** An opened feature in Explore: its purpose, its customers and its modules. */
export const exploreDetailViewSchema = z.object({
  featureId: z.string(),
  name: z.string(),
  purpose: z.string().optional(),
  /** Where `purpose` comes from: `the context source` or `the map`. */
  purposeSource: z.string().optional(),
  owners: z.array(z.string()),
  /** Who the customers are and what hurts them. */
  customers: z.object({
    /** The context source's own summary of the feature, when the map's description is the purpose. */
    lead: z.string().optional(),
    /** e.g. `Checkouts started: 18.4k checkouts (last 7d) · 5 quotes on record`. */
    summary: z.string().optional(),
    segments: z.array(z.string()),
    companies: z.array(z.string()),
    /** e.g. `3 open · 1 solved`. */
    problemCountText: z.string().optional(),
    /** The open problems hurting the most customers, each linked to its source when https. */
    topProblems: z.array(
      z.object({
        title: z.string(),
        customersText: z.string().optional(),
        arrText: z.string().optional(),
        statusLabel: z.string().optional(),
        url: httpsUrlSchema.optional(),
      }),
    ),
    /** Set when the problems' ARR is in several currencies. */
    currencyNote: z.string().optional(),
    /** What customers said, in full, newest first. */
    quotes: z.array(quoteViewSchema),
  }),
  modules: z.array(moduleViewSchema),
  links: z.array(linkViewSchema),
});
/** An opened feature in Explore. */
export type ExploreDetailView = z.infer<typeof exploreDetailViewSchema>;

/** What the Explore view shows. */
export const exploreViewModelSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('loading') }),
  z.object({ state: z.literal('no-map'), message: z.string() }),
  z.object({ state: z.literal('error'), message: z.string() }),
  z.object({
    state: z.literal('ready'),
    features: z.array(exploreFeatureViewSchema),
    /** The opened feature: loading, loaded, or why it could not be loaded. Absent: the list is shown. */
    opened: z
      .discriminatedUnion('state', [
        z.object({ state: z.literal('loading'), featureId: z.string() }),
        z.object({ state: z.literal('ready'), featureId: z.string(), detail: exploreDetailViewSchema }),
        z.object({ state: z.literal('error'), featureId: z.string(), message: z.string() }),
      ])
      .optional(),
  }),
]);
/** What the Explore view shows. */
export type ExploreViewModel = z.infer<typeof exploreViewModelSchema>;

/** How the Context view sorts problems. */
export const problemSortSchema = z.enum(['customers', 'severity', 'recency']);
/** How the Context view sorts problems. */
export type ProblemSort = z.infer<typeof problemSortSchema>;

/** The Context webview's persisted UI state (`vscode.setState`): never fetched data. */
export const contextUiStateSchema = z.object({
  problemSort: problemSortSchema.catch('customers'),
  /** Selected quote segment per feature id; absent means all segments. */
  segments: z.record(z.string(), z.string()).catch({}),
  /** Feature ids whose section the user collapsed (the primary feature starts open, the others closed). */
  toggled: z.array(z.string()).catch([]),
});
/** The Context webview's persisted UI state. */
export type ContextUiState = z.infer<typeof contextUiStateSchema>;

/** The Explore webview's persisted UI state: the search text and the opened feature. */
export const exploreUiStateSchema = z.object({
  search: z.string().catch(''),
  openFeatureId: z.string().optional().catch(undefined),
});
/** The Explore webview's persisted UI state. */
export type ExploreUiState = z.infer<typeof exploreUiStateSchema>;

// ---- host → webview ----

/** `context/didChange`: the Context view's new model. `seq` increases with every model the host posts. */
export const contextDidChangeSchema = z.object({
  method: z.literal('context/didChange'),
  params: z.object({ seq: z.number().int(), model: contextViewModelSchema }),
});

/** `explore/didChange`: the Explore view's new model. */
export const exploreDidChangeSchema = z.object({
  method: z.literal('explore/didChange'),
  params: z.object({ seq: z.number().int(), model: exploreViewModelSchema }),
});

/** Every message the host sends a sidebar webview. */
export const hostMessageSchema = z.discriminatedUnion('method', [contextDidChangeSchema, exploreDidChangeSchema]);
/** A message the host sends a sidebar webview. */
export type HostMessage = z.infer<typeof hostMessageSchema>;

// ---- webview → host ----

/**
 * `webview/didRender`: the webview drew model `seq`. `testIds` counts the rendered elements per `data-testid`, so
 * tests can check what a user would see without reaching into the webview's DOM.
 */
export const didRenderSchema = z.object({
  method: z.literal('webview/didRender'),
  params: z.object({ view: webviewKindSchema, seq: z.number().int(), testIds: z.record(z.string(), z.number().int()) }),
});

/** Every message a sidebar webview sends the host. */
export const webviewMessageSchema = z.discriminatedUnion('method', [
  /** The script loaded and listens: send the current model. */
  z.object({ method: z.literal('webview/ready'), params: z.object({ view: webviewKindSchema }) }),
  didRenderSchema,
  /** The webview dropped a message or failed to draw; the host logs it. */
  z.object({ method: z.literal('webview/didFail'), params: z.object({ view: webviewKindSchema, message: z.string().max(2000) }) }),
  /** Open a source in the browser. The host opens https URLs only. */
  z.object({ method: z.literal('link/open'), params: z.object({ url: z.string().max(4000) }) }),
  /** Open a workspace file, optionally at a 1-based line. */
  z.object({ method: z.literal('file/open'), params: z.object({ uri: z.string(), line: z.number().int().positive().optional() }) }),
  /** "Create map…". */
  z.object({ method: z.literal('map/create'), params: z.object({ workspaceFolderUri: z.string().optional() }) }),
  /** "Add to feature…" for a file. */
  z.object({ method: z.literal('map/addToFeature'), params: z.object({ uri: z.string() }) }),
  /** "Reveal in map" for a feature. */
  z.object({ method: z.literal('map/reveal'), params: z.object({ featureId: z.string() }) }),
  /** Drop the context cache and fetch again. */
  z.object({ method: z.literal('context/refresh'), params: z.object({}) }),
  /** Open a feature in Explore (load its modules and customers), or close it with no id. */
  z.object({ method: z.literal('explore/openFeature'), params: z.object({ featureId: z.string().optional() }) }),
]);
/** A message a sidebar webview sends the host. */
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** The outcome of reading a message: the message, or a sentence saying what was wrong with it. */
export type MessageParse<T> = { ok: true; message: T } | { ok: false; error: string };

function describe(error: z.ZodError, raw: unknown): string {
  const method = typeof raw === 'object' && raw !== null && 'method' in raw ? String((raw as { method: unknown }).method) : '(none)';
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'message';
  return `invalid message method=${method}: ${where}: ${issue?.message ?? 'invalid'}`;
}

/** Reads a message from the host (in the webview). */
export function parseHostMessage(raw: unknown): MessageParse<HostMessage> {
  const parsed = hostMessageSchema.safeParse(raw);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, error: describe(parsed.error, raw) };
}

/** Reads a message from a webview (in the host). */
export function parseWebviewMessage(raw: unknown): MessageParse<WebviewMessage> {
  const parsed = webviewMessageSchema.safeParse(raw);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, error: describe(parsed.error, raw) };
}

/** True for a URL the host may open in the browser: https only. */
export function isOpenableUrl(url: string): boolean {
  return httpsUrlSchema.safeParse(url).success;
}
