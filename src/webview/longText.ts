// Text that can be long (a feature's purpose, a problem's detail, a quote): its start, and a "More" button that shows
// the rest in place. Keeps long answers from pushing everything else out of a narrow sidebar.
import { h, type Child } from './dom';

/** How many characters show before "More". */
const PREVIEW_LENGTH = 280;
/** Hiding fewer characters than this is not worth a button. */
const SLACK = 60;

function cutAtWord(text: string, length: number): string {
  const cut = text.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return (space > length - 40 ? cut.slice(0, space) : cut).trimEnd();
}

/** The children of an element showing `text`: all of it when short, else its start and a More/Less button. */
export function expandableText(text: string, previewLength = PREVIEW_LENGTH): Child[] {
  if (text.length <= previewLength + SLACK) return [text];
  const preview = `${cutAtWord(text, previewLength)}… `;
  const shown = document.createTextNode(preview);
  const toggle = h('button', { className: 'link-button more', testId: 'more', attrs: { type: 'button', 'aria-expanded': 'false' } }, 'More');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    shown.textContent = open ? `${text} ` : preview;
    toggle.textContent = open ? 'Less' : 'More';
    toggle.setAttribute('aria-expanded', String(open));
  });
  return [shown, toggle];
}
