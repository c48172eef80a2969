import { describe, expect, it } from 'vitest';
import { CompanyStore } from '../../../sandbox/intacct/store.js';
import { formatDecimal, multiply, parseDecimal, roundTo } from '../../../sandbox/intacct/decimal.js';

describe('Intacct sandbox company store', () => {
  it('undoes inserts, updates, removals, sequences and recorded control ids back to a mark', () => {
    const store = new CompanyStore('CO');
    const kept = store.insert('CUSTOMER', { CUSTOMERID: 'A', NAME: 'Kept' });
    store.commit();
    const mark = store.mark();
    store.insert('CUSTOMER', { CUSTOMERID: 'B', NAME: 'New' });
    store.update('CUSTOMER', kept, { NAME: 'Changed', EXTRA: 'x' });
    store.nextSequence('SO');
    store.record('so:1');
    store.remove('CUSTOMER', kept);
    store.rollbackTo(mark);
    expect(store.getById('CUSTOMER', 'B')).toBeUndefined();
    expect(store.getById('CUSTOMER', 'A')).toEqual({ RECORDNO: String(kept), CUSTOMERID: 'A', NAME: 'Kept' });
    expect(store.isRecorded('so:1')).toBe(false);
    expect(store.nextSequence('SO')).toBe(1);
  });

  it('keeps committed changes', () => {
    const store = new CompanyStore('CO');
    store.insert('ITEM', { ITEMID: 'X' });
    store.record('c1');
    store.commit();
    store.rollbackTo(0);
    expect(store.getById('ITEM', 'X')).toBeDefined();
    expect(store.isRecorded('c1')).toBe(true);
  });
});

describe('Intacct sandbox decimals', () => {
  it.each([
    ['19.99', '19.99'],
    ['5900.00', '5900'],
    ['1.10', '1.1'],
    ['-0.50', '-0.5'],
    ['0', '0'],
  ])('formats %s as %s', (input, output) => {
    expect(formatDecimal(parseDecimal(input)!)).toBe(output);
  });

  it('multiplies and rounds half away from zero without float drift', () => {
    expect(formatDecimal(roundTo(multiply(parseDecimal('3')!, parseDecimal('19.995')!), 2))).toBe('59.99');
    expect(formatDecimal(roundTo(multiply(parseDecimal('0.1')!, parseDecimal('0.2')!), 2))).toBe('0.02');
    expect(formatDecimal(roundTo(parseDecimal('-1.005')!, 2))).toBe('-1.01');
  });

  it.each(['abc', '1.2.3', '1e5', ''])('refuses %s', (input) => {
    expect(parseDecimal(input)).toBeUndefined();
  });
});
