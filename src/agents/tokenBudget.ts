// How big an answer is for a language model, and how to make it fit. Tokenizers differ from model to model; this
// estimate is the usual four characters of English a token, with every non-ASCII character counted as a whole token,
// so it errs on the side of a smaller answer.

/** The budget every tool answers within unless the caller lowers it. */
export const DEFAULT_MAX_TOKENS = 2000;
/** The smallest budget a caller may ask for: room for one feature's headline. */
export const MIN_MAX_TOKENS = 100;

/** Estimated tokens of `text`. */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 4) + other;
}

/** True when `text` fits `maxTokens`. */
export function fits(text: string, maxTokens: number): boolean {
  return estimateTokens(text) <= maxTokens;
}

/** The last resort when even the smallest layout is too big: cut the text to the budget and say so. */
export function cutToBudget(text: string, maxTokens: number): string {
  const marker = '\n… (cut to fit maxTokens)';
  if (fits(text, maxTokens)) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(text.slice(0, mid) + marker, maxTokens)) low = mid;
    else high = mid - 1;
  }
  return text.slice(0, low) + marker;
}
