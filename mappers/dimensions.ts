import type { DimensionMappingRow } from '../store/schemas/mapping-tables.js';
import type { DimensionRule } from '../store/schemas/settings.js';
import { storefrontEntry, type CanonicalOrder } from './canonical-order.js';
import type { DocumentDimensions } from './to-intacct-sales-document.js';

/**
 * The order attributes the `storefrontChannel` and `customerGroup` rules read. The BigCommerce
 * mapper keeps the order's `channel_id` as `channelId`; no storefront mapper keeps a customer
 * group yet (BigCommerce has it on the customer, not the order), so a `customerGroup` rule
 * finds `customerGroupId` only once a mapper or enrichment puts it there, and until then says
 * so as a problem instead of posting without the dimension.
 */
export const dimensionAttributes = { storefrontChannel: 'channelId', customerGroup: 'customerGroupId' } as const;

const documentFields = {
  department: 'departmentId',
  location: 'locationId',
  project: 'projectId',
  class: 'classId',
} as const satisfies Record<DimensionRule['dimension'], keyof DocumentDimensions>;

/** The dimensions an order's lines carry, and why any rule could not be applied. */
export interface DimensionResolution {
  dimensions: DocumentDimensions;
  problems: string[];
}

function describeSource(rule: DimensionRule, attribute: string): string {
  switch (rule.from) {
    case 'storefrontChannel':
      return `the storefront channel (order attribute "${attribute}")`;
    case 'customerGroup':
      return `the customer group (order attribute "${attribute}")`;
    case 'orderMetafield':
      return `order metafield "${attribute}"`;
    default:
      return `order attribute "${attribute}"`;
  }
}

/**
 * Applies the tenant's dimension rules to an order. `constant` rules give the Intacct id
 * itself; the others read an order attribute and look its value up in the dimensionRules
 * mapping table, taking the row's column for the rule's dimension. A rule that cannot be
 * applied (the order lacks the attribute, the table lacks the value or the column) is a
 * problem, never a silent omission: a document posted without its department or location
 * lands in the wrong place in the books, so the order waits for the table to be completed.
 */
export function resolveDimensions(
  rules: readonly DimensionRule[],
  rows: readonly DimensionMappingRow[],
  order: Pick<CanonicalOrder, 'attributes' | 'metafields'>,
): DimensionResolution {
  const dimensions: DocumentDimensions = {};
  const problems: string[] = [];
  for (const rule of rules) {
    const field = documentFields[rule.dimension];
    if (rule.from === 'constant') {
      if (rule.value === undefined)
        problems.push(`the ${rule.dimension} rule is constant but names no Intacct ${rule.dimension} id: set its value`);
      else dimensions[field] = rule.value;
      continue;
    }
    const attribute = rule.from === 'orderAttribute' || rule.from === 'orderMetafield' ? rule.value : dimensionAttributes[rule.from];
    if (attribute === undefined) {
      problems.push(`the ${rule.dimension} rule reads an order attribute but does not name it: set its value to the attribute's name`);
      continue;
    }
    const source = describeSource(rule, attribute);
    const value = storefrontEntry(rule.from === 'orderMetafield' ? order.metafields : order.attributes, attribute)?.trim();
    if (value === undefined || value === '') {
      problems.push(`the ${rule.dimension} comes from ${source}, which this order does not have`);
      continue;
    }
    const row = rows.find((candidate) => candidate.storefrontValue === value);
    const id = row?.[rule.dimension];
    if (row === undefined)
      problems.push(
        `the ${rule.dimension} comes from ${source}, whose value "${value}" has no row in the dimensionRules mapping table: add one with its ${rule.dimension}`,
      );
    else if (id === undefined)
      problems.push(`row "${value}" of the dimensionRules mapping table has no ${rule.dimension}: fill its ${rule.dimension} column`);
    else dimensions[field] = id;
  }
  return { dimensions, problems };
}
