/**
 * @module
 * A tiny hyperscript helper. Text always goes in through text nodes (never `innerHTML`), attributes through
 * `setAttribute` with a short allow-list for URLs, so data from the collector cannot become markup or script.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

/** Attributes that would let a string become script or markup; `h` refuses them. */
const FORBIDDEN_ATTRS = new Set(['innerhtml', 'outerhtml', 'srcdoc', 'style']);

/** A link target is safe when it stays in the app (`#…`), on this origin (`/…`), or is plain http(s). */
export function isSafeHref(href: string): boolean {
  return /^(#|\/(?!\/)|https?:\/\/)/i.test(href.trim());
}

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child as readonly Child[]) append(parent, c);
    return;
  }
  if (typeof child === 'string' || typeof child === 'number') {
    parent.appendChild(document.createTextNode(String(child)));
    return;
  }
  parent.appendChild(child as Node);
}

function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`h: attribute "${name}" cannot be a function`);
      el.addEventListener(name.slice(2).toLowerCase(), value);
      continue;
    }
    const lower = name.toLowerCase();
    if (FORBIDDEN_ATTRS.has(lower) || lower.startsWith('on'))
      throw new Error(`h: attribute "${name}" is not allowed; set text or listeners instead`);
    const text = value === true ? '' : String(value);
    if ((lower === 'href' || lower === 'src' || lower === 'action') && !isSafeHref(text))
      throw new Error(`h: refusing ${name} "${text}" (only #, / or http(s) links)`);
    el.setAttribute(name, text);
  }
}

/** Creates an HTML element with attributes, listeners (`onClick: fn`) and children (text is escaped). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const c of children) append(el, c);
  return el;
}

/** Replaces every child of `el`. */
export function replaceChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children) append(el, c);
}

/** Sets a CSS custom property or width/height on an element through the CSSOM (allowed by the CSP). */
export function setStyle(el: HTMLElement, prop: string, value: string): void {
  el.style.setProperty(prop, value);
}

const live = new Set<{ el: Element; dispose: () => void }>();

/** Registers what to release (observers, chart instances) once `el` has left the page. */
export function onDetach(el: Element, dispose: () => void): void {
  live.add({ el, dispose });
}

/**
 * Releases everything registered for elements no longer in the document. The app calls it after each page
 * swap, so a wall screen refreshing every minute for days does not keep old charts alive.
 */
export function disposeDetached(): void {
  for (const entry of live)
    if (!entry.el.isConnected) {
      live.delete(entry);
      entry.dispose();
    }
}
