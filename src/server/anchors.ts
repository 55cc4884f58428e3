// Finds what a hover position could anchor to, in any language: a comment tag `customer-lens: <feature-id>`, a string
// literal (an analytics event name), or an identifier (a feature symbol). Line-based on purpose: it must work in every
// file type without a parser, and an anchor never spans lines.
import type { MapFeature, WorkspaceMap } from '../shared/mapModel';

/** A candidate under the cursor; `start`/`end` are 0-based character offsets in the line (end exclusive). */
export interface AnchorCandidate {
  kind: 'tag' | 'event' | 'symbol';
  text: string;
  start: number;
  end: number;
}

/** A candidate that names a feature of the map. */
export interface ResolvedAnchor extends AnchorCandidate {
  feature: MapFeature;
}

const TAG = /customer-lens:[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)/g;
const COMMENT_OPENER = /(\/\/|\/\*|#|<!--|--|;|%|^\s*\*)/;
const IDENTIFIER_CHAR = /[\p{L}\p{N}_$]/u;

/** Every anchor candidate covering `character` in `line`, the most specific first (tag, then string, then word). */
export function anchorCandidates(line: string, character: number): AnchorCandidate[] {
  const found: AnchorCandidate[] = [];
  for (const match of line.matchAll(TAG)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    if (character < start || character > end) continue;
    if (!COMMENT_OPENER.test(line.slice(0, start))) continue;
    found.push({ kind: 'tag', text: match[1], start, end });
  }
  const literal = stringLiteralAt(line, character);
  if (literal) found.push({ kind: 'event', ...literal });
  const word = identifierAt(line, character);
  if (word) found.push({ kind: 'symbol', ...word });
  return found;
}

/** The content of the quoted string ('…', "…" or `…`) containing `character`, quotes excluded from the text. */
function stringLiteralAt(line: string, character: number): { text: string; start: number; end: number } | undefined {
  let i = 0;
  while (i < line.length) {
    const quote = line[i];
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && line[j] !== quote) j += line[j] === '\\' ? 2 : 1;
    if (j >= line.length) return undefined;
    if (character >= i && character <= j) return { text: line.slice(i + 1, j), start: i, end: j + 1 };
    i = j + 1;
  }
  return undefined;
}

function identifierAt(line: string, character: number): { text: string; start: number; end: number } | undefined {
  let start = character;
  while (start > 0 && IDENTIFIER_CHAR.test(line[start - 1])) start--;
  let end = character;
  while (end < line.length && IDENTIFIER_CHAR.test(line[end])) end++;
  if (start === end || /\p{N}/u.test(line[start])) return undefined;
  return { text: line.slice(start, end), start, end };
}

/**
 * The first candidate that names something in the map: a tag naming a feature id, a string equal to a feature's
 * event, an identifier equal to a feature's symbol. Features listed in `preferred` (the file's own) win ties.
 */
export function resolveAnchor(
  map: WorkspaceMap,
  candidates: readonly AnchorCandidate[],
  preferred: readonly string[] = [],
): ResolvedAnchor | undefined {
  const ordered = [...map.features].sort((a, b) => rank(preferred, a.id) - rank(preferred, b.id));
  for (const candidate of candidates) {
    const feature =
      candidate.kind === 'tag'
        ? map.feature(candidate.text)
        : candidate.kind === 'event'
          ? ordered.find((f) => f.events.includes(candidate.text))
          : ordered.find((f) => f.symbols.includes(candidate.text));
    if (feature) return { ...candidate, feature };
  }
  return undefined;
}

function rank(preferred: readonly string[], id: string): number {
  const index = preferred.indexOf(id);
  return index === -1 ? preferred.length : index;
}
