/**
 * The chaos run's checks of order fidelity (issue 17), to the cent: the sales order's line tax
 * detail against the store's tax per line, its gift wrapping line against the store's wrapping,
 * its lines' ship-tos against the addresses the store ships each line to, and the entity it
 * (and every invoice and payment of the order) is in against the one the tenant's rules name.
 * Pure functions of what the store and the Intacct sandbox's records say;
 * `verify.ts` reads them.
 */
import { storeLineRuns } from './verify-amounts.js';

/** A BigCommerce order as these checks read it: its lines (units, tax, product type) and its charges. */
export interface StoreOrderFidelity {
  lines: ReadonlyArray<{ quantity: number; taxCents: number; productType: string }>;
  /** The order's whole tax (`total_tax`). */
  taxCents: number;
  /** Gift wrapping, tax excluded (`wrapping_cost_ex_tax`). */
  wrappingCents: number;
  /** Placed with prices including VAT (`is_tax_inclusive_pricing`): the lines' amounts are what is left of the prices once the VAT is extracted. */
  pricesIncludeVat?: boolean;
}

/** A sales document line as Intacct's records show it (`SODOCUMENTENTRY`, its tax entries' `SODOCUMENTSUBTOTALS`), in line order. */
export interface FidelityDocumentLine {
  itemId: string;
  quantity: number;
  totalCents: number;
  /** The tax details of the line's entries. */
  taxDetails: readonly string[];
  /** Its tax entries' amounts, together. */
  taxCents: number;
  /** The line's own ship-to (`SHIPTO.*` of the entry), when it has one. */
  shipTo?: { contactName: string; city: string; zip: string };
}

/** Where a store line ships when its order ships to several addresses: its consignment (1-based, in the store's order of addresses) and the place. */
export interface StoreLineShipTo {
  consignment: number;
  city: string;
  zip: string;
}

/** What the tenant set up that these checks hold Intacct to. */
export interface FidelitySetup {
  /** The Intacct tax detail the store's sales tax posts under. */
  taxDetailId: string;
  /** The Intacct tax detail the store's VAT posts under (orders placed with prices including VAT). */
  vatDetailId: string;
  giftWrappingItem: string;
  /** The entity the rules name for an order with these product types (undefined: the top level). */
  entityFor(productTypes: readonly string[]): string | undefined;
}

const money = (amount: number) => (amount / 100).toFixed(2);
const entityName = (entity: string | undefined) => (entity === undefined || entity === '' ? 'the top level' : `entity ${entity}`);

/**
 * Differences between the store's order and its sales order: each store line's run of lines
 * carries the line's tax as tax entries of the mapped detail (the VAT's for an order placed with
 * prices including VAT), the document's tax entries add up
 * to the store's whole tax (nothing posted twice, nothing lost), and gift wrapping is one line of
 * the wrapping item worth the store's wrapping (none when the store has none).
 */
export function fidelityDifferences(store: StoreOrderFidelity, document: readonly FidelityDocumentLine[], setup: FidelitySetup): string[] {
  const differences: string[] = [];
  const runs = storeLineRuns(
    store.lines.map((line) => line.quantity),
    document,
  );
  for (const [position, line] of store.lines.entries()) {
    const run = runs[position]!.map((index) => document[index]!);
    const tax = run.reduce((sum, entry) => sum + entry.taxCents, 0);
    if (tax !== line.taxCents)
      differences.push(`line ${position + 1}: the store's tax is ${money(line.taxCents)}, the sales order's tax detail ${money(tax)}`);
  }
  const mapped = store.pricesIncludeVat === true ? setup.vatDetailId : setup.taxDetailId;
  const details = [...new Set(document.flatMap((line) => line.taxDetails))].filter((detail) => detail !== mapped);
  if (details.length > 0) differences.push(`tax entries under ${details.join(', ')}, not the store rate's ${mapped}`);
  const documentTax = document.reduce((sum, line) => sum + line.taxCents, 0);
  if (documentTax !== store.taxCents)
    differences.push(`the store's tax is ${money(store.taxCents)}, the sales order's tax entries total ${money(documentTax)}`);
  const wrapping = document.filter((line) => line.itemId === setup.giftWrappingItem);
  const wrapped = wrapping.reduce((sum, line) => sum + line.totalCents, 0);
  if (wrapped !== store.wrappingCents || (store.wrappingCents > 0 && wrapping.length !== 1))
    differences.push(
      `the store's gift wrapping is ${money(store.wrappingCents)}, the sales order has ${wrapping.length} ${setup.giftWrappingItem} lines for ${money(wrapped)}`,
    );
  return differences;
}

/**
 * Differences between where the store ships each line and the sales order lines' own ship-tos
 * (the tenant posts consignments as `lineShipTo`): for an order shipped to several addresses,
 * each line of a store line's run ships to that line's consignment (its city and postal code,
 * the contact numbered after the consignment); the lines of an order shipped to one address,
 * and the charge lines of any, have none of their own (the header's ship-to is theirs).
 */
export function lineShipToDifferences(
  store: { lines: ReadonlyArray<{ quantity: number }>; shipTos: ReadonlyArray<StoreLineShipTo> | undefined },
  document: readonly FidelityDocumentLine[],
): string[] {
  const differences: string[] = [];
  const place = (shipTo: { city: string; zip: string }) => `${shipTo.city} ${shipTo.zip}`;
  const runs = storeLineRuns(
    store.lines.map((line) => line.quantity),
    document,
  );
  for (const [position, run] of runs.entries()) {
    const wanted = store.shipTos?.[position];
    for (const index of run) {
      const held = document[index]!.shipTo;
      const where = `line ${position + 1}: the store ships it to ${wanted === undefined ? 'the order’s one address' : `consignment ${wanted.consignment} (${place(wanted)})`}`;
      if (wanted === undefined) {
        if (held !== undefined) differences.push(`${where}, yet sales order line ${index + 1} ships to ${place(held)} of its own`);
      } else if (held === undefined) differences.push(`${where}, sales order line ${index + 1} has no ship-to of its own`);
      else if (held.city !== wanted.city || held.zip !== wanted.zip || !held.contactName.endsWith(` ship-to ${wanted.consignment}`))
        differences.push(`${where}, sales order line ${index + 1} to ${held.contactName} (${place(held)})`);
    }
  }
  const products = new Set(runs.flat());
  for (const [index, line] of document.entries())
    if (!products.has(index) && line.shipTo !== undefined)
      differences.push(`sales order line ${index + 1} (${line.itemId}) is a charge, yet ships to ${place(line.shipTo)}`);
  return differences;
}

/**
 * Differences between the store's tax and the tax detail of the order's invoices once every unit
 * has shipped: the invoices are what Intacct posts to receivables and the tax return, so
 * together their tax entries must be the store's tax (not, say, an amount folded into a header
 * subtotal). Nothing to say before the last unit ships (a line's tax may be split over parts).
 */
export function invoiceTaxDifferences(
  store: Pick<StoreOrderFidelity, 'taxCents'> & { allShipped: boolean },
  invoices: ReadonlyArray<{ documentId: string; taxCents: number }>,
): string[] {
  if (!store.allShipped || invoices.length === 0) return [];
  const tax = invoices.reduce((sum, invoice) => sum + invoice.taxCents, 0);
  return tax === store.taxCents
    ? []
    : [
        `the store's tax is ${money(store.taxCents)}, the tax entries of its invoices (${invoices.map((invoice) => invoice.documentId).join(', ')}) total ${money(tax)}`,
      ];
}

/**
 * Differences between the entity the rules name for the store's order and the entities its
 * Intacct records are in (`MEGAENTITYID`; absent at the top level): the sales document, each
 * invoice converted from it and each payment.
 */
export function entityDifferences(
  store: Pick<StoreOrderFidelity, 'lines'>,
  records: ReadonlyArray<{ what: string; entity: string | undefined }>,
  setup: Pick<FidelitySetup, 'entityFor'>,
): string[] {
  const wanted = setup.entityFor(store.lines.map((line) => line.productType));
  return records
    .filter((record) => (record.entity || undefined) !== wanted)
    .map((record) => `${record.what} is in ${entityName(record.entity)}, the rules name ${entityName(wanted)}`);
}
