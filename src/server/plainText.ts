// Hovers for clients that cannot render markdown. The card has one writer (hoverCard.ts, markdown); a client whose
// `hover.contentFormat` does not put markdown first gets that same card read back as text by marked's lexer — the
// escapes undone, links written as "title <url>", emphasis dropped — so the two can never say different things.
import { Lexer, type Token, type Tokens } from 'marked';
import { MarkupKind, type ClientCapabilities, type Hover } from 'vscode-languageserver/node';

/** The hover format a client asked for: its first choice of markdown and plaintext; plaintext when it named none. */
export function hoverFormatOf(capabilities: ClientCapabilities): MarkupKind {
  const formats = capabilities.textDocument?.hover?.contentFormat ?? [];
  return formats.find((format) => format === MarkupKind.Markdown || format === MarkupKind.PlainText) ?? MarkupKind.PlainText;
}

/** The hover in `format`: a markdown hover becomes plain text for a plaintext client; anything else is unchanged. */
export function hoverIn(hover: Hover | null, format: MarkupKind): Hover | null {
  if (!hover || format !== MarkupKind.PlainText) return hover;
  const contents = hover.contents;
  if (typeof contents !== 'object' || Array.isArray(contents) || !('kind' in contents) || contents.kind !== MarkupKind.Markdown) return hover;
  return { ...hover, contents: { kind: MarkupKind.PlainText, value: markdownToPlainText(contents.value) } };
}

/** Markdown as a person would read it on a terminal: block structure kept, inline syntax gone. */
export function markdownToPlainText(markdown: string): string {
  return blocks(Lexer.lex(markdown)).join('\n\n');
}

/** Each block as text; a block written right under the previous one (a list under its heading) stays attached. */
function blocks(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  let attached = false;
  for (const token of tokens) {
    if (token.type === 'space') {
      attached = false;
      continue;
    }
    const rendered = block(token);
    if (rendered === undefined || rendered === '') continue;
    if (attached && out.length > 0) out[out.length - 1] += `\n${rendered}`;
    else out.push(rendered);
    attached = !token.raw.endsWith('\n\n');
  }
  return out;
}

function block(token: Token): string | undefined {
  switch (token.type) {
    case 'hr':
      return '---';
    case 'paragraph':
    case 'heading':
    case 'text':
      return 'tokens' in token && token.tokens ? inline(token.tokens) : token.text;
    case 'list':
      return (token as Tokens.List).items.map((item) => `- ${blocks(item.tokens).join('\n  ')}`).join('\n');
    case 'blockquote':
      return blocks((token as Tokens.Blockquote).tokens)
        .join('\n')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'code':
      return token.text;
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((cell) => inline(cell.tokens)).join(' | ');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    case 'html':
      return stripTags(token.text);
    default:
      return 'tokens' in token && token.tokens ? inline(token.tokens) : ((token as { text?: string }).text ?? token.raw);
  }
}

function inline(tokens: readonly Token[]): string {
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'link': {
        const link = token as Tokens.Link;
        const label = inline(link.tokens);
        // A command link only works in an editor that runs it; its label alone says nothing useful here.
        if (link.href.startsWith('command:')) break;
        out += label === link.href ? link.href : `${label} <${link.href}>`;
        break;
      }
      case 'br':
        out += '\n';
        break;
      case 'image':
        out += token.text;
        break;
      case 'html':
        out += stripTags(token.text);
        break;
      case 'escape':
      case 'codespan':
        out += token.text;
        break;
      default:
        out += 'tokens' in token && token.tokens ? inline(token.tokens) : ((token as { text?: string }).text ?? token.raw);
    }
  }
  // A command link dropped from the end of a line leaves its separator behind.
  return out.replace(/ · (?=\n|$)/g, '');
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}
