import { describe, expect, it } from 'vitest';
import type { IntacctRefusalWords } from './refund-refusal.js';
import { salesDocumentRefusal, type SalesDocumentRefusal } from './sales-document-refusal.js';

describe('salesDocumentRefusal', () => {
  it.each<[string, IntacctRefusalWords[], SalesDocumentRefusal | undefined]>([
    [
      'an unknown department',
      [{ vendorCode: 'BL03000003', description2: "Invalid Department 'NOPE' specified." }],
      { kind: 'dimensionValue', dimension: 'Department', value: 'NOPE' },
    ],
    [
      'an unknown location in description rather than description2',
      [{ description: "Invalid Location '999' specified.", description2: '' }],
      { kind: 'dimensionValue', dimension: 'Location', value: '999' },
    ],
    [
      'a user-defined dimension value',
      [{ vendorCode: 'BL03000003', description2: "Invalid Channel 'SPACE' specified." }],
      { kind: 'dimensionValue', dimension: 'Channel', value: 'SPACE' },
    ],
    [
      'a dimension value after the rollback notice',
      [
        { vendorCode: 'XL03000009', description2: 'The entire transaction in this operation has been rolled back due to an error.' },
        { vendorCode: 'BL03000003', description2: "Invalid Class 'GONE' specified." },
      ],
      { kind: 'dimensionValue', dimension: 'Class', value: 'GONE' },
    ],
    [
      'an unknown custom field',
      [{ vendorCode: 'BL03000002', description2: 'The custom field SALES_MOOD is not defined for the sales transaction.' }],
      { kind: 'customField', field: 'SALES_MOOD' },
    ],
    ['an unknown customer (the customer resolution’s own case)', [{ description2: "Invalid Customer 'C-9' specified." }], undefined],
    ['an unknown item', [{ description2: "Invalid Item 'SKU-9' specified." }], undefined],
    ['an unknown term', [{ description2: "Invalid Term 'Net 99' specified." }], undefined],
    ['a closed period', [{ vendorCode: 'BL03000071', description2: 'The period for 01/01/2020 is closed.' }], undefined],
    ['no words at all', [{}], undefined],
  ])('when Intacct answers with %s, then the refusal reads as expected', (_case, refusal, expected) => {
    expect(salesDocumentRefusal(refusal)).toEqual(expected);
  });
});
