// One CodeLens at the top of a mapped file: "Checkout · 3 open problems · 12 quotes · 4.1k weekly users". Clicking it
// opens the sidebar. When the context arrives after the budget, a `workspace/codeLens/refresh` redraws it.
import type { CancellationToken, CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import type { Freshness } from '../shared/contextModel';
import type { FileFeature } from '../shared/lspProtocol';
import { fileContext } from './fileContext';
import { countProblems, formatCount, openProblemsText } from '../shared/displayFormat';
import { escapeIcons } from '../shared/safeText';
import { shorten } from '../shared/markdownText';
import { OPEN_SIDEBAR_COMMAND } from './hoverCard';
import { errorText, settingsOf, signalOf, VIEW_BUDGET_MS, type ServerContext } from './serverContext';
import { isMapFileName } from './workspaceState';

export async function provideCodeLenses(ctx: ServerContext, params: CodeLensParams, token?: CancellationToken): Promise<CodeLens[]> {
  const uri = params.textDocument.uri;
  try {
    if (isMapFileName(uri)) return [];
    const located = ctx.workspace.folderForUri(uri);
    if (!located) return [];
    const settings = await settingsOf(ctx, located.folder);
    if (!settings.codeLensEnabled) return [];
    const result = await fileContext(ctx, uri, { budgetMs: VIEW_BUDGET_MS, signal: signalOf(token) });
    const primary = result.features[0];
    if (!primary) return [];
    const title = codeLensTitle(primary, result.features.length - 1, result.freshness);
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        command: { title, command: OPEN_SIDEBAR_COMMAND, arguments: [{ uri, featureId: primary.id }] },
      },
    ];
  } catch (error) {
    ctx.log.warn(`codeLens failed uri=${uri} error=${errorText(error)}`);
    return [];
  }
}

/** "Checkout · 3 open problems · 12 quotes · 4.1k weekly users" (plain text: CodeLens titles are not markdown). */
export function codeLensTitle(feature: FileFeature, others: number, freshness: Freshness): string {
  const parts = [shorten(feature.context?.name ?? feature.name, 40) + (others > 0 ? ` (+${others})` : '')];
  const context = feature.context;
  if (!context) {
    parts.push(freshness.state === 'none' ? 'no customer context source' : 'no customer context yet');
  } else {
    parts.push(openProblemsText(countProblems(context.problems ?? []).open));
    const quotes = context.quotes?.length ?? 0;
    parts.push(`${formatCount(quotes)} ${quotes === 1 ? 'quote' : 'quotes'}`);
    const headline = context.usage?.[0];
    if (headline) {
      const label = shorten(headline.label, 40).replace(/^\p{Lu}(?=\p{Ll})/u, (first) => first.toLowerCase());
      parts.push(`${formatCount(headline.value)} ${label}${headline.period ? ` (${shorten(headline.period, 8)})` : ''}`);
    }
  }
  if (freshness.state === 'offline') parts.push('offline');
  else if (freshness.state === 'error') parts.push('context error');
  // VS Code draws CodeLens titles with icons: `$(alert)` in a name must read as text.
  return escapeIcons(parts.join(' · '));
}
