/**
 * The code-to-feature map as every other part of Customer Lens sees it: the language server, the CLI and (through
 * the LSP messages) the extension. The parsing, validation and matching live in `src/map/`; these are the shapes
 * they hand out. No `vscode` import here.
 */

/** A position in a text file, 1-based line and column, as `file:line:col` messages show it. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A range in a text file; `end` is exclusive. */
export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/** How bad a map problem is: errors make the map invalid, warnings do not. */
export type ProblemSeverity = 'error' | 'warning';

/**
 * One replacement in a map file, with what it expects to replace so that a fix computed for older text is never
 * applied to newer text. `newValue` replaces a YAML or JSON scalar keeping its quoting style; `newText` is literal.
 */
export type MapEdit =
  | { range: TextRange; oldText: string; newText: string }
  | { range: TextRange; oldValue: string; newValue: string };

/** A change that fixes a map problem, offered in the editor as a quick fix. */
export interface MapFix {
  /** What the fix does, e.g. `Change "pahts" to "paths"`. */
  title: string;
  /** Replacements in the problem's map file, not overlapping. */
  edits: MapEdit[];
}

/** One problem found in a map file, with the exact place it was found. */
export interface MapProblem {
  /** Absolute path of the map file. */
  file: string;
  range: TextRange;
  severity: ProblemSeverity;
  /** One sentence saying what is wrong and what to do, e.g. `unknown key "pahts" (did you mean "paths"?)`. */
  message: string;
  /** A stable machine-readable code, e.g. `unknown-key`, `duplicate-id`, `invalid-pattern`, `missing-context-file`. */
  code: string;
  /** Fixes for problems whose message names the fix (a did-you-mean key, a string that should be a list, ...). */
  fixes?: MapFix[];
}

/** A pattern as written in a map file, with where it was written. */
export interface MapPattern {
  /** The pattern text exactly as written. */
  pattern: string;
  /** Which list it came from. */
  kind: 'path' | 'exclude' | 'unmapped';
  /** Absolute path of the map file that declares it. */
  mapFile: string;
  /** Where the pattern's scalar is in that map file. */
  range: TextRange;
}

/** A link attached to a feature in the map. */
export interface MapLink {
  title: string;
  url: string;
}

/** A product feature declared in a map file. */
export interface MapFeature {
  id: string;
  name: string;
  description?: string;
  owners: string[];
  paths: MapPattern[];
  exclude: MapPattern[];
  symbols: string[];
  events: string[];
  links: MapLink[];
  /** Absolute path of the map file that declares it. */
  mapFile: string;
  /** The range of the feature's entry in its map file (used by "Reveal in map"). */
  range: TextRange;
}

/** Why a path belongs to a feature: the pattern that matched, and where that pattern is written. */
export interface FeatureMatch {
  featureId: string;
  /** True for the feature whose matching pattern comes last in file order (CODEOWNERS' rule); it is listed first. */
  primary: boolean;
  pattern: string;
  /** Absolute path of the map file. */
  mapFile: string;
  /** 1-based line of the pattern in that map file. */
  line: number;
}

/** The answer to "which features does this path belong to, and why". */
export interface PathExplanation {
  /** The path relative to the workspace root, `/`-separated. */
  path: string;
  /** Primary feature first, then the others in map order. */
  features: FeatureMatch[];
  /** True when an `unmapped` pattern matches: explicitly not customer-facing. */
  ignored: boolean;
  /** The `unmapped` pattern that matched, when `ignored`. */
  ignoredBy?: { pattern: string; mapFile: string; line: number };
  /**
   * Set when no feature claims the path and it is one of the map's own files, which count as covered (ignored)
   * without a pattern: a map file, a context file a map file names, or the schema copy next to a map file.
   */
  partOfMap?: 'map file' | 'context file' | 'schema file';
}

/**
 * A compiled map for one workspace root: every map file at and below the root, merged. A file takes its features
 * from every map file above it; nested map files' patterns are relative to their own folder.
 */
export interface WorkspaceMap {
  /** Absolute path of the workspace root. */
  readonly root: string;
  /** Absolute paths of the map files in force, outermost first. */
  readonly mapFiles: readonly string[];
  /** Every feature of every map file, in file order (outer map files first). */
  readonly features: readonly MapFeature[];
  /** Every `unmapped` pattern of every map file. */
  readonly unmapped: readonly MapPattern[];
  /** Absolute paths of the context files named by `context:` in the map files, outermost first. */
  readonly contextFiles: readonly string[];
  /** Looks a feature up by id. */
  feature(id: string): MapFeature | undefined;
  /** Answers for one path relative to the root (`/`-separated). Fast: does not scan every pattern. */
  explain(relativePath: string): PathExplanation;
}

/** Files per feature and per pattern, and what is left unmapped, for one workspace root and its file list. */
export interface CoverageReport {
  /** Number of files considered. */
  total: number;
  /** Files that belong to at least one feature. */
  mapped: number;
  /** Files matched by an `unmapped` pattern and by no feature, and the map's own files (map and context files). */
  ignored: number;
  /** (mapped + ignored) / total, from 0 to 1; 1 when there are no files. */
  ratio: number;
  /** Feature id → the files that belong to it (relative paths, sorted). */
  filesByFeature: Map<string, string[]>;
  /** For each pattern (same object identity as in the map), how many files it matches. */
  matchesByPattern: Map<MapPattern, number>;
  /** Files neither mapped nor ignored (relative paths, sorted). */
  unmappedFiles: string[];
  /** Warnings: patterns that match no file, features with no files. */
  problems: MapProblem[];
}
