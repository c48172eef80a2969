import { describe, expect, it } from 'vitest';
import { formatMappingCsv, parseMappingCsv } from '../../../store/schemas/mapping-csv.js';
import { mappingRowKey, type MappingRow, type MappingTableName } from '../../../store/schemas/mapping-tables.js';

describe('parseMappingCsv: good files', () => {
  it('when the file is well formed then every row comes back validated, in file order', () => {
    const csv = 'storefrontSku,intacctItemId,unit,warehouseId\nWIDGET-RED-S,W-100,,\nCASE-12, W-100 ,Case,EAST\n';
    expect(parseMappingCsv('items', csv)).toStrictEqual({
      ok: true,
      rows: [
        { storefrontSku: 'WIDGET-RED-S', intacctItemId: 'W-100' },
        { storefrontSku: 'CASE-12', intacctItemId: 'W-100', unit: 'Case', warehouseId: 'EAST' },
      ],
    });
  });

  it('when the file has a UTF-8 byte order mark and CRLF line ends (Excel) then it reads the same', () => {
    const csv = '\uFEFFstorefrontLocationId,intacctWarehouseId\r\n1,MAIN\r\n2,EAST\r\n';
    expect(parseMappingCsv('warehouses', csv)).toStrictEqual({
      ok: true,
      rows: [
        { storefrontLocationId: '1', intacctWarehouseId: 'MAIN' },
        { storefrontLocationId: '2', intacctWarehouseId: 'EAST' },
      ],
    });
  });

  it('when columns come in another order, in other case, and optional ones are left out then it still maps them by name', () => {
    const csv = 'IntacctItemId,STOREFRONTSKU\nW-1,A-1\n';
    expect(parseMappingCsv('items', csv)).toStrictEqual({ ok: true, rows: [{ storefrontSku: 'A-1', intacctItemId: 'W-1' }] });
  });

  it('when the file has blank lines and rows of empty cells then they are skipped', () => {
    const csv = 'storefrontStatus,action\n\n11,sync\n,\n\n5,cancel\n';
    expect(parseMappingCsv('statuses', csv)).toStrictEqual({
      ok: true,
      rows: [
        { storefrontStatus: '11', action: 'sync' },
        { storefrontStatus: '5', action: 'cancel' },
      ],
    });
  });

  it('when the header is the only row then the table is empty', () => {
    expect(parseMappingCsv('customers', 'storefrontCustomer,intacctCustomerId\r\n')).toStrictEqual({ ok: true, rows: [] });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['0', false],
  ])('when a boolean cell says %j then it reads %s', (cell, value) => {
    const result = parseMappingCsv('paymentMethods', `paymentMethod,undepositedFunds,glAccountNo\nCash,${cell},1050\n`);
    expect(result).toStrictEqual({ ok: true, rows: [{ paymentMethod: 'Cash', undepositedFunds: value, glAccountNo: '1050' }] });
  });

  it('when a boolean cell is empty then the column default applies', () => {
    expect(parseMappingCsv('paymentMethods', 'paymentMethod,undepositedFunds,glAccountNo\nCard,,1010\n')).toStrictEqual({
      ok: true,
      rows: [{ paymentMethod: 'Card', undepositedFunds: false, glAccountNo: '1010' }],
    });
  });

  it('when customer emails differ only in case then they are the same key', () => {
    expect(
      parseMappingCsv('customers', 'storefrontCustomer,intacctCustomerId\nJane@Example.com,C-1\njane@example.COM,C-2\n'),
    ).toStrictEqual({
      ok: false,
      errors: [
        { line: 3, column: 'storefrontCustomer', message: 'duplicate storefrontCustomer "jane@example.com", first given on line 2' },
      ],
    });
  });
});

describe('parseMappingCsv: bad files are refused whole, with every error', () => {
  it('when the file is empty then the header is missing', () => {
    const expected = {
      ok: false,
      errors: [{ line: 1, message: 'the header row is missing; expected storefrontSku, intacctItemId, unit, warehouseId' }],
    };
    expect(parseMappingCsv('items', '')).toStrictEqual(expected);
    expect(parseMappingCsv('items', '\uFEFF\r\n\r\n')).toStrictEqual(expected);
  });

  it('when the first row is data, not a header, then every unknown and missing column is named', () => {
    expect(parseMappingCsv('warehouses', '1,MAIN\n2,EAST\n')).toStrictEqual({
      ok: false,
      errors: [
        { line: 1, column: '1', message: 'unknown column "1"; expected storefrontLocationId, intacctWarehouseId' },
        { line: 1, column: 'MAIN', message: 'unknown column "MAIN"; expected storefrontLocationId, intacctWarehouseId' },
        {
          line: 1,
          column: 'storefrontLocationId',
          message: 'required column storefrontLocationId is missing from the header; expected storefrontLocationId, intacctWarehouseId',
        },
        {
          line: 1,
          column: 'intacctWarehouseId',
          message: 'required column intacctWarehouseId is missing from the header; expected storefrontLocationId, intacctWarehouseId',
        },
      ],
    });
  });

  it('when the header has an extra, a repeated or an empty column then each is reported', () => {
    expect(parseMappingCsv('statuses', 'storefrontStatus,action,notes,Action,\n11,sync,x,sync,\n')).toStrictEqual({
      ok: false,
      errors: [
        { line: 1, column: 'notes', message: 'unknown column "notes"; expected storefrontStatus, action' },
        { line: 1, column: 'action', message: 'column action appears twice' },
        { line: 1, message: 'a header cell is empty; expected storefrontStatus, action' },
      ],
    });
  });

  it('when rows are bad, too long, too short and duplicated then all of them are reported by line and nothing is returned', () => {
    const csv = [
      'storefrontSku,intacctItemId,unit,warehouseId',
      'A-1,W-1,,', // line 2: good
      ',W-2,,', // line 3: no key
      'A-3,W-3,,,extra', // line 4: too many cells
      'A-4,W-4', // line 5: too few cells
      'A-1,W-9,,', // line 6: duplicate of line 2
      ',,Each,', // line 7: two missing fields
      'A-1,W-10,,', // line 8: duplicate again
    ].join('\n');
    const result = parseMappingCsv('items', csv);
    expect(result).toStrictEqual({
      ok: false,
      errors: [
        { line: 3, column: 'storefrontSku', message: 'storefrontSku is required' },
        { line: 4, message: 'the row has 5 cells but the header has 4' },
        { line: 5, message: 'the row has 2 cells but the header has 4' },
        { line: 6, column: 'storefrontSku', message: 'duplicate storefrontSku "A-1", first given on line 2' },
        { line: 7, column: 'storefrontSku', message: 'storefrontSku is required' },
        { line: 7, column: 'intacctItemId', message: 'intacctItemId is required' },
        { line: 8, column: 'storefrontSku', message: 'duplicate storefrontSku "A-1", first given on line 2' },
      ],
    });
    expect(result).not.toHaveProperty('rows');
  });

  it('when a boolean cell is not a boolean then that is the one error for the row, not a follow-on rule', () => {
    expect(parseMappingCsv('paymentMethods', 'paymentMethod,undepositedFunds\nCash,maybe\nCard,\n')).toStrictEqual({
      ok: false,
      errors: [
        { line: 2, column: 'undepositedFunds', message: 'undepositedFunds must be true or false, not "maybe"' },
        { line: 3, column: 'glAccountNo', message: 'name a glAccountNo or a bankAccountId, or set undepositedFunds to true' },
      ],
    });
  });

  it('when a quoted cell spans lines then later errors still name the line they start on', () => {
    const csv = 'storefrontValue,department\n"multi\nline",D1\n"two\r\nbreaks\nhere",D2\nX,\n';
    expect(parseMappingCsv('dimensionRules', csv)).toStrictEqual({
      ok: false,
      errors: [{ line: 7, column: 'department', message: 'give at least one of department, location, project, class' }],
    });
  });

  it('when a CRLF file has blank lines and empty-cell rows then errors still name the line a text editor shows', () => {
    const csv = 'storefrontStatus,action\r\n\r\n11,sync\r\n,\r\n5,stop\r\n';
    expect(parseMappingCsv('statuses', csv)).toStrictEqual({
      ok: false,
      errors: [{ line: 5, column: 'action', message: 'action must be one of sync, wait, cancel, ignore' }],
    });
  });

  it('when a quote is never closed then the file is refused as not CSV', () => {
    expect(parseMappingCsv('statuses', 'storefrontStatus,action\n11,"sync\n5,cancel\n')).toStrictEqual({
      ok: false,
      errors: [
        { line: 3, message: 'the file is not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 3' },
      ],
    });
  });

  it('when an enum cell is wrong then the message lists what is allowed', () => {
    expect(parseMappingCsv('adjustmentItems', 'kind,intacctItemId\nfreight,SHIP\n')).toStrictEqual({
      ok: false,
      errors: [{ line: 2, column: 'kind', message: 'kind must be one of shipping, discount, tax, handling, giftWrapping, taxRounding' }],
    });
  });
});

describe('formatMappingCsv', () => {
  it('writes the header in the fixed column order, rows sorted by key, CRLF line ends and empty cells for absent values', () => {
    const rows: Array<MappingRow<'paymentMethods'>> = [
      { paymentMethod: 'PayPal', bankAccountId: 'PAYPAL', undepositedFunds: false },
      { paymentMethod: 'Cash', undepositedFunds: true },
      { paymentMethod: 'Card, Visa', glAccountNo: '1010', undepositedFunds: false },
    ];
    expect(formatMappingCsv('paymentMethods', rows)).toBe(
      'paymentMethod,glAccountNo,undepositedFunds,bankAccountId\r\n"Card, Visa",1010,false,\r\nCash,,true,\r\nPayPal,,false,PAYPAL\r\n',
    );
  });

  it('when the table is empty then only the header is written', () => {
    expect(formatMappingCsv('warehouses', [])).toBe('storefrontLocationId,intacctWarehouseId\r\n');
  });

  it('quotes cells holding quotes and line breaks', () => {
    expect(formatMappingCsv('items', [{ storefrontSku: 'SAY "HI"', intacctItemId: 'two\nlines' }])).toBe(
      'storefrontSku,intacctItemId,unit,warehouseId\r\n"SAY ""HI""","two\nlines",,\r\n',
    );
  });

  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1', "'+1"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ["'quoted", "''quoted"],
    ['safe=1', 'safe=1'],
  ])('when a cell starts like a formula (%j) then it is written behind a single quote', (value, cell) => {
    expect(formatMappingCsv('warehouses', [{ storefrontLocationId: 'L1', intacctWarehouseId: value }])).toBe(
      `storefrontLocationId,intacctWarehouseId\r\nL1,${cell}\r\n`,
    );
  });

  it('when a person types a leading quote to keep a spreadsheet from evaluating a cell then import drops it; a quote before plain text stays', () => {
    expect(parseMappingCsv('warehouses', "storefrontLocationId,intacctWarehouseId\n'=1+1,'MAIN\n")).toStrictEqual({
      ok: true,
      rows: [{ storefrontLocationId: '=1+1', intacctWarehouseId: "'MAIN" }],
    });
  });
});

describe('export then import', () => {
  const samples: { [Table in MappingTableName]: Array<MappingRow<Table>> } = {
    items: [
      { storefrontSku: '-10OFF', intacctItemId: '=cmd|/c calc', unit: '@unit', warehouseId: '+WH' },
      { storefrontSku: 'A,1', intacctItemId: 'W "1"', unit: 'Each' },
      { storefrontSku: "'lead", intacctItemId: "''double" },
      { storefrontSku: 'multi\r\nline', intacctItemId: 'x' },
    ],
    customers: [
      { storefrontCustomer: 'jane@example.com', intacctCustomerId: 'C-1' },
      { storefrontCustomer: '42', intacctCustomerId: '-C-2' },
    ],
    paymentMethods: [
      { paymentMethod: 'Cash', undepositedFunds: true, glAccountNo: '1050' },
      { paymentMethod: 'Card', undepositedFunds: false, bankAccountId: 'BOA' },
    ],
    statuses: [
      { storefrontStatus: '11', action: 'sync' },
      { storefrontStatus: '5', action: 'cancel' },
      { storefrontStatus: '12', action: 'wait' },
      { storefrontStatus: '0', action: 'ignore' },
    ],
    dimensionRules: [
      { storefrontValue: '1', department: 'RETAIL' },
      { storefrontValue: 'wholesale', location: 'WEST', project: 'P-9', class: '=CLASS' },
    ],
    adjustmentItems: [
      { kind: 'shipping', intacctItemId: 'SHIP' },
      { kind: 'discount', intacctItemId: 'DISC' },
      { kind: 'tax', intacctItemId: 'TAX' },
      { kind: 'handling', intacctItemId: 'HANDLING' },
    ],
    warehouses: [{ storefrontLocationId: '1', intacctWarehouseId: 'MAIN' }],
    shippingMethods: [{ storefrontMethod: 'Flat Rate, 2 days', intacctShippingMethod: 'UPS Ground' }],
    taxRates: [
      { storefrontTax: 'VAT 19%', intacctTaxDetailId: 'DE Sale Standard', intacctItemId: 'TAX-DE-19' },
      { storefrontTax: 'Texas State Tax', intacctItemId: '=TAX-TX' },
    ],
  };

  it.each(Object.keys(samples) as MappingTableName[])('%s comes back exactly as it was written, formula-like cells included', (table) => {
    const rows = samples[table] as Array<MappingRow<typeof table>>;
    const parsed = parseMappingCsv(table, formatMappingCsv(table, rows));
    expect(parsed.ok).toBe(true);
    const byKey = (left: MappingRow<typeof table>, right: MappingRow<typeof table>) =>
      mappingRowKey(table, left) < mappingRowKey(table, right) ? -1 : 1;
    expect(parsed.ok && parsed.rows).toStrictEqual([...rows].sort(byKey));
  });

  it('writes the same bytes for the same rows in any order', () => {
    const rows = samples.statuses;
    expect(formatMappingCsv('statuses', [...rows].reverse())).toBe(formatMappingCsv('statuses', rows));
  });
});
