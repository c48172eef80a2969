import { demoCustomFields, demoUserDefinedDimensions, seedUserDefinedDimensions, type CustomFieldDefinition } from './custom-fields.js';
import { CompanyStore, type Row } from './store.js';

/** What a sales transaction definition does when a document is created. */
export interface SalesDefinition {
  readonly name: string;
  /** Prefix of automatic document numbers. */
  readonly prefix: string;
  /** The AR record a document posts: an invoice, an adjustment (credit), or nothing (orders). */
  readonly posts: 'none' | 'invoice' | 'credit';
  /** Effect on on-hand stock of the lines' warehouses. */
  readonly stock: 'none' | 'decrease' | 'increase';
  /** Whether the definition enables line-level ship-to ("Enable line-level ship-to" in its setup). */
  readonly lineShipTo?: boolean;
}

/**
 * Tax solutions, their sales and purchase tax details (rates in percent), and shipping methods:
 * a US company on Intacct's sales tax and a French entity on VAT, as set up under
 * Taxes → Tax solutions and Order Entry → Shipping methods.
 */
function seedTaxAndShipping(store: CompanyStore): void {
  store.insert('TAXSOLUTION', { SOLUTIONID: 'Standard Tax', TAXMETHOD: 'Simple', STATUS: 'active' });
  store.insert('TAXSOLUTION', { SOLUTIONID: 'France - VAT', TAXMETHOD: 'VAT', STATUS: 'active' });
  for (const [detailId, solution, type, rate] of [
    ['TX State Sales Tax', 'Standard Tax', 'Sale', '6.25'],
    ['TX Austin City Tax', 'Standard Tax', 'Sale', '2'],
    ['FR Sale Goods Standard Rate', 'France - VAT', 'Sale', '20'],
    ['FR Sale Goods Reduced Rate 10', 'France - VAT', 'Sale', '10'],
    ['FR Sale Goods Reduced Rate 5.5', 'France - VAT', 'Sale', '5.5'],
    ['FR Purchase Goods Standard Rate', 'France - VAT', 'Purchase', '20'],
  ] as const)
    store.insert('TAXDETAIL', { DETAILID: detailId, TAXSOLUTIONID: solution, TAXTYPE: type, VALUE: rate, STATUS: 'active' });
  for (const name of ['UPS Ground', 'FedEx 2Day', 'DHL Express', 'Will Call']) store.insert('SHIPMETHOD', { NAME: name, STATUS: 'active' });
}

/** An inventory transaction definition. */
export interface InventoryDefinition {
  readonly name: string;
  readonly prefix: string;
  readonly stock: 'increase' | 'decrease';
}

/** A Web Services sender and the companies it may call. */
export interface SandboxSender {
  readonly senderId: string;
  readonly password: string;
  readonly companies: readonly string[];
}

/** A Web Services user of a company. */
export interface SandboxUser {
  readonly userId: string;
  readonly password: string;
  /**
   * The entities the user is restricted to (Intacct's entity restrictions on a user of a
   * multi-entity company): such a user signs in only to one of them, never at the top level.
   * Absent: every entity and the top level.
   */
  readonly entities?: readonly string[];
}

/** How the sandbox company is seeded. */
export interface IntacctSandboxSeed {
  readonly companyId?: string;
  readonly users?: readonly SandboxUser[];
  readonly senders?: readonly SandboxSender[];
  /** Extra generated inventory items (`SKU-000001`…), each stocked in WH01, for paging and scale tests. */
  readonly extraItems?: number;
  /** Documents dated before this `YYYY-MM-DD` fall into a closed period. */
  readonly closedBefore?: string;
  /** Let stock go below zero instead of refusing the transaction. */
  readonly allowNegativeInventory?: boolean;
  /**
   * Names of the per-warehouse quantity fields on ITEMWAREHOUSEINFO. No published source
   * confirms them, so they are configurable (default QONHAND / QONORDER / QONHOLD).
   */
  readonly warehouseQuantityFields?: WarehouseQuantityFields;
  /** The custom fields sales documents and their lines may carry; default {@link demoCustomFields}. */
  readonly customFields?: readonly CustomFieldDefinition[];
}

/** The custom fields in use for a seed. */
export function customFieldsOfSeed(seed: IntacctSandboxSeed): readonly CustomFieldDefinition[] {
  return seed.customFields ?? demoCustomFields;
}

/** Field names of on-hand, on-order and on-hold quantities. */
export interface WarehouseQuantityFields {
  readonly onHand: string;
  readonly onOrder: string;
  readonly onHold: string;
}

/** The quantity field names in use for a seed. */
export function quantityFieldsOf(seed: IntacctSandboxSeed): WarehouseQuantityFields {
  return seed.warehouseQuantityFields ?? { onHand: 'QONHAND', onOrder: 'QONORDER', onHold: 'QONHOLD' };
}

/** A new ITEMWAREHOUSEINFO row; `_KEY` is the sandbox's internal lookup key. */
export function stockRow(seed: IntacctSandboxSeed, itemId: string, warehouseId: string, onHand: string): Row {
  const fields = quantityFieldsOf(seed);
  return {
    _KEY: `${itemId}@${warehouseId}`,
    ITEMID: itemId,
    WAREHOUSEID: warehouseId,
    [fields.onHand]: onHand,
    [fields.onOrder]: '0',
    [fields.onHold]: '0',
  };
}

/** The fixed demo credentials of docs/architecture.md. */
export const demoCredentials = {
  senderId: 'demo-sender',
  senderPassword: 'demo-sender-pw',
  companyId: 'DEMO-CO',
  userId: 'sync-user',
  userPassword: 'demo-user-pw',
} as const;

/** The definitions of the demo company. */
export const salesDefinitions: readonly SalesDefinition[] = [
  { name: 'Sales Order', prefix: 'SO-', posts: 'none', stock: 'none', lineShipTo: true },
  { name: 'Sales Invoice', prefix: 'INV-', posts: 'invoice', stock: 'decrease' },
  { name: 'Sales Credit Memo', prefix: 'CM-', posts: 'credit', stock: 'increase' },
];

/** Inventory adjustment definitions of the demo company. */
export const inventoryDefinitions: readonly InventoryDefinition[] = [
  { name: 'Adjustment Increase', prefix: 'ADJI-', stock: 'increase' },
  { name: 'Adjustment Decrease', prefix: 'ADJD-', stock: 'decrease' },
];

const now = '01/05/2026 09:00:00';

function customer(id: string, name: string, email: string, term: string): Row {
  return {
    CUSTOMERID: id,
    NAME: name,
    STATUS: 'active',
    TERMNAME: term,
    CURRENCY: 'USD',
    'DISPLAYCONTACT.PRINTAS': name,
    'DISPLAYCONTACT.COMPANYNAME': name,
    'DISPLAYCONTACT.EMAIL1': email,
    WHENCREATED: now,
    WHENMODIFIED: now,
  };
}

function item(id: string, name: string, type: string, price: string, cost: string): Row {
  return {
    ITEMID: id,
    NAME: name,
    ITEMTYPE: type,
    STATUS: 'active',
    BASEPRICE: price,
    STANDARD_COST: cost,
    UNIT: 'Each',
    TAXABLE: type === 'Inventory' ? 'true' : 'false',
    WHENCREATED: now,
    WHENMODIFIED: now,
  };
}

/** Builds the demo company: a small web store's books. */
export function seedCompany(seed: IntacctSandboxSeed = {}): CompanyStore {
  const store = new CompanyStore(seed.companyId ?? demoCredentials.companyId);
  for (const [name, days] of [
    ['Net 30', '30'],
    ['Net 15', '15'],
    ['Due on Receipt', '0'],
  ] as const) {
    store.insert('ARTERM', { NAME: name, DESCRIPTION: name, STATUS: 'active', DUEDAYS: days });
  }
  for (const [id, title] of [
    ['SALES', 'Sales'],
    ['OPS', 'Operations'],
    ['ECOM', 'E-commerce'],
  ] as const) {
    store.insert('DEPARTMENT', { DEPARTMENTID: id, TITLE: title, STATUS: 'active' });
  }
  store.insert('LOCATION', { LOCATIONID: '100', NAME: 'Headquarters', STATUS: 'active', CURRENCY: 'USD' });
  store.insert('LOCATION', { LOCATIONID: '200', NAME: 'East Coast', STATUS: 'active', CURRENCY: 'USD' });
  store.insert('CLASS', { CLASSID: 'RETAIL', NAME: 'Retail', STATUS: 'active' });
  store.insert('CLASS', { CLASSID: 'WHOLESALE', NAME: 'Wholesale', STATUS: 'active' });
  store.insert('PROJECT', { PROJECTID: 'PRJ-7', NAME: 'Spring launch', PROJECTCATEGORY: 'Contract', STATUS: 'active' });
  seedUserDefinedDimensions(store, demoUserDefinedDimensions);
  store.insert('WAREHOUSE', { WAREHOUSEID: 'WH01', NAME: 'Main Warehouse', 'LOC.LOCATIONID': '100', STATUS: 'active' });
  store.insert('WAREHOUSE', { WAREHOUSEID: 'WH02', NAME: 'East Overflow', 'LOC.LOCATIONID': '200', STATUS: 'active' });
  for (const [number, title, type] of [
    ['1000', 'Operating Bank Account', 'balancesheet'],
    ['1050', 'Undeposited Funds', 'balancesheet'],
    ['1060', 'Stripe Clearing', 'balancesheet'],
    ['1070', 'Processor Reserves', 'balancesheet'],
    ['1200', 'Accounts Receivable', 'balancesheet'],
    ['1300', 'Inventory', 'balancesheet'],
    ['2100', 'Accrued Liabilities', 'balancesheet'],
    ['2200', 'Sales Tax Payable', 'balancesheet'],
    ['4000', 'Product Sales', 'incomestatement'],
    ['4100', 'Shipping Income', 'incomestatement'],
    ['4900', 'Sales Discounts and Returns', 'incomestatement'],
    ['5000', 'Cost of Goods Sold', 'incomestatement'],
    ['4950', 'Refunds Paid', 'incomestatement'],
    ['6100', 'Payment Processing Fees', 'incomestatement'],
    ['6110', 'Chargebacks', 'incomestatement'],
    ['6120', 'Dispute Fees', 'incomestatement'],
    ['6190', 'Processor Adjustments', 'incomestatement'],
  ] as const) {
    store.insert('GLACCOUNT', { ACCOUNTNO: number, TITLE: title, ACCOUNTTYPE: type, STATUS: 'active' });
  }
  store.insert('GLJOURNAL', { SYMBOL: 'GJ', TITLE: 'General Journal', STATUS: 'active' });
  seedTaxAndShipping(store);
  store.insert('CHECKINGACCOUNT', { BANKACCOUNTID: 'BOA-CHK', BANKNAME: 'Bank of America', GLACCOUNTNO: '1000', STATUS: 'active' });
  for (const definition of salesDefinitions) {
    store.insert('SODOCUMENTPARAMS', {
      DOCID: definition.name,
      CATEGORY: definition.posts === 'credit' ? 'Return' : definition.posts === 'invoice' ? 'Invoice' : 'Order',
      STATUS: 'active',
    });
  }
  for (const definition of inventoryDefinitions) store.insert('INVDOCUMENTPARAMS', { DOCID: definition.name, STATUS: 'active' });

  store.insert('CUSTOMER', customer('C-1001', 'Bright Hardware Ltd', 'ap@bright.example', 'Net 30'));
  store.insert('CUSTOMER', customer('C-1002', "Erin's Deli", 'erin@deli.example', 'Net 15'));
  store.insert('CUSTOMER', customer('C-1003', 'Alpha & Omega Supplies', 'orders@alpha-omega.example', 'Net 30'));
  store.insert('CUSTOMER', customer('WEB-GUEST', 'Web Store Guest', 'guest@store.example', 'Due on Receipt'));
  store.insert('CUSTOMER', { ...customer('C-0900', 'Closed Account Co', 'old@closed.example', 'Net 30'), STATUS: 'inactive' });

  const stocked: Array<[string, string, string, string, Record<string, string>]> = [
    ['WIDGET-1', 'Blue Widget', '19.99', '7.5', { WH01: '120', WH02: '40' }],
    ['WIDGET-2', 'Red Widget', '24.5', '9.25', { WH01: '75', WH02: '0' }],
    ['GADGET-1', 'Pocket Gadget', '49', '21', { WH01: '30' }],
    ['00123', 'Spare Part 00123', '1.10', '0.4', { WH01: '500', WH02: '250' }],
  ];
  for (const [id, name, price, cost, quantities] of stocked) {
    store.insert('ITEM', item(id, name, 'Inventory', price, cost));
    for (const [warehouse, quantity] of Object.entries(quantities))
      store.insert('ITEMWAREHOUSEINFO', stockRow(seed, id, warehouse, quantity));
  }
  // The storefront sandboxes' catalogues: their SKUs are the demo company's item ids, so a demo
  // order from either store posts without an item mapping table.
  const storefrontStocked: Array<[string, string, string, string, Record<string, string>]> = [
    ['TSHIRT-BLK-S', 'Classic T-Shirt, Black, S', '24', '9.5', { WH01: '40', WH02: '10' }],
    ['TSHIRT-BLK-M', 'Classic T-Shirt, Black, M', '24', '9.5', { WH01: '120', WH02: '12' }],
    ['TSHIRT-BLK-L', 'Classic T-Shirt, Black, L', '24', '9.5', { WH01: '85', WH02: '8' }],
    ['TSHIRT-WHT-M', 'Classic T-Shirt, White, M', '26', '10', { WH01: '60', WH02: '5' }],
    ['HOODIE-GRY-L', 'Pullover Hoodie, Grey, L', '59', '24', { WH01: '25', WH02: '6' }],
    ['MUG-CER-12OZ', 'Ceramic Mug, 12 oz', '14.5', '5.2', { WH01: '120', WH02: '40' }],
    ['MUG-WHT-11OZ', 'Ceramic Mug, White, 11 oz', '14.5', '4.8', { WH01: '200', WH02: '24' }],
    ['MUG-BLK-15OZ', 'Ceramic Mug, Black, 15 oz', '16', '5.6', { WH01: '40' }],
    ['CAP-NVY-OS', 'Baseball Cap, Navy, One Size', '19.99', '7', { WH01: '70' }],
    ['TOTE-NAT-OS', 'Canvas Tote, Natural, One Size', '12', '3.9', { WH01: '150', WH02: '30' }],
  ];
  // The UPCs the BigCommerce sandbox's variants carry, as a merchant keeps them on both sides.
  const upcs: Record<string, string> = { 'TSHIRT-BLK-M': '0012345678905', 'MUG-CER-12OZ': '0036000291452' };
  for (const [id, name, price, cost, quantities] of storefrontStocked) {
    store.insert('ITEM', { ...item(id, name, 'Inventory', price, cost), ...(upcs[id] !== undefined && { UPC: upcs[id] }) });
    for (const [warehouse, quantity] of Object.entries(quantities))
      store.insert('ITEMWAREHOUSEINFO', stockRow(seed, id, warehouse, quantity));
  }
  // Gift cards are a liability, not taxable goods; sticker packs are sold but not counted.
  store.insert('ITEM', item('GIFTCARD-50', 'Gift Card $50', 'Non-Inventory (Sales only)', '50', '0'));
  store.insert('ITEM', { ...item('STICKER-PACK-5', 'Sticker Pack (5)', 'Non-Inventory', '5', '1.2'), TAXABLE: 'true' });
  // Discontinued in the Clarity store; the last few posters are still on the shelf.
  store.insert('ITEM', { ...item('POSTER-CITY-A2', 'City Poster, A2', 'Inventory', '29', '11'), STATUS: 'inactive' });
  store.insert('ITEMWAREHOUSEINFO', stockRow(seed, 'POSTER-CITY-A2', 'WH01', '3'));

  store.insert('ITEM', item('SHIPPING', 'Shipping charge', 'Non-Inventory (Sales only)', '0', '0'));
  store.insert('ITEM', item('DISCOUNT', 'Order discount', 'Non-Inventory (Sales only)', '0', '0'));
  store.insert('ITEM', item('SALES-TAX', 'Sales tax', 'Non-Inventory (Sales only)', '0', '0'));
  store.insert('ITEM', item('TAX-ROUNDING', 'Tax rounding', 'Non-Inventory (Sales only)', '0', '0'));
  store.insert('ITEM', item('GIFT-WRAP', 'Gift wrapping', 'Non-Inventory (Sales only)', '0', '0'));
  store.insert('ITEM', item('HANDLING', 'Handling charge', 'Non-Inventory (Sales only)', '0', '0'));
  store.insert('ITEM', { ...item('RETIRED-1', 'Retired widget', 'Inventory', '5', '2'), STATUS: 'inactive' });

  for (let index = 1; index <= (seed.extraItems ?? 0); index += 1) {
    const id = `SKU-${String(index).padStart(6, '0')}`;
    store.insert('ITEM', item(id, `Catalogue item ${index}`, 'Inventory', '10', '4'));
    store.insert('ITEMWAREHOUSEINFO', stockRow(seed, id, 'WH01', String(index % 97)));
  }
  store.commit();
  return store;
}
