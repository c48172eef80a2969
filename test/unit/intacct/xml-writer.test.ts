import { describe, expect, it } from 'vitest';
import {
  UnsendableXmlValueError,
  assertSendable,
  element,
  escapeAttribute,
  escapeText,
  optional,
  renderXml,
} from '../../../connectors/intacct/xml-writer.js';

describe('Intacct XML writer', () => {
  it.each([
    ['plain', 'Bright Hardware', 'Bright Hardware'],
    ['ampersand', 'Alpha & Omega', 'Alpha &amp; Omega'],
    ['angle brackets', '<b>x</b>', '&lt;b&gt;x&lt;/b&gt;'],
    ['CDATA terminator', 'a]]>b', 'a]]&gt;b'],
    ['carriage return and line feed', 'a\r\nb', 'a&#13;&#10;b'],
    ['tab', 'a\tb', 'a&#9;b'],
    ['quotes stay in text', `"q" 'a'`, `"q" 'a'`],
    ['astral', '😀 𝄞', '😀 𝄞'],
  ])('escapes text: %s', (_name, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('escapes both quote kinds in attributes', () => {
    expect(escapeAttribute(`a"b'c&`)).toBe('a&quot;b&apos;c&amp;');
  });

  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['bell', 'a\u0007', 'U+0007'],
    ['vertical tab', '\u000B', 'U+000B'],
    ['lone high surrogate', 'x\uD83Dy', 'U+D83D'],
    ['lone low surrogate', '\uDE00', 'U+DE00'],
    ['U+FFFF', '\uFFFF', 'U+FFFF'],
  ])('refuses %s before sending', (_name, value, code) => {
    expect(() => assertSendable('CUSTOMER/NAME', value)).toThrow(UnsendableXmlValueError);
    expect(() => assertSendable('CUSTOMER/NAME', value)).toThrow(code);
  });

  it('names the field of a refused value', () => {
    expect(() => renderXml(element('create', [element('CUSTOMER', [element('NAME', 'bad\u0001')])]))).toThrow('create/CUSTOMER/NAME');
  });

  it('renders an empty text child as an open/close pair and no children as a self-closing tag', () => {
    expect(renderXml(element('query', ''))).toBe('<query></query>');
    expect(renderXml(element('delete_sotransaction', [], { key: 'Sales Order-SO-1' }))).toBe(
      '<delete_sotransaction key="Sales Order-SO-1"/>',
    );
  });

  it('leaves out optional elements without a value instead of sending them empty', () => {
    expect(optional('memo', undefined)).toEqual([]);
    expect(renderXml(element('x', [...optional('memo', undefined), ...optional('unit', 'Each')]))).toBe('<x><unit>Each</unit></x>');
  });
});
