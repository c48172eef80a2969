import { describe, expect, it } from 'vitest';
import { decimalToMinorUnits, minorUnitsToDecimal, parseRfc2822Date } from '../../../connectors/bigcommerce/formats.js';

describe('BigCommerce money strings', () => {
  it.each([
    ['62.6793', 6268],
    ['62.6749', 6267],
    ['8', 800],
    ['924.47', 92447],
    ['0.0000', 0],
    ['-1.5000', -150],
    ['0.0050', 1],
  ])('when %s is read then it is %i cents (half away from zero)', (value, cents) => {
    expect(decimalToMinorUnits(value)).toBe(cents);
  });

  it('when the currency has no minor unit then the exponent is honoured', () => {
    expect(decimalToMinorUnits('1500.4900', 0)).toBe(1500);
    expect(decimalToMinorUnits('12.3456', 3)).toBe(12346);
  });

  it.each(['', 'abc', '1,000.00', '1e3', '12.'])('when %j is not a plain decimal then it throws instead of reading zero', (value) => {
    expect(() => decimalToMinorUnits(value)).toThrow(RangeError);
  });

  it.each([
    [1999, '19.9900'],
    [0, '0.0000'],
    [5, '0.0500'],
    [-150, '-1.5000'],
  ])('when %i cents are written then BigCommerce gets %s', (cents, text) => {
    expect(minorUnitsToDecimal(cents)).toBe(text);
  });
});

describe('BigCommerce RFC 2822 dates', () => {
  it('when a V2 date is read then it becomes ISO 8601 UTC', () => {
    expect(parseRfc2822Date('Tue, 05 Mar 2019 21:40:11 +0000')).toBe('2019-03-05T21:40:11.000Z');
  });

  it('when the date carries an offset then it is converted to UTC', () => {
    expect(parseRfc2822Date('Tue, 05 Mar 2019 21:40:11 -0500')).toBe('2019-03-06T02:40:11.000Z');
  });

  it('when V2 sends an empty string (not shipped yet) then it is undefined', () => {
    expect(parseRfc2822Date('')).toBeUndefined();
  });

  it('when the text is not RFC 2822 then it throws', () => {
    expect(() => parseRfc2822Date('2019-03-05T21:40:11Z')).toThrow(RangeError);
  });
});
