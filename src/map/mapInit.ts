// Writes a starter map from what the repository already says: the folders CODEOWNERS gives owners to (at any depth),
// its top-level source folders, and which folders hold tests, tooling, CI, build files or docs.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { mapJsonSchema, patternSyntaxProblem, suggestFeatureId } from '../shared/mapSchema';
import { folderOwners, readCodeowners, type CodeownersRule } from './codeowners';
import { SCHEMA_FILE_NAME } from './mapFile';
import { compilePattern, patternMatches } from './pattern';

/**
 * Folder names that are never product code: tests, tooling, CI, build and packaging, docs, licenses, vendored and
 * generated code. A folder of that name, at any depth, goes to `unmapped` (compared in lower case).
 */
const NOT_PRODUCT = new Set([
  'test', 'tests', '__tests__', '__mocks__', 'spec', 'specs', 'e2e', 'testing', 'testdata', 'test-data', 'fixtures', 'mocks',
  'script', 'scripts', 'tools', 'tooling', 'devtools', 'hack', 'utils-dev',
  'ci', 'build', 'builds', 'cmake', 'make', 'makefiles', 'mk', 'docker', 'dockerfiles', 'packaging', 'release', 'releases',
  'deploy', 'deployment', 'deployments', 'infra', 'infrastructure', 'terraform', 'helm', 'charts', 'k8s', 'kubernetes', 'ansible',
  'docs', 'doc', 'documentation', 'examples', 'example', 'samples', 'sample', 'bench', 'benches', 'benchmark', 'benchmarks',
  'licenses', 'license', 'third_party', 'third-party', 'thirdparty', 'vendor', 'external', 'node_modules',
  'dist', 'out', 'target', 'coverage', 'tmp', 'obj', 'rootfs', 'pylint', 'stubs',
]);
/** Folders whose subfolders are the features (`src/checkout`, `packages/web`). */
const CONTAINERS = new Set(['src', 'lib', 'app', 'apps', 'packages', 'services', 'modules', 'features', 'components', 'source']);
/** Shared-code subfolders of a container: not a feature by themselves, so left for the author to decide. */
const SHARED = new Set(['lib', 'libs', 'util', 'utils', 'common', 'shared', 'helpers', 'types', 'internal', 'core', 'include', 'includes']);
/** Shared helper code: not a feature even when CODEOWNERS names owners for it (a `core` it names is one). */
const HELPERS = new Set([...SHARED].filter((name) => name !== 'core' && name !== 'internal'));
/** Words shown in capitals in a feature's name. */
const ACRONYMS = new Set(['api', 'ui', 'ux', 'cli', 'sdk', 'usb', 'cpu', 'gpu', 'dns', 'http', 'tcp', 'udp', 'ip', 'ipv6', 'sso', 'pdf', 'csv', 'seo', 'ai', 'ml', 'id', 'url', 'sms', 'otp', 'vat']);
/** Extensions of source files: a root-level file without one is configuration, docs or tooling. */
const SOURCE_EXTENSION = /\.(ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|kts|swift|c|cc|cpp|cxx|h|hh|hpp|cs|fs|rb|php|scala|m|mm|vue|svelte|dart|ex|exs|erl|hs|lua|clj|html|css|scss)$/i;

/** Packages and folders that hold tool configuration (`eslint-config`, `tsconfig`, `jest-preset`). */
const TOOL_CONFIG = /^(eslint|prettier|stylelint|commitlint|babel|jest|vitest|webpack|rollup|vite|tsconfig|typescript-config|renovate)([-_.].*)?$|[-_]config$/i;

function isNotProduct(segment: string): boolean {
  return segment.startsWith('.') || NOT_PRODUCT.has(segment.toLowerCase()) || TOOL_CONFIG.test(segment);
}

function humanize(name: string): string {
  const words = name
    .replace(/[*?]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function yamlString(value: string): string {
  return /^[A-Za-z0-9][\w ./@()-]*$/.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
}

function usableName(name: string): boolean {
  return !name.startsWith('.') && !/[*?\\]/.test(name) && patternSyntaxProblem(`/${name}/`) === undefined;
}

/** A feature the starter map proposes. */
interface Proposal {
  /** The folder pattern written under `paths` (`/src/checkout/`, `/boards/esp*\/`). */
  pattern: string;
  /** The pattern's folder names, for the id and the name. */
  segments: string[];
  owners: string[];
  /** The CODEOWNERS line the owners come from. */
  ownersFrom?: CodeownersRule;
  /** Proposed from a CODEOWNERS folder rule (not from the folder layout). */
  fromCodeowners: boolean;
  /** The folders of the file list it takes, root-relative. */
  folders: string[];
}

/** The folders of the file list: every folder (`a`, `a/b`), and each folder's subfolders. */
interface FolderTree {
  set: Set<string>;
  /** Every folder as segments, for pattern matching. */
  list: string[][];
  /** Folder (`''` for the root) → the names of its subfolders. */
  children: Map<string, Set<string>>;
}

function folderTree(files: readonly string[]): FolderTree {
  const set = new Set<string>();
  const children = new Map<string, Set<string>>();
  for (const file of files) {
    let parent = '';
    for (let slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
      const folder = file.slice(0, slash);
      if (!set.has(folder)) {
        set.add(folder);
        const list = children.get(parent) ?? new Set<string>();
        list.add(folder.slice(parent === '' ? 0 : parent.length + 1));
        children.set(parent, list);
      }
      parent = folder;
    }
  }
  return { set, list: [...set].map((folder) => folder.split('/')), children };
}

/**
 * The folder a CODEOWNERS rule gives owners to, as a map pattern, with the folders it names; undefined for rules on
 * files (`*.md`, `Kconfig`), catch-alls (`*`) and folders that are not in the file list. `dir/*` and `dir/**` name
 * the folder `dir` (what their authors mean by them), and a wildcard last name such as `/tests/net/gnrc*` names the
 * folders it would match.
 */
function ruleFolder(rule: CodeownersRule, tree: FolderTree): { pattern: string; segments: string[]; matched: string[] } | undefined {
  const written = rule.pattern;
  let body = written.replace(/^\//, '').replace(/\/$/, '');
  const anchored = written.startsWith('/') || body.includes('/');
  body = body.replace(/\/\*{1,2}$/, '');
  if (body === '' || body === '*' || body === '**' || body.includes('**')) return undefined;
  const segments = body.split('/');
  const pattern = `${anchored ? '/' : ''}${body}/`;
  if (anchored && !/[*?]/.test(body)) return tree.set.has(body) ? { pattern, segments, matched: [body] } : undefined;
  const compiled = compilePattern(pattern, []);
  const matched = tree.list.filter((folder) => folder.length >= segments.length && patternMatches(compiled, folder, true) && !patternMatches(compiled, folder.slice(0, -1), true));
  return matched.length > 0 ? { pattern, segments, matched: matched.map((f) => f.join('/')) } : undefined;
}

/** Whether a proposal takes `folder`, a folder above it, or a folder below it. */
function touches(proposals: readonly Proposal[], folder: string): boolean {
  return proposals.some((p) => p.folders.some((taken) => taken === folder || folder.startsWith(`${taken}/`) || taken.startsWith(`${folder}/`)));
}

/** Collects `unmapped` patterns, dropping a folder that a shallower anchored one already covers. */
class UnmappedList {
  private readonly patterns = new Set<string>();

  add(pattern: string): void {
    if (patternSyntaxProblem(pattern)) return;
    for (const existing of this.patterns) {
      if (pattern.startsWith(existing) && existing.endsWith('/') && existing.startsWith('/')) return;
      if (existing.startsWith(pattern) && pattern.endsWith('/') && pattern.startsWith('/')) this.patterns.delete(existing);
    }
    this.patterns.add(pattern);
  }

  list(): string[] {
    return [...this.patterns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** Features proposed from CODEOWNERS folder rules, in file order (so the map's "last match is primary" agrees). */
function codeownersProposals(rules: readonly CodeownersRule[], tree: FolderTree, unmapped: UnmappedList): Proposal[] {
  const byPattern = new Map<string, Proposal>();
  for (const rule of rules) {
    if (rule.owners.length === 0) continue;
    const folder = ruleFolder(rule, tree);
    if (!folder) continue;
    const tooling = folder.segments.findIndex(isNotProduct);
    if (tooling >= 0) {
      const head = folder.segments.slice(0, tooling + 1);
      const anchored = folder.pattern.startsWith('/');
      unmapped.add(/[*?]/.test(head.join('/')) ? folder.pattern : `${anchored ? '/' : ''}${head.join('/')}/`);
      continue;
    }
    // A rule on a whole container (`/src/`) or on shared code gives owners to features; it is not a feature itself.
    const last = folder.segments[folder.segments.length - 1];
    if ((folder.segments.length === 1 && CONTAINERS.has(last)) || HELPERS.has(last.toLowerCase())) continue;
    byPattern.delete(folder.pattern); // a later line for the same folder wins, and takes its place in the order
    byPattern.set(folder.pattern, { pattern: folder.pattern, segments: folder.segments, owners: rule.owners, ownersFrom: rule, fromCodeowners: true, folders: folder.matched });
  }
  return [...byPattern.values()];
}

function isCandidateFolder(name: string): boolean {
  return usableName(name) && !SHARED.has(name.toLowerCase()) && !isNotProduct(name);
}

/**
 * Features from the folder layout where CODEOWNERS proposes none: each top-level source folder (or each subfolder of
 * a container such as `src/`), and the folders beside a CODEOWNERS feature's folder, which are features of the same
 * kind (the other integrations, drivers, boards) even when CODEOWNERS names no owner for them.
 */
function layoutProposals(tree: FolderTree, rules: readonly CodeownersRule[], taken: readonly Proposal[], unmapped: UnmappedList): Proposal[] {
  const proposals: Proposal[] = [];
  const propose = (folder: string) => {
    if (touches(taken, folder) || touches(proposals, folder)) return;
    const { owners, rule } = folderOwners(folder, rules);
    proposals.push({ pattern: `/${folder}/`, segments: folder.split('/'), owners, ownersFrom: rule, fromCodeowners: false, folders: [folder] });
  };
  const childrenOf = (folder: string) => [...(tree.children.get(folder) ?? [])].sort();
  for (const top of childrenOf('')) {
    if (isNotProduct(top)) {
      unmapped.add(`/${top}/`);
      continue;
    }
    if (!usableName(top)) continue;
    const subs = childrenOf(top).filter(isCandidateFolder);
    if (CONTAINERS.has(top) && subs.length > 0) for (const sub of subs) propose(`${top}/${sub}`);
    else propose(top);
  }
  const parents = new Set(taken.flatMap((p) => p.folders.filter((f) => f.includes('/')).map((f) => f.slice(0, f.lastIndexOf('/')))));
  for (const parent of [...parents].sort()) {
    for (const sibling of childrenOf(parent).filter(isCandidateFolder)) propose(`${parent}/${sibling}`);
  }
  return proposals.sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
}

/**
 * Files no proposal takes that sit in a tests, tooling or docs folder below the top level (`apps/api/test/`): their
 * folder goes to `unmapped`, so coverage reports only what a person has to decide about.
 */
function unmapToolingLeftovers(files: readonly string[], proposals: readonly Proposal[], unmapped: UnmappedList): void {
  const taken = new Set(proposals.flatMap((p) => p.folders));
  for (const file of files) {
    const segments = file.split('/');
    let inFeature = false;
    for (let i = 1; i < segments.length && !inFeature; i++) inFeature = taken.has(segments.slice(0, i).join('/'));
    if (inFeature) continue;
    const tooling = segments.slice(0, -1).findIndex(isNotProduct);
    if (tooling > 0 && !/[*?]/.test(file)) unmapped.add(`/${segments.slice(0, tooling + 1).join('/')}/`);
  }
}

/** Unique ids: the last folder name, qualified with its parents only where two features would share it. */
function assignIds(proposals: readonly Proposal[]): { id: string; name: string }[] {
  const idOf = (segments: string[], depth: number) =>
    suggestFeatureId(segments.slice(-depth).join('-').replace(/[*?]+/g, '-')).replace(/-+/g, '-').replace(/-$/, '') || 'feature';
  const depths = proposals.map(() => 1);
  for (let changed = true; changed; ) {
    changed = false;
    const groups = new Map<string, number[]>();
    proposals.forEach((p, i) => {
      const id = idOf(p.segments, depths[i]);
      groups.set(id, [...(groups.get(id) ?? []), i]);
    });
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      for (const i of members) {
        if (depths[i] < proposals[i].segments.length) {
          depths[i]++;
          changed = true;
        }
      }
    }
  }
  const used = new Set<string>();
  return proposals.map((p, i) => {
    const base = idOf(p.segments, depths[i]);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    const last = p.segments[p.segments.length - 1];
    const parent = p.segments.slice(-depths[i], -1).join('/');
    return { id, name: depths[i] > 1 && parent ? `${humanize(last)} (${parent})` : humanize(last) };
  });
}

/** A starter map and what went into it. */
export interface StarterMap {
  /** The map file's YAML text. */
  text: string;
  features: number;
  /** Features proposed from CODEOWNERS folder rules (the rest come from the folder layout). */
  fromCodeowners: number;
  /** Features that got owners from CODEOWNERS. */
  withOwners: number;
  /** The CODEOWNERS file used, relative to the root. */
  codeowners?: string;
  unmapped: number;
}

/**
 * A starter map for `root`, as YAML: a feature for each folder CODEOWNERS gives owners to (at any depth, in its
 * order, so the last matching line stays primary), a feature for each top-level source folder (or subfolder of
 * `src/`, `packages/` and the like) that CODEOWNERS says nothing about, owners from CODEOWNERS' last matching line;
 * tests, tooling, CI, build, docs and hidden folders, and root-level files that are not source code, under
 * `unmapped`. `schema` is what the `yaml-language-server` comment points editors at (no comment without one).
 */
export async function createStarterMap(root: string, files: readonly string[], options: { schema?: string } = {}): Promise<StarterMap> {
  const codeowners = await readCodeowners(root);
  const rules = codeowners?.rules ?? [];
  const tree = folderTree(files);
  const unmapped = new UnmappedList();
  const fromCodeowners = codeownersProposals(rules, tree, unmapped);
  const fromLayout = layoutProposals(tree, rules, fromCodeowners, unmapped);
  // Layout features first: CODEOWNERS' lines come after them, so a matching line stays primary as it is in CODEOWNERS.
  const proposals = [...fromLayout, ...fromCodeowners];
  unmapToolingLeftovers(files, proposals, unmapped);
  for (const file of files) {
    if (!file.includes('/') && !SOURCE_EXTENSION.test(file) && !file.startsWith('.customer-lens.')) unmapped.add(`/${file}`);
  }

  const lines = [
    ...(options.schema ? [`# yaml-language-server: $schema=${options.schema}`] : []),
    '# Customer Lens map: which product feature each path belongs to. Patterns follow CODEOWNERS rules, relative to',
    '# this folder: a leading "/" anchors, a trailing "/" takes a whole folder, "*" stays within a name, "**" crosses',
    '# folders. When several features match a file, the one whose pattern comes last is primary.',
    `# Proposed from ${codeowners ? `the folders ${codeowners.file} gives owners to and ` : ''}the top-level folders: merge or`,
    '# split features as the product sees them, and give each a "description:" (why it exists, for customers).',
    '# Check it with `customer-lens check`; see why a file maps where it does with `customer-lens explain <file>`.',
    'version: 1',
    '',
  ];
  if (proposals.length === 0) {
    lines.push('features: []', '# features:', '#   - id: checkout', '#     name: Checkout', '#     description: Turning a cart into a paid order.', '#     paths: ["/src/checkout/"]');
  } else {
    lines.push('features:');
    const ids = assignIds(proposals);
    proposals.forEach((proposal, i) => {
      lines.push(`  - id: ${ids[i].id}`, `    name: ${yamlString(ids[i].name)}`);
      if (proposal.owners.length > 0) {
        const from = codeowners && proposal.ownersFrom ? `  # ${codeowners.file}:${proposal.ownersFrom.line}` : '';
        lines.push(`    owners: [${proposal.owners.map((o) => JSON.stringify(o)).join(', ')}]${from}`);
      }
      lines.push(`    paths: [${JSON.stringify(proposal.pattern)}]`);
    });
  }
  const unmappedPatterns = unmapped.list();
  if (unmappedPatterns.length > 0) {
    lines.push('', '# Not customer-facing (tests, tooling, CI, build, docs, configuration); counted as covered.', 'unmapped:', ...unmappedPatterns.map((p) => `  - ${JSON.stringify(p)}`));
  }
  return {
    text: `${lines.join('\n')}\n`,
    features: proposals.length,
    fromCodeowners: fromCodeowners.length,
    withOwners: proposals.filter((p) => p.owners.length > 0).length,
    ...(codeowners ? { codeowners: codeowners.file } : {}),
    unmapped: unmappedPatterns.length,
  };
}

/** Where a new map's `yaml-language-server` comment points, and the schema file to write for it, if any. */
export interface SchemaPlacement {
  /** The reference, relative to the map's folder (`./.customer-lens.schema.json`). */
  reference: string;
  /** A copy of the map's JSON Schema to write, when the repository has none yet. */
  write?: { file: string; text: string };
}

/**
 * A schema reference for a new map in `mapDir` that works offline and in any editor, for everyone who clones the
 * repository: the copy installed with customer-lens (a devDependency) in this folder or one above it up to `top`,
 * else a copy in the repository (one already written above, or a new one next to the map).
 */
export function schemaForNewMap(mapDir: string, top: string = mapDir): SchemaPlacement {
  const relative = (file: string) => {
    const rel = path.relative(mapDir, file).split(path.sep).join('/');
    return rel.startsWith('../') ? rel : `./${rel}`;
  };
  for (let dir = mapDir; ; dir = path.dirname(dir)) {
    const installed = path.join(dir, 'node_modules', 'customer-lens', 'dist', 'schemas', 'map.schema.json');
    if (existsSync(installed)) return { reference: relative(installed) };
    const copy = path.join(dir, SCHEMA_FILE_NAME);
    if (existsSync(copy)) return { reference: relative(copy) };
    const rel = path.relative(top, dir);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || path.dirname(dir) === dir) break;
  }
  const file = path.join(mapDir, SCHEMA_FILE_NAME);
  return { reference: relative(file), write: { file, text: `${JSON.stringify(mapJsonSchema(), null, 2)}\n` } };
}
