import type { CompanyStore } from './store.js';

/**
 * A custom field defined on an object of the company (Customization Services), as the gateway
 * knows it: a request naming any other field on that object is refused. `dimension` makes it a
 * user-defined dimension's field: its value must be the ID of an active record of that object.
 */
export interface CustomFieldDefinition {
  /** SODOCUMENT (a sales document's header) or SODOCUMENTENTRY (its lines). */
  readonly object: 'SODOCUMENT' | 'SODOCUMENTENTRY';
  /** Upper case, as `customfieldname` is matched. */
  readonly name: string;
  /** The user-defined dimension object whose record IDs the field takes (e.g. CHANNEL). */
  readonly dimension?: string;
}

/** A user-defined dimension of the company and its values (record IDs, each active). */
export interface UserDefinedDimension {
  /** Object name, upper case (the sandbox serves it under that name, keyed by ID). */
  readonly object: string;
  /** How the gateway names it in errors ("Invalid Channel 'X' specified."). */
  readonly label: string;
  readonly values: readonly string[];
}

/**
 * The demo company's user-defined dimension: the sales channel, set up as the `CHANNEL` object
 * with a dimension relationship to GL entries and order entry lines.
 */
export const demoUserDefinedDimensions: readonly UserDefinedDimension[] = [
  { object: 'CHANNEL', label: 'Channel', values: ['WEB', 'MARKETPLACE', 'RETAIL'] },
];

/**
 * The demo company's custom fields on sales documents and their lines. `GLDIMCHANNEL` is the
 * channel dimension's field, by the `GLDIM<name>` convention the reference notes for dimensions
 * (unverified for legacy functions). TRACKINGNUMBER and SHIPPEDDATE are fields of the live
 * SODOCUMENT that Sage's 2019 schema (the one the sandbox validates against) has no element for,
 * so they arrive as custom fields of those names.
 */
export const demoCustomFields: readonly CustomFieldDefinition[] = [
  ...['SALES_CHANNEL', 'SALES_REGION', 'REVENUE_STREAM', 'TRACKINGNUMBER', 'SHIPPEDDATE'].map((name) => ({
    object: 'SODOCUMENT' as const,
    name,
  })),
  { object: 'SODOCUMENT', name: 'GLDIMCHANNEL', dimension: 'CHANNEL' },
  ...['LINE_REF', 'REVENUE_STREAM'].map((name) => ({ object: 'SODOCUMENTENTRY' as const, name })),
  { object: 'SODOCUMENTENTRY', name: 'GLDIMCHANNEL', dimension: 'CHANNEL' },
];

/** Stores each user-defined dimension's values as active records of its object. */
export function seedUserDefinedDimensions(store: CompanyStore, dimensions: readonly UserDefinedDimension[]): void {
  for (const dimension of dimensions)
    for (const value of dimension.values) store.insert(dimension.object, { ID: value, NAME: value, STATUS: 'active' });
}
