// The only way the sidebar webviews build DOM: elements from `createElement`, text from text nodes. Remote strings
// never pass through an HTML parser, so they cannot become markup.

/** Something that can be appended: a node, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Options for {@link h}. Event handlers are attached with `addEventListener`, never as inline attributes. */
export interface ElementOptions {
  className?: string;
  /** A stable `data-testid` for tests and screenshots. */
  testId?: string;
  /** Plain attributes (`aria-*`, `role`, `data-*`, `type`, `href`, …). `undefined` leaves one out. */
  attrs?: Record<string, string | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Creates an HTML element with attributes, listeners and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.testId) element.dataset.testid = options.testId;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const [type, listener] of Object.entries(options.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes and children. */
export function svg(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  append(element, children);
  return element;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

/** Counts rendered elements per `data-testid`, for the host's render acknowledgement. */
export function countTestIds(root: ParentNode): Record<string, number> {
  const counts: Record<string, number> = {};
  root.querySelectorAll<HTMLElement>('[data-testid]').forEach((element) => {
    const id = element.dataset.testid;
    if (id) counts[id] = (counts[id] ?? 0) + 1;
  });
  return counts;
}

/**
 * Re-renders `render()` into `root` and gives focus back to the element that had it (matched by `data-focus-key`),
 * so a keyboard user who changes a sort order or opens a section does not lose their place.
 */
export function renderKeepingFocus(root: Element, render: () => Child[]): void {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
  replaceChildren(root, ...render());
  if (!active) return;
  const target = root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(active)}"]`);
  target?.focus();
}
