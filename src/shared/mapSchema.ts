/**
 * The map file (`.customer-lens.yml`, `.customer-lens.yaml` or `.customer-lens.json`) as a zod schema: the single
 * source of truth for its shape. The parser in `src/map/mapFile.ts` validates with it and turns its issues into
 * positioned problems; `jsonSchemas.ts` ships it as `map.schema.json` for editors. Rules that need more than one
 * value at a time (duplicate ids, a `context` file that must exist) live in the parser.
 * No `vscode` import here.
 */
import { z } from 'zod';
import { neutralizeText } from './safeText';

/** The only map format version this build reads. */
export const MAP_FORMAT_VERSION = 1;

/** A feature id: lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const FEATURE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** Turns any string into the closest valid feature id, e.g. `Checkout Flow` → `checkout-flow`; `''` if nothing is left. */
export function suggestFeatureId(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
}

/**
 * Says what is wrong with a path pattern's syntax, in one sentence that tells the user what to write instead, or
 * returns `undefined` when the pattern is valid. Semantics (see the README): CODEOWNERS/gitignore patterns relative
 * to the map file's folder, `*`, `**` and `?` wildcards, no negation, no character classes, no escapes.
 */
export function patternSyntaxProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'a pattern must not be empty; remove it or write a path such as "/src/"';
  if (pattern.startsWith('!')) {
    return `"!" negation is not supported; to leave "${pattern.slice(1)}" out of a feature, list it under that feature's "exclude"`;
  }
  if (pattern !== pattern.trim()) return `pattern "${pattern}" has spaces at its start or end; remove them`;
  // Control characters, and bidi formatting characters that would make the pattern display as another path.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(pattern)) {
    return `pattern ${JSON.stringify(neutralizeText(pattern))} contains a control character or a bidirectional formatting character (shown as \ufffd); remove it`;
  }
  if (pattern.includes('\\')) {
    return `pattern "${pattern}" contains "\\"; separate folders with "/" (escapes are not supported)`;
  }
  const inner = pattern.replace(/^\//, '').replace(/\/$/, '');
  if (inner === '' && pattern !== '/') return `pattern "${pattern}" is not a path; write "/" or "**" to match everything`;
  if (inner === '') return undefined;
  for (const segment of inner.split('/')) {
    if (segment === '') return `pattern "${pattern}" has an empty folder name ("//"); write a single "/"`;
    if (segment === '.' || segment === '..') {
      return `pattern "${pattern}" uses "${segment}"; patterns are relative to the map file's folder, so start with "/" instead (e.g. "/src/")`;
    }
  }
  return undefined;
}

/**
 * The pattern a syntax problem's message asks for, when there is exactly one: spaces trimmed, `\\` written as `/`,
 * `//` as `/`, a leading `./` as `/`. Undefined when the pattern is valid or cannot be fixed without a decision
 * (negation, `..`, an empty pattern).
 */
export function fixedPattern(pattern: string): string | undefined {
  if (patternSyntaxProblem(pattern) === undefined) return undefined;
  const fixed = pattern
    .trim()
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^\.\//, '/')
    .replace(/\/(\.\/)+/g, '/');
  return fixed !== pattern && fixed !== '' && patternSyntaxProblem(fixed) === undefined ? fixed : undefined;
}

/** A CODEOWNERS-style path pattern, relative to the map file's folder. */
export const mapPatternSchema = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : 'expected a pattern (a string such as "/src/checkout/")') })
  .superRefine((value, ctx) => {
    const problem = patternSyntaxProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { rule: 'invalid-pattern' } });
  })
  .meta({
    description:
      'A CODEOWNERS-style pattern relative to this map file\'s folder: a leading "/" anchors it, a trailing "/" matches a folder and everything below, "*" stays within a folder name, "**" crosses folders, "?" is one character. No "!" (use "exclude").',
    pattern: '^[^!\\s\\\\]',
    examples: ['/src/checkout/', '*.payment.ts', 'docs/*.md'],
  });

/** A link shown with a feature: a spec, a dashboard, a runbook. */
export const mapLinkSchema = z
  .strictObject({
    title: z.string().min(1).meta({ description: 'What the link is, e.g. "Spec".' }),
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as "https://example.com/spec"' })
      .meta({ description: 'An http(s) URL.' }),
  })
  .meta({ description: 'A link shown with the feature.' });

/** One product feature: what it is, why it exists, who owns it, and which paths belong to it. */
export const mapFeatureSchema = z
  .strictObject({
    id: z
      .string()
      .regex(FEATURE_ID_PATTERN, {
        error: (issue) => {
          const suggestion = typeof issue.input === 'string' ? suggestFeatureId(issue.input) : '';
          return `id ${JSON.stringify(issue.input)} is not valid; use lowercase letters, digits, "-", "_" and "."${suggestion ? ` (e.g. "${suggestion}")` : ''}`;
        },
      })
      .meta({ description: 'Unique id: lowercase letters, digits, "-", "_" and ".". Context endpoints key their data by it.' }),
    name: z.string().min(1).optional().meta({ description: 'Display name; defaults to the id.' }),
    description: z.string().optional().meta({ description: 'Why the feature exists, in one or two sentences.' }),
    owners: z.array(z.string().min(1)).optional().meta({ description: 'Owning teams or people, e.g. "@shop/payments".' }),
    paths: z.array(mapPatternSchema).optional().meta({ description: 'Patterns of the files that belong to the feature.' }),
    exclude: z.array(mapPatternSchema).optional().meta({ description: 'Patterns that cancel this feature\'s `paths`.' }),
    symbols: z.array(z.string().min(1)).optional().meta({ description: 'Identifiers that anchor hover cards.' }),
    events: z.array(z.string().min(1)).optional().meta({ description: 'Analytics event names that anchor usage stats.' }),
    links: z.array(mapLinkSchema).optional(),
  })
  .meta({ description: 'A product feature and the paths that belong to it.' });

/** A whole map file. */
export const mapFileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'The JSON Schema of this file (for editors).' }),
    version: z
      .literal(MAP_FORMAT_VERSION, {
        error: (issue) =>
          issue.input === undefined
            ? undefined
            : `must be ${MAP_FORMAT_VERSION} (got ${JSON.stringify(issue.input)}); this is the only map format version`,
      })
      .meta({ description: 'Map format version; always 1.' }),
    context: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A context file (JSON or YAML) relative to this map file, used when no endpoint is configured.' }),
    features: z.array(mapFeatureSchema).optional().meta({ description: 'The product features, in order: the last matching pattern wins "primary".' }),
    unmapped: z
      .array(mapPatternSchema)
      .optional()
      .meta({ description: 'Patterns of files that are explicitly not customer-facing; they count as covered.' }),
  })
  .meta({
    title: 'Customer Lens map',
    description: 'Which product feature each path belongs to. See the Customer Lens README.',
  });

/** A map file's content as validated by {@link mapFileSchema}. */
export type MapFileData = z.infer<typeof mapFileSchema>;
/** One feature entry as validated by {@link mapFeatureSchema}. */
export type MapFeatureData = z.infer<typeof mapFeatureSchema>;

/** The map's JSON Schema, generated from {@link mapFileSchema} (what a user writes, so optional keys stay optional). */
export function mapJsonSchema(): object {
  return z.toJSONSchema(mapFileSchema, { io: 'input' });
}
