import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed request element: name, attributes, child elements in order, and its own text. */
export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
  /** Concatenated text content (entities decoded, nothing trimmed). */
  readonly text: string;
}

/** Thrown for a body that is not well-formed XML; the message is the parser's. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded below, in one pass, exactly as XML 1.0 defines them.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses a request body into an element tree; {@link XmlSyntaxError} when it is not well-formed. */
export function parseXmlTree(body: string): XmlNode {
  const verdict = XMLValidator.validate(body);
  if (verdict !== true) throw new XmlSyntaxError(verdict.err.msg, verdict.err.line, verdict.err.col);
  const nodes = parser.parse(body) as Ordered[];
  // toNode throws XmlSyntaxError for bad entities, which the caller reports like a parse error.
  const roots = nodes.map(toNode).filter((node): node is XmlNode => node !== undefined);
  if (roots.length !== 1) throw new XmlSyntaxError('Extra content at the end of the document', undefined, undefined);
  return roots[0]!;
}

function toNode(ordered: Ordered): XmlNode | undefined {
  const name = Object.keys(ordered).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name.startsWith('?') || name === '#comment') return undefined;
  const rawChildren = (ordered[name] as Ordered[] | undefined) ?? [];
  const children: XmlNode[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += decodeXmlText(String(child['#text']));
    else if ('#cdata' in child)
      text += ((child['#cdata'] as Ordered[] | undefined) ?? []).map((part) => String(part['#text'] as string)).join('');
    else {
      const node = toNode(child);
      if (node) children.push(node);
    }
  }
  const attributes = Object.fromEntries(Object.entries(ordered[':@'] ?? {}).map(([key, value]) => [key, decodeXmlText(value)]));
  return { name, attributes, children, text };
}

const forbiddenCharacter =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

const predefined: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes the five predefined entities and character references in one pass (so `&amp;#13;`
 * stays the text `&#13;`). Undeclared entities and references to characters XML 1.0 forbids
 * are errors, as in libxml2.
 */
export function decodeXmlText(raw: string): string {
  const forbidden = forbiddenCharacter.exec(raw);
  if (forbidden) throw new XmlSyntaxError(`PCDATA invalid Char value ${forbidden[0].codePointAt(0) ?? 0}`, undefined, undefined);
  return raw.replace(/&([^;&\s]*);?/g, (match, name: string) => {
    if (!match.endsWith(';'))
      throw new XmlSyntaxError(`xmlParseEntityRef: no name or missing semicolon near '${match}'`, undefined, undefined);
    if (name in predefined) return predefined[name]!;
    const reference = /^#x([0-9a-fA-F]+)$/.exec(name) ?? /^#([0-9]+)$/.exec(name);
    if (!reference) throw new XmlSyntaxError(`Entity '${name}' not defined`, undefined, undefined);
    const code = Number.parseInt(reference[1]!, name.startsWith('#x') ? 16 : 10);
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw new XmlSyntaxError(`xmlParseCharRef: invalid xmlChar value ${code}`, undefined, undefined);
    return String.fromCodePoint(code);
  });
}

/** First child element with this name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((candidate) => candidate.name === name);
}

/** All child elements with this name. */
export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((candidate) => candidate.name === name) ?? [];
}

/** Text of a child element, or undefined when the element is absent. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  return child(node, name)?.text;
}
