import { describe, expect, it } from 'vitest';
import { toLineTaxEntries } from '../../../connectors/intacct/sales-document-conversions.js';

/** A line-level SODOCUMENTSUBTOTALS record as a `readByQuery` answers it: every value text. */
const subtotal = (recordNo: string, line: string, detailId: string, amount: string) => ({
  RECORDNO: recordNo,
  DOCENTRYKEY: line,
  DETAILID: detailId,
  TRX_ABSVAL: amount,
});

describe('toLineTaxEntries (SODOCUMENTSUBTOTALS records → each line’s tax entries)', () => {
  it.each([
    { case: 'no records', records: [], expected: [] },
    {
      case: 'one entry per line, amounts kept as the document holds them',
      records: [subtotal('2001', '1500', 'TX State Sales Tax', '0.63'), subtotal('2002', '1501', 'TX State Sales Tax', '2.48')],
      expected: [
        ['1500', [{ detailId: 'TX State Sales Tax', amount: '0.63' }]],
        ['1501', [{ detailId: 'TX State Sales Tax', amount: '2.48' }]],
      ],
    },
    {
      case: 'two details on one line, in record order whatever the answer’s order',
      records: [subtotal('2011', '1500', 'TX City Sales Tax', '0.20'), subtotal('2010', '1500', 'TX State Sales Tax', '0.63')],
      expected: [
        [
          '1500',
          [
            { detailId: 'TX State Sales Tax', amount: '0.63' },
            { detailId: 'TX City Sales Tax', amount: '0.20' },
          ],
        ],
      ],
    },
    {
      case: 'a header subtotal (no DOCENTRYKEY) is not line tax',
      records: [subtotal('2020', '', '', '-5.00'), subtotal('2021', '1500', 'FR Sale Goods Standard Rate', '9.99')],
      expected: [['1500', [{ detailId: 'FR Sale Goods Standard Rate', amount: '9.99' }]]],
    },
    {
      case: 'an entry without an amount keeps none (Intacct computes it from the rate)',
      records: [subtotal('2030', '1500', 'FR Sale Goods Standard Rate', '')],
      expected: [['1500', [{ detailId: 'FR Sale Goods Standard Rate' }]]],
    },
  ])('when $case, then the lines carry their entries', ({ records, expected }) => {
    expect([...toLineTaxEntries(records)]).toEqual(expected);
  });
});
