// Hover markdown as VS Code's hover widget renders it: marked (the renderer VS Code bundles) with the same overrides
// as `src/vs/base/browser/markdownRenderer.ts` — links rendered from their tokens, escapes removed from a raw link's
// text, images as <img>, raw HTML dropped (hover markdown has `supportHtml: false`). What the tests inspect is what
// the renderer produced: every <a> and <img> it emitted and every raw HTML token it met, not a search in the source.
import { Marked, Renderer, type Tokens } from 'marked';

/** One link the renderer emitted. */
export interface RenderedLink {
  href: string;
  /** The link's text as a reader sees it (tags removed, entities decoded). */
  text: string;
}

export interface RenderedMarkdown {
  html: string;
  links: RenderedLink[];
  /** `src` of every image the renderer emitted (VS Code fetches http(s) images as soon as the card shows). */
  images: string[];
  /** Raw HTML the markdown contained (VS Code drops it from hovers; remote text must not produce any). */
  rawHtml: string[];
  /** The rendered text as a reader sees it: tags removed, entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' };

/** The text of an HTML fragment: tags removed, character references decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return name === '#39' ? "'" : String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name] ?? whole;
    });
}

/** VS Code's `removeMarkdownEscapes` (src/vs/base/common/htmlContent.ts). */
function removeMarkdownEscapes(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!~])/g, '$1');
}

/** Renders hover markdown the way VS Code's hover does and reports what came out. */
export function renderLikeVsCodeHover(markdown: string): RenderedMarkdown {
  const links: RenderedLink[] = [];
  const images: string[] = [];
  const rawHtml: string[] = [];
  const renderer = new Renderer();
  renderer.link = function (this: Renderer, { href, tokens }: Tokens.Link): string {
    let text = this.parser.parseInline(tokens);
    if (href === text) text = removeMarkdownEscapes(text);
    const target = removeMarkdownEscapes(href);
    links.push({ href: target, text: visibleText(text) });
    return `<a href="${target.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">${text}</a>`;
  };
  renderer.image = ({ href }: Tokens.Image): string => {
    images.push(href);
    return `<img src="${href}">`;
  };
  renderer.html = ({ text }: Tokens.HTML | Tokens.Tag): string => {
    rawHtml.push(text);
    return '';
  };
  const html = new Marked({ gfm: true, breaks: false, renderer }).parse(markdown, { async: false });
  return { html, links, images, rawHtml, text: visibleText(html) };
}
