// Reads a repository's CODEOWNERS: where GitHub looks for it, which lines it understands, and who owns a folder.
// The starter map (mapInit.ts) turns its folder rules into features and its owners into the features' owners.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { patternSyntaxProblem } from '../shared/mapSchema';
import { compilePattern, folderSegments, patternMatches, type CompiledPattern } from './pattern';

/** Where GitHub looks for CODEOWNERS, in its order (GitLab looks in the same places). */
export const CODEOWNERS_LOCATIONS: readonly string[] = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/** One line of CODEOWNERS that our pattern syntax can express. */
export interface CodeownersRule {
  /** The pattern as written (`/src/checkout/`, `*.md`, `homeassistant/components/abode/*`). */
  pattern: string;
  owners: string[];
  /** 1-based line in the CODEOWNERS file. */
  line: number;
  compiled: CompiledPattern;
}

/** A CODEOWNERS file, parsed. */
export interface Codeowners {
  /** Path of the file relative to the root, `/`-separated. */
  file: string;
  rules: CodeownersRule[];
}

/**
 * Parses CODEOWNERS text. Comments (`#` at the start of a line or after a space) and blank lines are skipped, and so
 * are GitLab section headers (`[Docs]`) and lines our pattern syntax cannot express (escapes, negation): they cannot
 * own a path here.
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '' || /^\^?\[/.test(line)) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (patternSyntaxProblem(pattern)) return;
    rules.push({ pattern, owners: owners.filter((o) => o.includes('@')), line: index + 1, compiled: compilePattern(pattern, []) });
  });
  return rules;
}

/** Reads the first CODEOWNERS file GitHub would use, below `root`; undefined when there is none. */
export async function readCodeowners(root: string): Promise<Codeowners | undefined> {
  for (const file of CODEOWNERS_LOCATIONS) {
    let text: string;
    try {
      text = await fs.readFile(path.join(root, file), 'utf8');
    } catch {
      // Not at this location; GitHub checks the next one too.
      continue;
    }
    return { file, rules: parseCodeowners(text) };
  }
  return undefined;
}

/**
 * Who owns a folder as a whole, by CODEOWNERS' rule (the last matching line wins): the owners of a file in the folder
 * that no name pattern would match, so `*.md` does not make its owners the folder's.
 */
export function folderOwners(folder: string, rules: readonly CodeownersRule[]): { owners: string[]; rule?: CodeownersRule } {
  const probe = [...folderSegments(folder), '\u0000'];
  for (let i = rules.length - 1; i >= 0; i--) {
    if (patternMatches(rules[i].compiled, probe, false)) return { owners: rules[i].owners, rule: rules[i] };
  }
  return { owners: [] };
}
