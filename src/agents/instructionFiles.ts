// Agent instruction files (`.github/instructions/*.instructions.md`, read by GitHub Copilot in VS Code and on
// github.com) generated from the map: one per feature, with `applyTo` globs that select the feature's files, its
// purpose and owners as the map states them, and how to ask the tools for live customer context. Only what the
// repository already holds goes in: these files are committed, customer data never is.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MapFeature, WorkspaceMap } from '../shared/mapModel';
import { plainText, plainUrl } from '../shared/plainText';
import { compilePattern, folderSegments } from '../map/pattern';
import { relativeMapFile } from '../lens/featureBriefs';

/** Where the files go, relative to the workspace root. */
export const INSTRUCTIONS_DIR = '.github/instructions';

/** The comment every generated file carries: files without it are never overwritten or deleted. */
const MARKER = '<!-- customer-lens: generated from the map by "customer-lens instructions"; edit the map and run it again, not this file -->';

/** One file to write. */
export interface InstructionFile {
  /** Relative to the workspace root, `/`-separated. */
  path: string;
  content: string;
  /** The feature it is about; absent for the overview file. */
  featureId?: string;
}

/** A glob written by the map in glob form, or why it cannot be. */
type GlobResult = { globs: string[] } | { skipped: string };

/**
 * A map pattern as `applyTo` globs, relative to the workspace root, with the same reach: the pattern is compiled the
 * way the matcher compiles it (anchoring, the map file's folder in front), then written back as a glob. A folder
 * pattern covers everything below it (`dir/**`); a literal last name may be a file or a folder (both globs).
 */
export function patternGlobs(pattern: string, mapFolder: readonly string[]): GlobResult {
  if (/[[\]{},]/.test(pattern)) return { skipped: `${pattern} (its [ ] { } or , cannot be written in an applyTo glob)` };
  const compiled = compilePattern(pattern, mapFolder);
  const body = compiled.segments.map((s) => (s.kind === 'globstar' ? '**' : s.text)).join('/');
  const last = compiled.segments[compiled.segments.length - 1];
  if (body === '' || body === '**') return { globs: ['**'] };
  if (compiled.dirOnly) return { globs: [`${body}/**`] };
  if (last?.kind === 'globstar') return { globs: [body] };
  if (compiled.expandable) return { globs: [body, `${body}/**`] };
  return { globs: [body] };
}

/** A file name for a feature id: letters, digits, `.`, `_` and `-` kept, anything else a `-`. */
function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.-]+/, '') || 'feature';
}

function featureFile(root: string, feature: MapFeature): { content: string; skipped: string[] } {
  const mapFile = relativeMapFile(root, feature.mapFile);
  const mapFolder = folderSegments(mapFile.split('/').slice(0, -1).join('/'));
  const globs: string[] = [];
  const skipped: string[] = [];
  for (const p of feature.paths) {
    const result = patternGlobs(p.pattern, mapFolder);
    if ('skipped' in result) skipped.push(result.skipped);
    else for (const glob of result.globs) if (!globs.includes(glob)) globs.push(glob);
  }
  const name = plainText(feature.name, 120);
  const lines = [
    '---',
    `applyTo: ${JSON.stringify(globs.join(','))}`,
    `description: ${JSON.stringify(`${name}: who its customers are, and how to see what they report before changing this code`)}`,
    '---',
    MARKER,
    '',
    `# ${name} (feature \`${feature.id}\`)`,
    '',
  ];
  if (feature.description) lines.push(plainText(feature.description, 1000), '');
  if (feature.owners.length > 0) lines.push(`Owners: ${feature.owners.map((o) => plainText(o, 80)).join(', ')}.`);
  lines.push(`Mapped in \`${mapFile}\` (line ${feature.range.start.line}).`);
  if (feature.exclude.length > 0) lines.push(`Not part of it, although the globs above select them: ${feature.exclude.map((p) => `\`${p.pattern}\``).join(', ')}.`);
  if (skipped.length > 0) lines.push(`Also part of it: ${skipped.join('; ')}.`);
  lines.push(
    '',
    'Before you change these files, ask Customer Lens what this feature\'s customers are going through:',
    `- call \`customer_context\` with the paths you are about to change (or with featureIds \`["${feature.id}"]\`): its open customer problems with how many customers and how much revenue they touch, quotes, and usage;`,
    '- once the change is written, call `customer_impact` with its diff.',
    '',
    'In VS Code the tools come with the Customer Lens extension (`#customerContext` in chat); other agents start its MCP server with `customer-lens mcp`. Say in your summary which open problems the change affects, and keep what those customers rely on working.',
  );
  const links = feature.links.flatMap((l) => {
    const url = plainUrl(l.url);
    return url ? [`[${plainText(l.title, 60).replace(/[[\]]/g, '')}](${url})`] : [];
  });
  if (links.length > 0) lines.push('', `Links: ${links.join(' · ')}`);
  return { content: `${lines.join('\n')}\n`, skipped };
}

function overviewFile(map: WorkspaceMap, root: string): string {
  const mapFiles = map.mapFiles.map((f) => `\`${relativeMapFile(root, f)}\``).join(', ');
  return [
    '---',
    'applyTo: "**"',
    `description: ${JSON.stringify('How this repository maps code to product features, and how to see their customers')}`,
    '---',
    MARKER,
    '',
    '# Product features and their customers',
    '',
    `This repository maps its code to ${map.features.length} product feature${map.features.length === 1 ? '' : 's'} in ${mapFiles}: ${map.features.map((f) => `\`${f.id}\``).join(', ')}. Each feature has its own instructions file here, applied to its files.`,
    '',
    'Customer Lens tools answer from that map and from what customers report (support problems, quotes, usage):',
    '- `find_features`: which features exist and which paths they cover;',
    '- `customer_context`: for the paths you are about to change, each feature\'s open customer problems, quotes and usage;',
    '- `customer_impact`: for a diff, the features it touches, the most at stake first.',
    '',
    'In VS Code they come with the Customer Lens extension; other agents start its MCP server with `customer-lens mcp`.',
    '',
  ].join('\n');
}

/** The files for a map: an overview, then one per feature, in map order. */
export function instructionFiles(map: WorkspaceMap): InstructionFile[] {
  const root = map.root;
  const files: InstructionFile[] = [{ path: `${INSTRUCTIONS_DIR}/customer-lens.instructions.md`, content: overviewFile(map, root) }];
  const used = new Set<string>();
  for (const feature of map.features) {
    let name = `customer-lens-${slug(feature.id)}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `customer-lens-${slug(feature.id)}-${n}`;
    used.add(name.toLowerCase());
    files.push({ path: `${INSTRUCTIONS_DIR}/${name}.instructions.md`, content: featureFile(root, feature).content, featureId: feature.id });
  }
  return files;
}

/** What writing the files did (or, with `check`, would do). Paths relative to the root. */
export interface InstructionsOutcome {
  written: string[];
  unchanged: string[];
  /** Generated files of features no longer in the map. */
  removed: string[];
  /** Files of the same name that were not generated: left alone. */
  conflicts: string[];
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the files into `<root>/.github/instructions/`, removes generated files of features that left the map, and
 * never touches a file it did not generate. With `check`, changes nothing and reports what would change.
 */
export async function writeInstructionFiles(root: string, files: readonly InstructionFile[], options: { check?: boolean } = {}): Promise<InstructionsOutcome> {
  const outcome: InstructionsOutcome = { written: [], unchanged: [], removed: [], conflicts: [] };
  const dir = path.join(root, ...INSTRUCTIONS_DIR.split('/'));
  for (const file of files) {
    const absolute = path.join(root, ...file.path.split('/'));
    const existing = await readIfExists(absolute);
    if (existing === file.content) {
      outcome.unchanged.push(file.path);
      continue;
    }
    if (existing !== undefined && !existing.includes(MARKER)) {
      outcome.conflicts.push(file.path);
      continue;
    }
    if (!options.check) {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(absolute, file.content, 'utf8');
    }
    outcome.written.push(file.path);
  }
  const wanted = new Set(files.map((f) => path.basename(f.path)));
  let entries: string[] = [];
  try {
    entries = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const entry of entries.sort()) {
    if (!/^customer-lens(-.*)?\.instructions\.md$/.test(entry) || wanted.has(entry)) continue;
    const absolute = path.join(dir, entry);
    const text = await readIfExists(absolute);
    if (text === undefined || !text.includes(MARKER)) continue;
    if (!options.check) await fs.rm(absolute);
    outcome.removed.push(`${INSTRUCTIONS_DIR}/${entry}`);
  }
  return outcome;
}
