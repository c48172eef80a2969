import { describe, expect, it } from 'vitest';
import { toIntacctSalesOrderEdit, type SalesOrderEdit, type SalesOrderEditInput } from './to-intacct-sales-order-edit.js';
import type { SalesOrderLine } from './to-intacct-sales-order-reduction.js';

const held: SalesOrderLine[] = [
  { lineNumber: 1, itemId: 'MUG', quantity: '2', price: '10' },
  { lineNumber: 2, itemId: 'TEE', quantity: '1', price: '15.00' },
  { lineNumber: 3, itemId: 'SHIP', quantity: '1', price: '8.00' },
];
const asHeld = [
  { itemId: 'MUG', quantity: '2', price: '10.00' },
  { itemId: 'TEE', quantity: '1', price: '15.00' },
  { itemId: 'SHIP', quantity: '1', price: '8.00' },
];

describe('toIntacctSalesOrderEdit', () => {
  it.each<[string, Omit<SalesOrderEditInput, 'currency'>, Omit<SalesOrderEdit, 'taxNotUpdatable'>]>([
    ['lines that match to the cent change nothing', { held, wanted: asHeld }, { changedLines: [], addedLines: [], differences: [] }],
    [
      'a new quantity is written as an absolute quantity on its line',
      { held, wanted: [{ ...asHeld[0]!, quantity: '3' }, asHeld[1]!, asHeld[2]!] },
      {
        changedLines: [{ lineNumber: 1, quantity: '3' }],
        addedLines: [],
        differences: [{ what: 'item MUG (line 1)', storeSays: '3 × 10.00 USD', intacctHolds: '2 × 10 USD' }],
      },
    ],
    [
      'a new price and new shipping change their lines',
      { held, wanted: [asHeld[0]!, { ...asHeld[1]!, price: '12.50' }, { ...asHeld[2]!, price: '5.00' }] },
      {
        changedLines: [
          { lineNumber: 2, price: '12.50' },
          { lineNumber: 3, price: '5.00' },
        ],
        addedLines: [],
        differences: [
          { what: 'item TEE (line 2)', storeSays: '1 × 12.50 USD', intacctHolds: '1 × 15.00 USD' },
          { what: 'item SHIP (line 3)', storeSays: '1 × 5.00 USD', intacctHolds: '1 × 8.00 USD' },
        ],
      },
    ],
    [
      'a replaced product sets the old line to 0 (lines cannot be removed) and adds the new one',
      { held, wanted: [{ itemId: 'CAP', quantity: '1', price: '9.00' }, asHeld[1]!, asHeld[2]!] },
      {
        changedLines: [{ lineNumber: 1, quantity: '0' }],
        addedLines: [{ itemId: 'CAP', quantity: '1', price: '9.00' }],
        differences: [
          { what: 'item CAP', storeSays: '1 × 9.00 USD', intacctHolds: 'none' },
          { what: 'item MUG (line 1)', storeSays: 'none', intacctHolds: '2 × 10 USD' },
        ],
      },
    ],
    [
      'a line an earlier edit set to 0 is taken again rather than added twice',
      {
        held: [...held, { lineNumber: 4, itemId: 'CAP', quantity: '0', price: '9.00' }],
        wanted: [...asHeld, { itemId: 'CAP', quantity: '2', price: '9.00' }],
      },
      {
        changedLines: [{ lineNumber: 4, quantity: '2' }],
        addedLines: [],
        differences: [{ what: 'item CAP (line 4)', storeSays: '2 × 9.00 USD', intacctHolds: '0 × 9.00 USD' }],
      },
    ],
    [
      'a held line already at 0 that nothing wants stays as it is',
      { held: [...held, { lineNumber: 4, itemId: 'CAP', quantity: '0', price: '9.00' }], wanted: asHeld },
      { changedLines: [], addedLines: [], differences: [] },
    ],
  ])('when %s', (_name, input, expected) => {
    const edit = toIntacctSalesOrderEdit({ currency: 'USD', ...input });
    expect(edit).toEqual({ ...expected, taxNotUpdatable: [] });
    // Applied, the edit leaves nothing to do: written twice, it changes nothing.
    const applied = input.held.map((line) => {
      const change = edit.changedLines.find((candidate) => candidate.lineNumber === line.lineNumber);
      return { ...line, quantity: change?.quantity ?? line.quantity, price: change?.price ?? line.price };
    });
    const added = edit.addedLines.map((line, index) => ({
      lineNumber: input.held.length + index + 1,
      itemId: line.itemId,
      quantity: line.quantity,
      price: line.price!,
    }));
    expect(toIntacctSalesOrderEdit({ currency: 'USD', held: [...applied, ...added], wanted: input.wanted }).differences).toEqual([]);
  });
});

describe('toIntacctSalesOrderEdit with tax per line', () => {
  const tax = (amount: string) => [{ detailId: 'US Sales Tax 8.25', amount }];
  const taxed = [{ ...asHeld[0]!, taxEntries: tax('1.65') }, { ...asHeld[1]!, taxEntries: tax('1.24') }, asHeld[2]!];
  const kept = 'the tax first posted (an update cannot change a line’s tax)';
  it.each([
    ['lines that match change no tax', taxed, []],
    [
      'a changed taxed line names its tax, which an update cannot change',
      [{ ...taxed[0]!, quantity: '3', taxEntries: tax('2.48') }, taxed[1]!, taxed[2]!],
      [{ what: 'tax of item MUG (line 1)', storeSays: '2.48 US Sales Tax 8.25', intacctHolds: kept }],
    ],
    ['a changed untaxed line (shipping) changes no tax', [taxed[0]!, taxed[1]!, { ...taxed[2]!, price: '5.00' }], []],
    [
      'a taxed line nothing wants any more keeps its tax at quantity 0',
      [{ itemId: 'CAP', quantity: '1', price: '9.00', taxEntries: tax('0.74') }, taxed[1]!, taxed[2]!],
      [{ what: 'tax of item MUG (line 1)', storeSays: 'none', intacctHolds: kept }],
    ],
    ['an added line carries its own tax entries', [...taxed, { itemId: 'CAP', quantity: '1', price: '9.00', taxEntries: tax('0.74') }], []],
  ])('when %s', (_name, wanted, expected) => {
    expect(toIntacctSalesOrderEdit({ currency: 'USD', held, wanted }).taxNotUpdatable).toEqual(expected);
  });
});
