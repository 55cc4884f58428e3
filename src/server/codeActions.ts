// Quick fixes for map problems whose message already names the fix: the did-you-mean key, a string wrapped into a
// list, a duplicate id renamed, an id or a pattern fixed, a wildcard pattern turned into a folder pattern. The fixes
// are computed with the problems (src/map); here they become LSP code actions on the document's current text.
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';

/** What a code action request needs of its params (the diagnostics are read from the server's own problems). */
type QuickFixParams = Pick<CodeActionParams, 'textDocument' | 'range'> & { context: Pick<CodeActionParams['context'], 'only'> };
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { scalarReplacement } from '../map/mapEdit';
import type { MapEdit, MapProblem } from '../shared/mapModel';
import { toDiagnostic } from './mapDiagnostics';
import { errorText, toLspRange, type ServerContext } from './serverContext';
import { isMapFileName } from './workspaceState';

function overlaps(a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a): boolean {
  const before = (p: typeof a.start, q: typeof a.start) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * The edit in the document's current text, or undefined when that text no longer holds what the fix was computed
 * for (the user typed since): a fix is never applied to text it was not made for.
 */
function textEdit(document: TextDocument, edit: MapEdit): TextEdit | undefined {
  const range = toLspRange(edit.range);
  const current = document.getText(range);
  if ('newText' in edit) return current === edit.oldText ? { range, newText: edit.newText } : undefined;
  const newText = scalarReplacement(current, edit.oldValue, edit.newValue, document.uri.endsWith('.json'));
  return newText === undefined ? undefined : { range, newText };
}

/** `textDocument/codeAction` on a map file: a quick fix for each fixable problem in the requested range. */
export function provideCodeActions(ctx: ServerContext, params: QuickFixParams): CodeAction[] {
  try {
    const uri = params.textDocument.uri;
    if (!isMapFileName(uri)) return [];
    if (params.context.only && !params.context.only.some((kind) => kind === CodeActionKind.QuickFix || kind === CodeActionKind.Empty || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
    const document = ctx.documents.get(uri);
    const located = ctx.workspace.folderForUri(uri);
    if (!document || !located) return [];
    const problems: MapProblem[] = located.folder.problems.get(located.absPath) ?? [];
    const actions: CodeAction[] = [];
    for (const problem of problems) {
      if (!problem.fixes?.length || !overlaps(toLspRange(problem.range), params.range)) continue;
      for (const fix of problem.fixes) {
        const edits = fix.edits.map((edit) => textEdit(document, edit));
        if (edits.some((edit) => edit === undefined)) continue;
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(problem)],
          isPreferred: problem.fixes.length === 1,
          edit: { changes: { [uri]: edits as TextEdit[] } },
        });
      }
    }
    return actions;
  } catch (error) {
    ctx.log.warn(`codeAction failed uri=${params.textDocument.uri} error=${errorText(error)}`);
    return [];
  }
}
