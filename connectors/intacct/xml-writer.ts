/**
 * A small ordered XML writer. Intacct's envelope and legacy functions are XSD sequences, so
 * the order in which children are given is the order on the wire; nothing is reordered.
 */

/** A text node or an element. */
export type XmlNode = XmlElement | string;

/** An element with ordered children; attribute order is kept as given. */
export interface XmlElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

/** Raised before sending when a value cannot be carried by XML 1.0 at all. */
export class UnsendableXmlValueError extends Error {
  override readonly name = 'UnsendableXmlValueError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Value of ${field} cannot be sent to Intacct: ${reason}`);
  }
}

/**
 * Characters XML 1.0 cannot carry even as character references: C0 controls other than tab,
 * line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
const forbiddenCharacter =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

/** Throws {@link UnsendableXmlValueError} when `value` holds a character XML 1.0 forbids. */
export function assertSendable(field: string, value: string): void {
  const match = forbiddenCharacter.exec(value);
  if (match) {
    const code = match[0].codePointAt(0) ?? 0;
    throw new UnsendableXmlValueError(field, `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0`);
  }
}

/**
 * Escapes text content. Carriage returns, tabs and line feeds become character references so
 * that a parser's end-of-line and whitespace normalisation cannot change the value.
 */
export function escapeText(value: string): string {
  return value.replace(/[&<>\r\n\t]/g, (c) => textEscapes[c] ?? c);
}

/** Escapes an attribute value (both quote kinds, so either delimiter is safe). */
export function escapeAttribute(value: string): string {
  return value.replace(/[&<>"'\r\n\t]/g, (c) => textEscapes[c] ?? c);
}

const textEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** Builds an element; a string body becomes one text child. */
export function element(name: string, body: readonly XmlNode[] | string = [], attributes?: Readonly<Record<string, string>>): XmlElement {
  const children = typeof body === 'string' ? [body] : body;
  return attributes === undefined ? { name, children } : { name, attributes, children };
}

/** `[<name>value</name>]` when the value is given, `[]` when it is undefined: optional elements are left out, never sent empty. */
export function optional(name: string, value: string | undefined): XmlElement[] {
  return value === undefined ? [] : [element(name, value)];
}

/** `[element]` when the value is given, `[]` otherwise; for optional compound elements. */
export function optionalWith<T>(value: T | undefined, build: (value: T) => XmlElement): XmlElement[] {
  return value === undefined ? [] : [build(value)];
}

/** Renders an element tree; every text value is checked with {@link assertSendable} first. */
export function renderXml(node: XmlElement): string {
  const parts: string[] = [];
  write(node, parts, node.name);
  return parts.join('');
}

function write(node: XmlNode, parts: string[], path: string): void {
  if (typeof node === 'string') {
    assertSendable(path, node);
    parts.push(escapeText(node));
    return;
  }
  parts.push('<', node.name);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    assertSendable(`${path}/@${name}`, value);
    parts.push(' ', name, '="', escapeAttribute(value), '"');
  }
  if (node.children.length === 0) {
    parts.push('/>');
    return;
  }
  parts.push('>');
  for (const child of node.children) write(child, parts, typeof child === 'string' ? path : `${path}/${child.name}`);
  parts.push('</', node.name, '>');
}
