import type { ProcessorName, ProcessorPayout } from '../../workflows/payout-reconcile-contract.js';
import { assemblePayouts, type SettlementImportRequest } from './assemble-payouts.js';
import { stripePayoutReconciliationMapping, type SettlementColumnMapping } from './column-mapping.js';
import { readMappedRows } from './read-mapped-rows.js';
import { readPayPalSettlement } from './read-paypal-settlement.js';
import type { SettlementRowError } from './settlement-csv.js';

export { payoutLinesDifference, type SettlementImportRequest } from './assemble-payouts.js';
export { describePayoutChange } from './payout-change.js';
export { settlementColumnMappingSchema, stripePayoutReconciliationMapping, type SettlementColumnMapping } from './column-mapping.js';
export type { SettlementRowError } from './settlement-csv.js';

/** The built-in report layouts, by the name an import names them with. */
export const settlementTemplateNames = ['stripe-payout-reconciliation', 'paypal-settlement'] as const;
export type SettlementTemplateName = (typeof settlementTemplateNames)[number];

/** How to read a file: a built-in template, or a tenant's column mapping. */
export type SettlementLayout = { template: SettlementTemplateName } | { mapping: SettlementColumnMapping };

/** The outcome of {@link parseSettlementReport}: every payout in the file, or every bad row and no payout. */
export type SettlementParseResult = { ok: true; payouts: ProcessorPayout[] } | { ok: false; errors: SettlementRowError[] };

/**
 * Reads a settlement report (CSV text) into the shared {@link ProcessorPayout}s it settles, in
 * exact minor units. All or nothing: one bad row anywhere and no payout is answered, with every
 * bad row named. Stripe's report gives `stripe` payouts, PayPal's `paypal`, a tenant's own
 * mapping `settlement-file`.
 */
export function parseSettlementReport(text: string, layout: SettlementLayout, request: SettlementImportRequest): SettlementParseResult {
  const [processor, read]: [ProcessorName, ReturnType<typeof readMappedRows>] =
    'mapping' in layout
      ? ['settlement-file', readMappedRows(text, layout.mapping)]
      : layout.template === 'paypal-settlement'
        ? ['paypal', readPayPalSettlement(text)]
        : ['stripe', readMappedRows(text, stripePayoutReconciliationMapping)];
  const assembled = assemblePayouts(read, processor, request);
  return assembled.errors.length > 0 ? { ok: false, errors: assembled.errors } : { ok: true, payouts: assembled.payouts };
}
