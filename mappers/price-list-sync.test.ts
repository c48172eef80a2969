import { describe, expect, it } from 'vitest';
import {
  isBackedPriceRecord,
  isWithdrawnPriceRecord,
  toPriceRecordChange,
  type IntacctPriceListEntry,
  type PriceRecordDecision,
} from './price-list-sync.js';

const entry = (fields: Partial<IntacctPriceListEntry> = {}): IntacctPriceListEntry => ({
  recordNo: '2001',
  priceListId: 'WHOLESALE',
  itemId: 'TSHIRT-BLK-M',
  valueType: 'Actual',
  value: '19.50',
  minQuantity: '',
  dateFrom: '',
  dateTo: '',
  status: 'active',
  modifiedAt: '12/07/2026 07:00:00',
  ...fields,
});

const target = { priceListId: 1, sku: 'TSHIRT-BLK-M', currency: 'USD', today: '2026-12-07' };

describe('toPriceRecordChange: an Intacct price list entry → a BigCommerce price record', () => {
  const cases: Array<[string, Partial<IntacctPriceListEntry>, number | undefined, PriceRecordDecision]> = [
    [
      'no record yet: the entry’s price is written',
      {},
      undefined,
      { kind: 'upsert', change: { priceListId: 1, sku: 'TSHIRT-BLK-M', priceMinor: 1950 } },
    ],
    ['a different price: rewritten', {}, 2000, { kind: 'upsert', change: { priceListId: 1, sku: 'TSHIRT-BLK-M', priceMinor: 1950 } }],
    ['the same price: nothing written', {}, 1950, { kind: 'unchanged' }],
    ['Intacct’s trailing zeros read as the same price', { value: '19.5000' }, 1950, { kind: 'unchanged' }],
    [
      'fractions of a cent round half up',
      { value: '19.495' },
      undefined,
      { kind: 'upsert', change: { priceListId: 1, sku: 'TSHIRT-BLK-M', priceMinor: 1950 } },
    ],
    ['an inactive entry is not carried', { status: 'inactive' }, undefined, { kind: 'skipped', reason: 'inactive' }],
    ['a percentage off is not a price', { valueType: 'Percent Off', value: '10' }, undefined, { kind: 'skipped', reason: 'notAPrice' }],
    ['value type is read case-insensitively', { valueType: 'ACTUAL' }, 1950, { kind: 'unchanged' }],
    ['a quantity break cannot be a price record', { minQuantity: '10' }, undefined, { kind: 'skipped', reason: 'quantityBreak' }],
    ['a minimum of 1 is an ordinary price', { minQuantity: '1' }, 1950, { kind: 'unchanged' }],
    ['not yet in effect', { dateFrom: '12/08/2026' }, undefined, { kind: 'skipped', reason: 'notInEffect' }],
    ['expired', { dateTo: '12/06/2026' }, undefined, { kind: 'skipped', reason: 'notInEffect' }],
    ['in effect from today through today', { dateFrom: '12/07/2026', dateTo: '12/07/2026' }, 1950, { kind: 'unchanged' }],
  ];
  it.each(cases)('%s', (_name, fields, currentPriceMinor, expected) => {
    expect(toPriceRecordChange(entry(fields), { ...target, currentPriceMinor })).toEqual(expected);
  });

  it('an unreadable value is reported with the list and item, not thrown', () => {
    expect(toPriceRecordChange(entry({ value: 'n/a' }), { ...target, currentPriceMinor: undefined })).toEqual({
      kind: 'unreadable',
      reason: 'price list WHOLESALE item TSHIRT-BLK-M: "n/a" is not a decimal amount',
    });
  });

  it('a zero-decimal currency keeps whole units', () => {
    expect(toPriceRecordChange(entry({ value: '1950' }), { ...target, currency: 'JPY', currentPriceMinor: undefined })).toEqual({
      kind: 'upsert',
      change: { priceListId: 1, sku: 'TSHIRT-BLK-M', priceMinor: 1950 },
    });
  });
});

describe('isWithdrawnPriceRecord: delete the store record an Intacct entry no longer backs', () => {
  const cases: Array<[string, Array<Partial<IntacctPriceListEntry>>, number | undefined, boolean]> = [
    ['the entry became inactive: deleted', [{ status: 'inactive' }], 1950, true],
    ['the entry expired: deleted', [{ dateTo: '12/06/2026' }], 1950, true],
    ['the entry is not yet in effect: deleted', [{ dateFrom: '12/08/2026' }], 1950, true],
    ['no record in the store: nothing to delete (a second run deletes nothing)', [{ status: 'inactive' }], undefined, false],
    ['another entry for the list and item is in effect: left', [{ status: 'inactive' }, { recordNo: '2002' }], 1950, false],
    ['the entry is active and in effect: left (written, not deleted)', [{}], 1950, false],
    ['only a percent off: never carried, someone else’s record', [{ valueType: 'Percent Off', value: '10' }], 1950, false],
    ['only a quantity break: never carried, left', [{ minQuantity: '10' }], 1950, false],
    ['an inactive quantity break beside an inactive price: deleted', [{ minQuantity: '10' }, { status: 'inactive' }], 1950, true],
    ['no entries read: left', [], 1950, false],
  ];
  it.each(cases)('%s', (_name, entries, currentPriceMinor, expected) => {
    expect(isWithdrawnPriceRecord(entries.map(entry), { currentPriceMinor, currency: 'USD', today: '2026-12-07' })).toBe(expected);
  });
});

describe('isBackedPriceRecord: a managed record the daily reconciliation keeps', () => {
  const cases: Array<[string, Array<Partial<IntacctPriceListEntry>>, boolean]> = [
    ['an active price in effect: kept', [{}], true],
    ['the entry deleted in Intacct (none held): not backed', [], false],
    ['the only entry inactive: not backed', [{ status: 'inactive' }], false],
    ['DATETO passed: not backed', [{ dateTo: '12/06/2026' }], false],
    ['DATEFROM not yet arrived: not backed', [{ dateFrom: '12/08/2026' }], false],
    ['DATEFROM arrives today: backed', [{ dateFrom: '12/07/2026' }], true],
    ['an expired entry beside one in effect: backed', [{ dateTo: '12/06/2026' }, { recordNo: '2002' }], true],
    ['only a percent off left: not backed', [{ valueType: 'Percent Off', value: '10' }], false],
    ['an unreadable price: kept rather than deleted', [{ value: 'n/a' }], true],
  ];
  it.each(cases)('%s', (_name, entries, expected) => {
    expect(isBackedPriceRecord(entries.map(entry), { currency: 'USD', today: '2026-12-07' })).toBe(expected);
  });
});
