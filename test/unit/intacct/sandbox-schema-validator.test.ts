import { beforeAll, describe, expect, it } from 'vitest';
import { implementedFunctions } from '../../../sandbox/intacct/handlers/index.js';
import { SchemaValidator } from '../../../sandbox/intacct/schema-validator.js';
import { parseXmlTree } from '../../../sandbox/intacct/xml-tree.js';

const envelope = (content: string, control = '<includewhitespace>false</includewhitespace>', controlId = 'f1') =>
  `<request><control><senderid>s</senderid><password>p</password><controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>${control}</control><operation transaction="false"><authentication><sessionid>x..</sessionid></authentication><content><function controlid="${controlId}">${content}</function></content></operation></request>`;
const order = (customer: string, items = '<sotransitem><itemid>A</itemid><quantity>1</quantity></sotransitem>') =>
  `<create_sotransaction><transactiontype>Sales Order</transactiontype><datecreated><year>2026</year><month>01</month><day>02</day></datecreated><customerid>${customer}</customerid><sotransitems>${items}</sotransitems></create_sotransaction>`;

describe('Intacct sandbox schema validation', () => {
  let validator: SchemaValidator;
  beforeAll(() => {
    validator = new SchemaValidator(implementedFunctions);
  });

  it('gives requests that differ only in free text the same skeleton, and keeps constrained text', () => {
    const a = validator.skeleton(parseXmlTree(envelope(order('C-1 &amp; Co'))));
    const b = validator.skeleton(parseXmlTree(envelope(order('something else entirely'))));
    expect(a).toBe(b);
    expect(validator.skeleton(parseXmlTree(envelope(order('C'), '<includewhitespace>true</includewhitespace>')))).not.toBe(a);
  });

  it.each([
    ['a valid sales order', envelope(order('C-1')), true],
    ['an unimplemented function, whose content the sandbox does not check', envelope('<create_bill><anything/></create_bill>'), true],
    ['the newer query function', envelope('<query><object>CUSTOMER</object><select><field>CUSTOMERID</field></select></query>'), true],
    ['a missing customerid', envelope(order('C-1').replace('<customerid>C-1</customerid>', '')), false],
    [
      'elements out of order',
      envelope(
        order('C-1').replace(
          '<transactiontype>Sales Order</transactiontype><datecreated><year>2026</year><month>01</month><day>02</day></datecreated>',
          '<datecreated><year>2026</year><month>01</month><day>02</day></datecreated><transactiontype>Sales Order</transactiontype>',
        ),
      ),
      false,
    ],
    [
      'text where only elements belong',
      envelope(order('C-1', 'stray<sotransitem><itemid>A</itemid><quantity>1</quantity></sotransitem>')),
      false,
    ],
    ['a non-boolean includewhitespace', envelope(order('C-1'), '<includewhitespace>maybe</includewhitespace>'), false],
    ['a function control id over 256 characters', envelope(order('C-1'), '', 'x'.repeat(257)), false],
    ['an unknown function', envelope('<make_coffee/>'), false],
  ])('judges %s', async (_name, xml, valid) => {
    const verdict = await validator.validate(parseXmlTree(xml));
    expect(verdict.valid).toBe(valid);
    if (!valid) expect(verdict.errors.length).toBeGreaterThan(0);
  });
});
