import { describe, expect, it } from 'vitest';
import {
  decimalToMinorUnits,
  fromGenericDate,
  genericDate,
  legacyDate,
  minorUnitsToDecimal,
  queryLiteral,
} from '../../../connectors/intacct/formats.js';
import { renderXml } from '../../../connectors/intacct/xml-writer.js';

describe('Intacct formats', () => {
  it('writes legacy dates as zero-padded parts without any time zone', () => {
    expect(renderXml(legacyDate('datecreated', '2024-03-05'))).toBe(
      '<datecreated><year>2024</year><month>03</month><day>05</day></datecreated>',
    );
  });

  it.each(['2024-02-30', '2024-13-01', '03/05/2024', '2024-3-5'])('refuses the impossible or malformed date %s', (date) => {
    expect(() => legacyDate('datecreated', date)).toThrow(RangeError);
  });

  it('writes and reads generic MM/DD/YYYY dates', () => {
    expect(genericDate('2024-12-31')).toBe('12/31/2024');
    expect(fromGenericDate('12/31/2024')).toBe('2024-12-31');
    expect(fromGenericDate('2024-12-31')).toBeUndefined();
  });

  it.each([
    [1999, 2, '19.99'],
    [5, 2, '0.05'],
    [-250, 2, '-2.50'],
    [0, 2, '0.00'],
    [1500, 0, '1500'],
    [1234, 3, '1.234'],
  ])('converts %i minor units (exponent %i) to %s', (minor, exponent, text) => {
    expect(minorUnitsToDecimal(minor, exponent)).toBe(text);
  });

  it.each([
    ['19.99', 2, 1999],
    ['5900', 2, 590000],
    ['1.1', 2, 110],
    ['-2.5', 2, -250],
    ['0.10', 2, 10],
  ])('reads %s back as minor units', (text, exponent, minor) => {
    expect(decimalToMinorUnits(text, exponent)).toBe(minor);
  });

  it('refuses amounts with more precision than the currency', () => {
    expect(() => decimalToMinorUnits('1.234', 2)).toThrow(RangeError);
  });

  it.each([
    ['plain', "'EXT-1'"],
    ["Erin's Deli", "'Erin\\'s Deli'"],
    ['back\\slash', "'back\\\\slash'"],
  ])('quotes %s for readByQuery', (value, literal) => {
    expect(queryLiteral(value === 'plain' ? 'EXT-1' : value)).toBe(literal);
  });
});
