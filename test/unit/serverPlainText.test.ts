// The plain-text card for clients that render no markdown: the markdown card read back as text. What a context source
// wrote must come out as it wrote it (the card's escapes undone, nothing added), links as "title <url>", and the
// markdown-only parts (emphasis, the command link) gone.
import * as assert from 'node:assert/strict';
import { MarkupKind } from 'vscode-languageserver/node';
import { renderFeatureCard } from '../../src/server/hoverCard';
import { hoverFormatOf, hoverIn, markdownToPlainText } from '../../src/server/plainText';
import type { FeatureContext } from '../../src/shared/contextProtocol';

const NOW = Date.parse('2026-11-22T12:00:00Z');

// The card keeps a figure and its unit together with no-break spaces; read them as the spaces they show as.
function plainCard(context: FeatureContext): string {
  return plainText(context).replace(/\u00a0/g, ' ');
}

function plainText(context: FeatureContext): string {
  return markdownToPlainText(
    renderFeatureCard({
      feature: { id: 'checkout', name: 'Checkout', owners: ['@shop/payments'], links: [] },
      context,
      freshness: { state: 'synced', source: 'file', origin: '/repo/customer-context.json' },
      reason: { kind: 'file', pattern: '/src/*_v2/', mapFile: '.customer-lens.yml', line: 17 },
      now: NOW,
      sidebarLink: true,
    }),
  );
}

describe('plain-text hover card', () => {
  it('gives back every remote string exactly as the source wrote it', () => {
    // Under the card's 56-character cut for a title. (Brackets are left out: marked reads `\[x\](y)` inside a link's label as a
    // nested link, in the plain text as in VS Code's hover, which the card writer has to prevent.)
    const title = 'Use `SAVE10` & *x* <b>b</b> 1. # @team www.a.io http://x';
    const quote = 'It said "Invalid code" \\ twice_over_';
    const text = plainCard({
      id: 'checkout',
      problems: [{ id: 'p', title, url: 'https://support.example.com/t/1', customers: 3 }],
      quotes: [{ id: 'q', text: quote, author: 'Ana <ana@example.com>', source: 'Zendesk', url: 'https://support.example.com/t/2' }],
    });
    assert.ok(text.includes(`- ${title} <https://support.example.com/t/1> — 3 customers`), text);
    assert.ok(text.includes(`> “${quote}” — Ana <ana@example.com> · Zendesk <https://support.example.com/t/2>`), text);
    assert.ok(text.includes('Mapped by /src/*_v2/ in .customer-lens.yml:17 · from customer-context.json'), text);
  });

  it('drops emphasis and the command link, keeps the blocks apart', () => {
    const text = plainCard({ id: 'checkout', problems: [{ id: 'p', title: 'Coupons fail', customers: 3 }] });
    assert.equal(
      text,
      ['Checkout · @shop/payments · 1 open problem', '- Coupons fail — 3 customers', '---', 'Mapped by /src/*_v2/ in .customer-lens.yml:17 · from customer-context.json'].join('\n\n'),
    );
  });

  it('answers in the client\'s first choice of format, plain text when it names none', () => {
    const capabilities = (contentFormat?: string[]) => ({ textDocument: { hover: contentFormat ? { contentFormat: contentFormat as MarkupKind[] } : {} } });
    assert.equal(hoverFormatOf(capabilities(['markdown', 'plaintext'])), MarkupKind.Markdown);
    assert.equal(hoverFormatOf(capabilities(['plaintext', 'markdown'])), MarkupKind.PlainText);
    assert.equal(hoverFormatOf(capabilities(['plaintext'])), MarkupKind.PlainText);
    assert.equal(hoverFormatOf(capabilities()), MarkupKind.PlainText);
    const hover = { contents: { kind: MarkupKind.Markdown, value: '**Checkout** \\@shop' } };
    assert.deepEqual(hoverIn(hover, MarkupKind.Markdown), hover);
    assert.deepEqual(hoverIn(hover, MarkupKind.PlainText)?.contents, { kind: MarkupKind.PlainText, value: 'Checkout @shop' });
  });
});
