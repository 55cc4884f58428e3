// The hub's config file (YAML): its zod schema and a reader that turns every problem into `file:line:col: message`,
// like the map. Secrets never live in it: a credential is `{ env: NAME }`, read from the environment at run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { parseMapFile } from '../map/mapFile';
import { FEATURE_ID_PATTERN } from '../shared/mapSchema';
import type { RequestBudget } from './connectors/connector';
import { connectorFor, connectors } from './connectors/registry';
import { defaultMaskingRules, type MaskingRules } from './masking';

const MAX_CONFIG_BYTES = 1024 * 1024;

/** `30s`, `10m`, `6h`, `28d` → seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

const duration = (what: string) =>
  z.string().refine((v) => (parseDuration(v) ?? 0) > 0, { message: `expected a duration such as 30s, 10m, 6h or 28d (${what})` });

const envRef = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected an environment variable name such as CUSTOMER_LENS_HUB_TOKENS' }),
});

/** Keys every source has, whatever its kind. The rest of an entry belongs to the connector's options. */
const sourceBaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'a source id uses lowercase letters, digits, "-" and "_", e.g. "tickets"' }),
  kind: z.string(),
  name: z.string().min(1).optional(),
  every: duration('how often serve syncs this source').optional(),
  budget: z.strictObject({ requests: z.number().int().positive(), per: duration('the budget\'s window') }).optional(),
});
const SOURCE_BASE_KEYS = new Set(Object.keys(sourceBaseSchema.shape));

const featureSchema = z.strictObject({
  id: z.string().regex(FEATURE_ID_PATTERN, { message: 'a feature id uses lowercase letters, digits, "-", "_" and ".", as in the map' }),
  name: z.string().min(1).optional(),
  summary: z.string().optional(),
  tags: z.array(z.string().min(1)).optional(),
  events: z.array(z.string().min(1)).optional(),
});

export const hubConfigSchema = z.strictObject({
  version: z.literal(1, { message: 'must be 1; this is the only hub config version' }),
  maps: z.array(z.string().min(1)).optional(),
  tokens: envRef.optional(),
  period: duration('the trend period').default('28d'),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { message: 'expected an ISO 8601 date such as 2026-11-28' }).optional(),
  masking: z.strictObject({ emails: z.boolean().optional(), phones: z.boolean().optional(), cards: z.boolean().optional() }).optional(),
  quotesPerFeature: z.number().int().min(0).max(100).default(10),
  problemsPerFeature: z.number().int().min(1).max(500).default(50),
  accounts: z
    .strictObject({
      externalIds: z.array(z.string().min(1)).optional(),
      revenue: z.string().min(1).optional(),
    })
    .optional(),
  sources: z.array(z.record(z.string(), z.unknown())).default([]),
  features: z.array(featureSchema).default([]),
});

/** One configured source, validated. */
export interface SourceConfig {
  id: string;
  kind: string;
  name: string;
  everySeconds: number;
  budget: RequestBudget;
  options: unknown;
}

/** A feature the hub computes documents for: from the config, the maps, or both. */
export interface HubFeature {
  id: string;
  name?: string;
  summary?: string;
  /** Ticket tags and issue labels that attribute an item to the feature (default: the feature's id). */
  tags: string[];
  events: string[];
  links: Array<{ title: string; url: string }>;
}

export interface HubConfig {
  file: string;
  dir: string;
  tokensEnv?: string;
  periodDays: number;
  period: string;
  asOf?: number;
  masking: MaskingRules;
  quotesPerFeature: number;
  problemsPerFeature: number;
  externalIds: string[];
  revenueSource?: string;
  sources: SourceConfig[];
  features: HubFeature[];
}

/** A problem in the config (or a map it names), at its place. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatConfigProblem(problem: ConfigProblem, cwd = process.cwd()): string {
  const shown = path.relative(cwd, problem.file);
  return `${shown === '' || shown.startsWith('..') ? problem.file : shown}:${problem.line}:${problem.column}: ${problem.message}`;
}

export type ConfigOutcome = { ok: true; config: HubConfig; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

type Path = readonly PropertyKey[];

function nodeAt(doc: Document, p: Path, keyOnly = false): Node | undefined {
  let node = doc.contents as Node | null;
  let found: Node | undefined = node ?? undefined;
  for (let i = 0; i < p.length; i++) {
    const key = p[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      next = keyOnly && i === p.length - 1 ? pair?.key : pair?.value;
    } else if (isSeq(node) && typeof key === 'number') next = node.items[key];
    if (!next || !(next as Node).range) break;
    node = next as Node;
    found = node;
  }
  return found;
}

function describe(p: Path): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('') || 'the config';
}

/** Reads and validates a hub config file. Never throws for problems in the file: they come back positioned. */
export function loadHubConfig(file: string): ConfigOutcome {
  const abs = path.resolve(file);
  const problems: ConfigProblem[] = [];
  const at = (line: number, column: number, message: string, where = abs) => problems.push({ file: where, line, column, message });
  let text: string;
  try {
    const stat = fs.statSync(abs);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    if (stat.size > MAX_CONFIG_BYTES) {
      at(1, 1, `the config is ${Math.round(stat.size / 1024)} KB; a hub config is at most 1 MB`);
      return { ok: false, problems };
    }
    text = fs.readFileSync(abs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    at(1, 1, code === 'ENOENT' ? 'no such file; pass the hub config with --config FILE' : code === 'EISDIR' ? 'not a file; pass the hub config file with --config FILE' : `cannot read the config (${code ?? String(error)})`);
    return { ok: false, problems };
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => lines.linePos(offset);
  for (const error of doc.errors) {
    const p = pos(error.pos[0]);
    at(p.line, p.col, `invalid YAML: ${error.message.split('\n')[0]}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const report = (p: Path, message: string, keyOnly = false) => {
    const node = nodeAt(doc, p, keyOnly);
    const where = pos(node?.range?.[0] ?? 0);
    at(where.line, where.col, message);
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    at(1, 1, `invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false, problems };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    at(1, 1, 'the config must be a mapping that starts with "version: 1" and lists "sources:"');
    return { ok: false, problems };
  }
  const zodIssues = (issues: z.core.$ZodIssue[], prefix: Path) => {
    for (const issue of issues) {
      const full = [...prefix, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) report([...full, key], `${describe(full)}: unknown key "${key}"`, true);
      } else {
        report(full, `${describe(full)}: ${issue.message}`);
      }
    }
  };
  const parsed = hubConfigSchema.safeParse(data);
  if (!parsed.success) zodIssues(parsed.error.issues, []);
  const raw = data as Record<string, unknown>;

  const sources: SourceConfig[] = [];
  const seenSources = new Map<string, number>();
  const rawSources = Array.isArray(raw.sources) ? raw.sources : [];
  rawSources.forEach((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return;
    const base = sourceBaseSchema.safeParse(entry);
    if (!base.success) {
      zodIssues(base.error.issues, ['sources', i]);
      return;
    }
    const connector = connectorFor(base.data.kind);
    if (!connector) {
      report(['sources', i, 'kind'], `sources[${i}].kind: unknown kind "${base.data.kind}"; the hub knows ${connectors.map((c) => c.kind).join(', ')}`);
      return;
    }
    if (seenSources.has(base.data.id)) {
      report(['sources', i, 'id'], `sources[${i}].id: "${base.data.id}" is already the id of sources[${seenSources.get(base.data.id)}]; ids must be unique`);
      return;
    }
    seenSources.set(base.data.id, i);
    const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !SOURCE_BASE_KEYS.has(key)));
    const options = connector.options.safeParse(rest);
    if (!options.success) {
      zodIssues(options.error.issues, ['sources', i]);
      return;
    }
    const budget = base.data.budget ? { requests: base.data.budget.requests, perSeconds: parseDuration(base.data.budget.per)! } : connector.defaultBudget;
    sources.push({
      id: base.data.id,
      kind: connector.kind,
      name: base.data.name ?? base.data.id,
      everySeconds: base.data.every ? parseDuration(base.data.every)! : connector.defaultEverySeconds,
      budget,
      options: options.data,
    });
  });
  const revenue = (raw.accounts as { revenue?: unknown } | undefined)?.revenue;
  if (typeof revenue === 'string' && !seenSources.has(revenue)) {
    report(['accounts', 'revenue'], `accounts.revenue: no source has the id "${revenue}"; name the source whose ARR is the truth`);
  }

  // Features: the maps first (names, descriptions, events, links), then the config's entries on top.
  const warnings: ConfigProblem[] = [];
  const features = new Map<string, HubFeature>();
  const mapFiles = Array.isArray(raw.maps) ? raw.maps : [];
  mapFiles.forEach((mapPath: unknown, i) => {
    if (typeof mapPath !== 'string') return;
    const mapFile = path.resolve(path.dirname(abs), mapPath);
    let mapText: string;
    try {
      mapText = fs.readFileSync(mapFile, 'utf8');
    } catch {
      report(['maps', i], `maps[${i}]: cannot read ${mapFile}; the path is relative to the config file`);
      return;
    }
    const map = parseMapFile(mapFile, mapText);
    for (const problem of map.problems) {
      const entry = { file: mapFile, line: problem.range.start.line, column: problem.range.start.column, message: problem.message };
      if (problem.severity === 'error') problems.push(entry);
      else warnings.push(entry);
    }
    for (const f of map.features) {
      features.set(f.id, {
        id: f.id,
        name: f.name,
        ...(f.description !== undefined ? { summary: f.description } : {}),
        tags: [f.id],
        events: [...f.events],
        links: f.links.map((l) => ({ title: l.title, url: l.url })),
      });
    }
  });
  const seenFeatures = new Set<string>();
  (parsed.success ? parsed.data.features : []).forEach((f, i) => {
    if (seenFeatures.has(f.id)) {
      report(['features', i, 'id'], `features[${i}].id: "${f.id}" appears twice; list each feature once`);
      return;
    }
    seenFeatures.add(f.id);
    const known = features.get(f.id);
    features.set(f.id, {
      id: f.id,
      ...(f.name ?? known?.name ? { name: f.name ?? known?.name } : {}),
      ...(f.summary ?? known?.summary ? { summary: f.summary ?? known?.summary } : {}),
      tags: (f.tags ?? known?.tags ?? [f.id]).map((t) => t.toLowerCase()),
      events: f.events ?? known?.events ?? [],
      links: known?.links ?? [],
    });
  });
  if (parsed.success && features.size === 0) {
    report(['features'], 'no features: list them under "features:" or name a map file under "maps:"');
  }

  if (!parsed.success || problems.length > 0) {
    problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file.localeCompare(b.file)));
    return { ok: false, problems };
  }
  const c = parsed.data;
  return {
    ok: true,
    warnings,
    config: {
      file: abs,
      dir: path.dirname(abs),
      ...(c.tokens ? { tokensEnv: c.tokens.env } : {}),
      period: c.period,
      periodDays: Math.max(1, Math.round(parseDuration(c.period)! / 86400)),
      ...(c.asOf ? { asOf: Date.parse(c.asOf.length === 10 ? `${c.asOf}T23:59:59.999Z` : c.asOf) } : {}),
      masking: { ...defaultMaskingRules, ...c.masking },
      quotesPerFeature: c.quotesPerFeature,
      problemsPerFeature: c.problemsPerFeature,
      externalIds: c.accounts?.externalIds ?? [],
      ...(c.accounts?.revenue ? { revenueSource: c.accounts.revenue } : {}),
      sources,
      features: [...features.values()],
    },
  };
}

/** The client tokens `tokens: { env }` names, split on commas; empty when unset. */
export function clientTokens(config: HubConfig, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!config.tokensEnv) return [];
  return (env[config.tokensEnv] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
