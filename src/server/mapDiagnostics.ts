// Every map problem as a diagnostic on its map file, with the exact range the parser found: errors, and warnings for
// patterns that match no file and for a `context` file that is not there. Republished after every reload, so they
// follow the text as it is typed.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { MapProblem } from '../shared/mapModel';
import { toLspRange } from './serverContext';
import { pathToUri } from './uris';
import type { FolderState } from './workspaceState';

export const DIAGNOSTIC_SOURCE = 'customer-lens';

export function toDiagnostic(problem: MapProblem): Diagnostic {
  return {
    range: toLspRange(problem.range),
    severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
}

/** Publishes a folder's map diagnostics, clearing map files that no longer have any (or no longer exist). */
export class MapDiagnostics {
  private readonly published = new Map<string, Set<string>>();

  constructor(private readonly send: (uri: string, diagnostics: Diagnostic[]) => void) {}

  publish(folder: FolderState): void {
    const now = new Set<string>();
    for (const [file, problems] of folder.problems) {
      const uri = pathToUri(file);
      now.add(uri);
      this.send(uri, problems.map(toDiagnostic));
    }
    for (const uri of this.published.get(folder.uri) ?? []) if (!now.has(uri)) this.send(uri, []);
    this.published.set(folder.uri, now);
  }

  clear(folder: FolderState): void {
    for (const uri of this.published.get(folder.uri) ?? []) this.send(uri, []);
    this.published.delete(folder.uri);
  }
}
