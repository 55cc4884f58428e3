/**
 * How deep a YAML or JSON text nests, measured in one pass before any parser sees it. The YAML parser recurses once
 * per level: a megabyte of `[` keeps it busy for half a minute before it overflows the stack, and a context file may
 * be ten times that. A map or a context file is a handful of levels deep, so a text that nests deeper than a limit is
 * refused with the place where it went too deep. No `vscode` import here.
 *
 * Counted: flow collections (`[`, `{`) outside quotes and comments, and block levels (each deeper indentation, each
 * `- ` of a compact sequence such as `- - - x`). Quoted scalars (which may span lines), comments and the content of
 * block scalars (`|`, `>`) are skipped. The count may exceed the real depth by a level or two; it never falls short
 * by more than that, so a limit far above real maps is both safe and never in the way.
 */

/** The deepest nesting Customer Lens reads; real maps and context files stay under 10. */
export const MAX_NESTING_DEPTH = 64;

/** Where a text first nests deeper than `maxDepth` (an offset into it), or undefined when it does not. */
export function excessiveNesting(text: string, maxDepth = MAX_NESTING_DEPTH): { offset: number; depth: number } | undefined {
  const n = text.length;
  /** Indentation and depth of the enclosing block lines. */
  const blocks: { indent: number; depth: number }[] = [];
  let flow = 0;
  let flowBase = 0;
  let quote: 0 | 34 | 39 = 0; // 34: ", 39: '
  /** Lines indented more than this belong to a block scalar (-1: none). */
  let blockScalarIndent = -1;
  let i = 0;
  while (i < n) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    let p = i;
    let lineDepth = 0;
    if (quote === 0 && flow === 0) {
      while (p < end && text.charCodeAt(p) === 32) p++;
      const indent = p - i;
      const c = text.charCodeAt(p);
      const blank = p >= end || c === 35 /* # */ || c === 13 /* \r */;
      if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
        i = end + 1;
        continue;
      }
      blockScalarIndent = -1;
      if (blank) {
        i = end + 1;
        continue;
      }
      while (blocks.length > 0 && blocks[blocks.length - 1]!.indent >= indent) blocks.pop();
      lineDepth = (blocks.length > 0 ? blocks[blocks.length - 1]!.depth : 0) + 1;
      // A compact sequence nests once per `- ` on the line.
      if (lineDepth > maxDepth) return { offset: p, depth: lineDepth };
      while (text.charCodeAt(p) === 45 /* - */ && (text.charCodeAt(p + 1) === 32 || text.charCodeAt(p + 1) === 9)) {
        if (++lineDepth > maxDepth) return { offset: p, depth: lineDepth };
        p += 2;
        while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
      }
      blocks.push({ indent, depth: lineDepth });
      flowBase = lineDepth;
    }
    /** The last character before `p` that is not a space (0: none on this line). */
    let previous = p === i ? 0 : text.charCodeAt(p - 1);
    for (; p < end; p++) {
      const c = text.charCodeAt(p);
      if (quote === 34) {
        if (c === 92 /* \ */) p++;
        else if (c === 34) quote = 0;
        continue;
      }
      if (quote === 39) {
        if (c === 39) {
          if (text.charCodeAt(p + 1) === 39) p++;
          else quote = 0;
        }
        continue;
      }
      if (c === 35 /* # */ && (p === i || text.charCodeAt(p - 1) === 32 || text.charCodeAt(p - 1) === 9)) break;
      // Quotes and brackets open something only where a node starts: `a'b` and `a[b` are plain text.
      const nodeStart = previous === 0 || previous === 58 || previous === 45 || previous === 91 || previous === 123 || previous === 44 || previous === 63;
      if ((c === 34 || c === 39) && nodeStart) {
        quote = c;
      } else if ((c === 91 /* [ */ || c === 123) /* { */ && nodeStart) {
        flow++;
        if (flowBase + flow > maxDepth) return { offset: p, depth: flowBase + flow };
      } else if ((c === 93 /* ] */ || c === 125) /* } */ && flow > 0) {
        flow--;
      } else if (flow === 0 && (c === 124 /* | */ || c === 62) /* > */ && (previous === 58 || previous === 45 || previous === 0)) {
        // `key: |` or `- >-`: the lines below that are indented more than this one are the scalar's content.
        blockScalarIndent = blocks.length > 0 ? blocks[blocks.length - 1]!.indent : 0;
      }
      if (c !== 32 && c !== 9) previous = c;
    }
    i = end + 1;
  }
  return undefined;
}
