import { create, type ObjectFields } from './create.js';
import type { XmlElement } from '../xml-writer.js';

/** A new item (generic `create` of ITEM). Amounts are Intacct decimal strings. */
export interface ItemInput {
  readonly itemId: string;
  readonly name: string;
  /** `Inventory`, `Non-Inventory`, `Non-Inventory (Sales only)`, … */
  readonly itemType: string;
  readonly status?: 'active' | 'inactive';
  /** Unit of measure group (UOMGRP). */
  readonly unitOfMeasureGroup?: string;
  readonly glGroup?: string;
  readonly taxGroup?: string;
  readonly standardCost?: string;
  readonly basePrice?: string;
}

/** ITEM record fields in the order Intacct's ITEM object lists them. */
export function itemFields(input: ItemInput): ObjectFields {
  return [
    ['ITEMID', input.itemId],
    ['STATUS', input.status],
    ['NAME', input.name],
    ['ITEMTYPE', input.itemType],
    ['UOMGRP', input.unitOfMeasureGroup],
    ['GLGROUP', input.glGroup],
    ['TAXGROUP', input.taxGroup],
    ['STANDARD_COST', input.standardCost],
    ['BASEPRICE', input.basePrice],
  ];
}

/** Generic `create` of one ITEM; the result's data holds RECORDNO and ITEMID. */
export function createItem(input: ItemInput): XmlElement {
  return create([{ object: 'ITEM', fields: itemFields(input) }]);
}
