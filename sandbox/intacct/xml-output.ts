/** An element of a response, built in order. */
export interface OutElement {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children: ReadonlyArray<OutElement | string>;
}

/** Builds an element; a string body is its text. */
export function el(
  name: string,
  body: ReadonlyArray<OutElement | string> | string = [],
  attributes?: Readonly<Record<string, string>>,
): OutElement {
  return { name, children: typeof body === 'string' ? [body] : body, ...(attributes === undefined ? {} : { attributes }) };
}

// A carriage return would be normalised away by the reader's parser; a reference keeps it.
function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Serialises an element, with an XML declaration when asked. */
export function renderOut(node: OutElement, declaration = false): string {
  const parts: string[] = declaration ? ['<?xml version="1.0" encoding="UTF-8"?>\n'] : [];
  const write = (current: OutElement | string): void => {
    if (typeof current === 'string') {
      parts.push(escapeText(current));
      return;
    }
    parts.push('<', current.name);
    for (const [key, value] of Object.entries(current.attributes ?? {})) parts.push(' ', key, '="', escapeAttribute(value), '"');
    if (current.children.length === 0) {
      parts.push('/>');
      return;
    }
    parts.push('>');
    for (const childNode of current.children) write(childNode);
    parts.push('</', current.name, '>');
  };
  write(node);
  return parts.join('');
}
