// Writes a starter map from what the repository already says: its top-level source folders and its CODEOWNERS.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { MAP_SCHEMA_URL, patternSyntaxProblem, suggestFeatureId } from '../shared/mapSchema';
import { compilePattern, folderSegments, patternMatches, type CompiledPattern } from './pattern';

/** Folders that hold build output or dependencies: never features. */
const GENERATED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'target', 'vendor', 'tmp', 'bin', 'obj']);
/** Folders that are usually not customer-facing: listed under `unmapped`. */
const NOT_CUSTOMER_FACING = new Set(['test', 'tests', '__tests__', 'spec', 'e2e', 'scripts', 'tools', 'docs', 'doc', 'examples', 'bench', 'benchmarks', 'fixtures']);
/** Folders whose subfolders are the features (`src/checkout`, `packages/web`). */
const CONTAINERS = new Set(['src', 'lib', 'app', 'apps', 'packages', 'services', 'modules', 'features', 'components', 'source']);
/** Shared-code subfolders of a container: not a feature by themselves, so left for the author to decide. */
const SHARED = new Set(['lib', 'libs', 'util', 'utils', 'common', 'shared', 'helpers', 'types', 'internal', 'core', 'test', 'tests', '__tests__']);
/** Where GitHub looks for CODEOWNERS, in its order. */
const CODEOWNERS_FILES = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

interface OwnerRule {
  pattern: CompiledPattern;
  owners: string[];
}

async function readCodeowners(root: string): Promise<OwnerRule[]> {
  for (const name of CODEOWNERS_FILES) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, name), 'utf8');
    } catch {
      // Not at this location; GitHub checks the next one too.
      continue;
    }
    const rules: OwnerRule[] = [];
    for (const line of text.split(/\r?\n/)) {
      const [pattern, ...rest] = line.replace(/(^|\s)#.*$/, '').trim().split(/\s+/);
      // Lines our pattern syntax cannot express (escapes, negation) cannot own a folder here; leave them out.
      if (!pattern || patternSyntaxProblem(pattern)) continue;
      rules.push({ pattern: compilePattern(pattern, []), owners: rest });
    }
    return rules;
  }
  return [];
}

/** CODEOWNERS' rule: the last matching line wins. Asked for a file in the folder that no name pattern would match. */
function ownersOf(folder: string, rules: readonly OwnerRule[]): string[] {
  const probe = [...folderSegments(folder), '\u0000'];
  for (let i = rules.length - 1; i >= 0; i--) {
    if (patternMatches(rules[i].pattern, probe, false)) return rules[i].owners;
  }
  return [];
}

function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function yamlString(value: string): string {
  return /^[A-Za-z0-9][\w ./@-]*$/.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
}

function usableFolderName(name: string): boolean {
  return !name.startsWith('.') && !/[*?\\]/.test(name) && patternSyntaxProblem(`/${name}/`) === undefined;
}

/**
 * A starter map for `root`, as YAML text: one feature per top-level source folder (or per subfolder of `src/`,
 * `packages/` and the like), owners from CODEOWNERS, tests/scripts/docs and hidden folders under `unmapped`.
 * `schema` is what the `yaml-language-server` comment points editors at.
 */
export async function createStarterMap(root: string, files: readonly string[], options: { schema?: string } = {}): Promise<string> {
  const children = new Map<string, Set<string>>();
  for (const file of files) {
    const segments = file.split('/');
    if (segments.length < 2) continue;
    const subs = children.get(segments[0]) ?? new Set<string>();
    if (segments.length > 2) subs.add(segments[1]);
    children.set(segments[0], subs);
  }
  const folders: string[] = [];
  const unmapped: string[] = [];
  for (const top of [...children.keys()].sort()) {
    if (top.startsWith('.') || NOT_CUSTOMER_FACING.has(top)) {
      if (patternSyntaxProblem(`/${top}/`) === undefined && !/[*?]/.test(top)) unmapped.push(`/${top}/`);
      continue;
    }
    if (GENERATED.has(top) || !usableFolderName(top)) continue;
    const subs = [...(children.get(top) ?? [])].filter((s) => usableFolderName(s) && !SHARED.has(s)).sort();
    if (CONTAINERS.has(top) && subs.length > 0) folders.push(...subs.map((s) => `${top}/${s}`));
    else folders.push(top);
  }

  const rules = await readCodeowners(root);
  const used = new Set<string>();
  const lines = [
    `# yaml-language-server: $schema=${options.schema ?? MAP_SCHEMA_URL}`,
    '# Customer Lens map: which product feature each path belongs to. Patterns follow CODEOWNERS rules, relative to',
    '# this folder: a leading "/" anchors, a trailing "/" takes a whole folder, "*" stays within a name, "**" crosses',
    '# folders. When several features match a file, the one whose pattern comes last is primary.',
    '# Check it with `customer-lens check`; see why a file maps where it does with `customer-lens explain <file>`.',
    'version: 1',
    '',
  ];
  if (folders.length === 0) {
    lines.push('features: []', '# features:', '#   - id: checkout', '#     name: Checkout', '#     description: Turning a cart into a paid order.', '#     paths: ["/src/checkout/"]');
  } else {
    lines.push('features:');
    for (const folder of folders) {
      const name = folder.split('/').pop() as string;
      let id = suggestFeatureId(name) || 'feature';
      for (let n = 2; used.has(id); n++) id = `${suggestFeatureId(name) || 'feature'}-${n}`;
      used.add(id);
      lines.push(`  - id: ${id}`, `    name: ${yamlString(humanize(name))}`, '    # description: Why this feature exists, for customers, in one or two sentences.');
      const owners = ownersOf(folder, rules);
      if (owners.length > 0) lines.push(`    owners: [${owners.map((o) => JSON.stringify(o)).join(', ')}]`);
      lines.push(`    paths: [${JSON.stringify(`/${folder}/`)}]`);
    }
  }
  if (unmapped.length > 0) {
    lines.push('', '# Not customer-facing; counted as covered.', 'unmapped:', ...unmapped.map((p) => `  - ${JSON.stringify(p)}`));
  }
  return `${lines.join('\n')}\n`;
}
