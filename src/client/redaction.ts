// Takes secrets out of text before it reaches a log. The language client traces every message it exchanges with the
// server (initializationOptions with the endpoint tokens, customerLens/didChangeToken), so each line is redacted:
// the tokens this window knows, any "token"/"tokens" JSON field, and any bearer credential. No `vscode` import.

/** What a secret is replaced with. */
export const REDACTED = '<redacted>';

/** A JSON string literal, escapes included. */
const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const TOKEN_FIELD = new RegExp(String.raw`("token"\s*:\s*)${JSON_STRING}`, 'g');
const TOKENS_OBJECT = new RegExp(String.raw`("tokens"\s*:\s*)\{[^{}]*\}`, 'g');
const OBJECT_VALUE = new RegExp(String.raw`(${JSON_STRING}\s*:\s*)${JSON_STRING}`, 'g');
/** `Authorization: Bearer x`, `"authorization": "Basic x"`, `authorization=x`: the credential after the scheme. */
const AUTHORIZATION = /(\bauthorization\b["']?\s*[:=]\s*["']?\s*(?:(?:bearer|basic|token)\s+)?)[^\s"',;)}\]]+/gi;
/** A bearer credential anywhere else ("Bearer abc…"), long enough not to be an English word. */
const BEARER = /(\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;

/** `text` with every known secret, token field and bearer credential replaced by {@link REDACTED}. */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  const known = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of known) {
    // As written, and as it appears inside a JSON string.
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) result = result.split(form).join(REDACTED);
  }
  return result
    .replace(TOKEN_FIELD, `$1"${REDACTED}"`)
    .replace(TOKENS_OBJECT, (object: string) => object.replace(OBJECT_VALUE, `$1"${REDACTED}"`))
    .replace(AUTHORIZATION, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`);
}
