import type { Response } from 'express';

/**
 * Markup that is already safe to put in a page: built by {@link html} (which escaped every
 * value it was given) or marked by {@link trustedHtml}. Plain strings never are: a value
 * only becomes markup by passing through one of those two.
 */
export class SafeHtml {
  /** Use {@link html} or {@link trustedHtml}; the constructor is not for pages. */
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What a template may interpolate: text (escaped), safe markup, lists of either, or nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text as HTML text or a quoted attribute value: every character that could end either is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => entities[character]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  // null, undefined and false render as nothing, so `${condition && html`…`}` reads naturally.
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * The one way pages are written: a tagged template whose every interpolated value is escaped
 * unless it is {@link SafeHtml}. Attribute values must be quoted in the template
 * (`href="${url}"`); unquoted attributes and values inside `<script>` or `style` are not
 * contexts this escaping covers, and the console has neither.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0]!;
  for (let index = 0; index < values.length; index += 1) markup += render(values[index]) + strings[index + 1]!;
  return new SafeHtml(markup);
}

/**
 * Marks markup the program wrote itself (never text from a request, a vendor or the
 * database) as safe. Every use is a claim a reviewer must be able to check on the spot.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Sends a whole page or an htmx fragment with the given status. */
export function sendHtml(response: Response, page: SafeHtml, status = 200): void {
  response.status(status).type('html').send(page.markup);
}

/** A URL path from segments, each percent-encoded, so an id holding `/`, `?` or `#` stays one segment. */
export function consolePath(...segments: Array<string | number>): string {
  return `/console/${segments.map((segment) => encodeURIComponent(String(segment))).join('/')}`;
}

/** A query string from the defined values, for filter and pagination links. */
export function queryString(parameters: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** A date as people read it in a table, in UTC so every operator reads the same time. */
export function formatTime(date: Date | undefined): string {
  return date === undefined ? '' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
