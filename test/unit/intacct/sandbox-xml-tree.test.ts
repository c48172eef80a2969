import { describe, expect, it } from 'vitest';
import { XmlSyntaxError, decodeXmlText, parseXmlTree } from '../../../sandbox/intacct/xml-tree.js';

describe('Intacct sandbox request parsing', () => {
  it.each([
    ['&lt;&gt;&amp;&quot;&apos;', `<>&"'`],
    ['&#13;&#10;&#9;', '\r\n\t'],
    ['&#x1F600;', '😀'],
    ['&amp;#13;', '&#13;'],
    ['plain', 'plain'],
  ])('decodes %s in one pass', (raw, decoded) => {
    expect(decodeXmlText(raw)).toBe(decoded);
  });

  it.each(['&nbsp;', '&#1;', '&#xFFFE;', 'a & b', '\u0001'])('refuses %s as libxml2 does', (raw) => {
    expect(() => decodeXmlText(raw)).toThrow(XmlSyntaxError);
  });

  it('keeps element order, attributes, untrimmed text and CDATA as written', () => {
    const root = parseXmlTree(
      '<?xml version="1.0"?><request><function controlid="a&amp;b"><x> one </x><y><![CDATA[<raw> &amp;]]></y><x/></function></request>',
    );
    const fn = root.children[0]!;
    expect(fn.attributes).toEqual({ controlid: 'a&b' });
    expect(fn.children.map((node) => [node.name, node.text])).toEqual([
      ['x', ' one '],
      ['y', '<raw> &amp;'],
      ['x', ''],
    ]);
  });

  it.each(['<request><a></request>', '<request/><extra/>', ''])('refuses the malformed document %j', (body) => {
    expect(() => parseXmlTree(body)).toThrow(XmlSyntaxError);
  });
});
