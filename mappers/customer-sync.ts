import type { Customer as BigCommerceCustomer } from '../connectors/bigcommerce/schemas/customers.js';
import type { ClarityCustomer } from '../connectors/clarity/model.js';
import type { IntacctCustomerUpdate, IntacctMailAddress, IntacctSyncCustomer } from '../connectors/intacct/customer-sync.js';
import type { CustomerFieldDirections, CustomerGroupSettings } from '../store/schemas/settings.js';
import { customerFieldFlow, type CustomerFieldChanges } from './catalog-field-directions.js';
import { intacctTimestampMs } from './catalog-item-sync.js';
import { shortHash } from './customer-record.js';
import { clip, countryNameOf, intacctContactLimits } from './document-contacts.js';

export type { IntacctSyncCustomer } from '../connectors/intacct/customer-sync.js';

/** A storefront customer as CustomerSync compares it: storefront-neutral names. */
export interface StorefrontCustomerState {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
  company: string;
  phone: string;
  /** The customer group's id; `''`: no group. */
  groupId: string;
  /** The customer's first address; absent when it has none. */
  address?: { address1: string; address2: string; city: string; state: string; postalCode: string; countryCode: string; country: string };
  /** When the store last changed the customer (ISO 8601). */
  modifiedAt: string;
}

/** What CustomerSync writes to a storefront customer; absent fields stay. `groupId: ''` takes the customer out of any group. */
export interface StorefrontCustomerChange {
  customerId: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  phone?: string;
  groupId?: string;
}

/** The customer's settings CustomerSync follows: who owns each field, and the group mappings. */
export interface CustomerSyncRules {
  fields: CustomerFieldDirections;
  groups: CustomerGroupSettings;
}

export type IntacctCustomerDecision =
  { kind: 'unchanged' } | { kind: 'update'; changes: IntacctCustomerUpdate; fields: CustomerSyncField[] };

export type StorefrontCustomerDecision =
  { kind: 'unchanged' } | { kind: 'update'; change: StorefrontCustomerChange; fields: CustomerSyncField[] };

/** The customer fields CustomerSync carries, named as the settings name their owners. */
export type CustomerSyncField = 'contact' | 'email' | 'addresses' | 'customerGroup' | 'creditHold' | 'priceGroup';

/** A V3 BigCommerce customer (with `include=addresses`) in CustomerSync's terms. */
export function fromBigCommerceCustomer(customer: BigCommerceCustomer): StorefrontCustomerState {
  const first = customer.addresses?.[0];
  return {
    customerId: String(customer.id),
    email: customer.email,
    firstName: customer.first_name,
    lastName: customer.last_name,
    company: customer.company ?? '',
    phone: customer.phone ?? '',
    groupId: customer.customer_group_id === undefined || customer.customer_group_id === 0 ? '' : String(customer.customer_group_id),
    ...(first !== undefined && {
      address: {
        address1: first.address1,
        address2: first.address2 ?? '',
        city: first.city,
        state: first.state_or_province,
        postalCode: first.postal_code,
        countryCode: first.country_code,
        country: first.country ?? '',
      },
    }),
    modifiedAt: customer.date_modified,
  };
}

/**
 * A Clarity customer in CustomerSync's terms. Clarity's contract has no customer groups (`groupId`
 * is always `''`, so the group rules never fire) and gives the country as its ISO code only.
 */
export function fromClarityCustomer(customer: ClarityCustomer): StorefrontCustomerState {
  const first = customer.addresses[0];
  return {
    customerId: customer.customerId,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    company: customer.company ?? '',
    phone: customer.phone ?? '',
    groupId: '',
    ...(first !== undefined && {
      address: {
        address1: first.line1,
        address2: first.line2 ?? '',
        city: first.city,
        state: first.region,
        postalCode: first.postalCode,
        countryCode: first.country,
        country: '',
      },
    }),
    modifiedAt: customer.updatedAt,
  };
}

/** Intacct's WHENMODIFIED as ISO 8601 (its wall clock read as UTC, as the item sync reads it); undefined when unreadable. */
export function intacctChangedAt(customer: Pick<IntacctSyncCustomer, 'modifiedAt'>): string | undefined {
  const ms = intacctTimestampMs(customer.modifiedAt);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** The later of two ISO 8601 times; undefined ones are ignored. */
export function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The storefront address in Intacct's mailing-address fields, clipped to Intacct's lengths. */
export function toIntacctMailAddress(address: NonNullable<StorefrontCustomerState['address']>): IntacctMailAddress {
  return {
    address1: clip(address.address1.trim(), intacctContactLimits.addressLine),
    address2: clip(address.address2.trim(), intacctContactLimits.addressLine),
    city: clip(address.city.trim(), intacctContactLimits.city),
    state: clip(address.state.trim(), intacctContactLimits.state),
    zip: clip(address.postalCode.trim(), intacctContactLimits.zip),
    country: clip(countryNameOf(address.countryCode) ?? address.country.trim(), intacctContactLimits.country),
  };
}

const sameAddress = (a: IntacctMailAddress, b: IntacctMailAddress) =>
  a.address1 === b.address1 &&
  a.address2 === b.address2 &&
  a.city === b.city &&
  a.state === b.state &&
  a.zip === b.zip &&
  a.country === b.country;

/**
 * What a storefront customer's change means for its linked Intacct customer: the fields whose
 * flow (per owner, and for `lastChange` per which side changed later) is `toIntacct` and whose
 * values differ, or `unchanged`, so a repeated or echoed change writes nothing. `storefrontChangedAt`
 * is when the store changed the customer: its `date_modified`, or a later webhook's time (an
 * address edit leaves `date_modified` alone). A store group not in `groups.customerTypes` leaves
 * the customer type alone.
 */
export function toIntacctCustomerChanges(
  store: StorefrontCustomerState,
  intacct: IntacctSyncCustomer,
  rules: CustomerSyncRules,
  storefrontChangedAt: string = store.modifiedAt,
): IntacctCustomerDecision {
  const times: CustomerFieldChanges = { storefrontChangedAt, intacctChangedAt: intacctChangedAt(intacct) };
  const toIntacct = (field: CustomerSyncField & keyof CustomerFieldDirections) =>
    customerFieldFlow(rules.fields[field], times) === 'toIntacct';
  const changes: { -readonly [K in keyof IntacctCustomerUpdate]: IntacctCustomerUpdate[K] } = {};
  const fields: CustomerSyncField[] = [];
  if (toIntacct('contact')) {
    const wanted = {
      firstName: clip(store.firstName.trim(), intacctContactLimits.firstName),
      lastName: clip(store.lastName.trim(), intacctContactLimits.lastName),
      companyName: clip(store.company.trim(), intacctContactLimits.companyName),
      phone: clip(store.phone.trim(), intacctContactLimits.phone),
    };
    for (const key of ['firstName', 'lastName', 'companyName', 'phone'] as const) {
      if (wanted[key] !== '' && wanted[key] !== intacct[key]) changes[key] = wanted[key];
    }
    if (Object.keys(changes).length > 0) fields.push('contact');
  }
  if (toIntacct('email')) {
    const email = clip(store.email.trim().toLowerCase(), intacctContactLimits.email);
    if (email !== '' && email !== intacct.email.toLowerCase()) {
      changes.email = email;
      fields.push('email');
    }
  }
  if (toIntacct('addresses') && store.address !== undefined) {
    const address = toIntacctMailAddress(store.address);
    if (address.address1 !== '' && !sameAddress(address, intacct.address)) {
      changes.address = address;
      fields.push('addresses');
    }
  }
  if (toIntacct('customerGroup')) {
    const type = store.groupId === '' ? undefined : rules.groups.customerTypes[store.groupId];
    if (type !== undefined && type !== intacct.customerType) {
      changes.customerType = type;
      fields.push('customerGroup');
    }
  }
  return fields.length === 0 ? { kind: 'unchanged' } : { kind: 'update', changes, fields };
}

/**
 * The storefront customer group Intacct's credit hold and price list ask for, or undefined when
 * they ask nothing of it: on hold (and `groups.creditHold` set), the hold group; otherwise the
 * price list's group when `groups.priceLists` names one; a customer released from hold and
 * without such a group leaves the hold group for no group (`''`).
 */
export function storefrontGroupFor(
  intacct: IntacctSyncCustomer,
  currentGroupId: string,
  rules: CustomerSyncRules,
  times: CustomerFieldChanges = {},
): string | undefined {
  const holdGroup = rules.groups.creditHold;
  const holdFlows = holdGroup !== undefined && customerFieldFlow(rules.fields.creditHold, times) === 'toStorefront';
  if (holdFlows && intacct.onHold) return holdGroup;
  const priceGroup =
    customerFieldFlow(rules.fields.priceGroup, times) === 'toStorefront' && intacct.priceList !== ''
      ? rules.groups.priceLists[intacct.priceList]
      : undefined;
  if (priceGroup !== undefined) return priceGroup;
  if (holdFlows && currentGroupId === holdGroup) return '';
  return undefined;
}

/**
 * What an Intacct customer's change means for its storefront customer: the group its credit hold
 * and price list ask for ({@link storefrontGroupFor}), and the contact and email fields whose flow
 * is `toStorefront` and differ (an empty Intacct value never blanks the store's). `unchanged` when
 * nothing differs, so a second poll over the same customers writes nothing. Payment terms have no
 * storefront field and are not carried.
 */
export function toStorefrontCustomerChanges(
  intacct: IntacctSyncCustomer,
  store: StorefrontCustomerState,
  rules: CustomerSyncRules,
): StorefrontCustomerDecision {
  const times: CustomerFieldChanges = { intacctChangedAt: intacctChangedAt(intacct), storefrontChangedAt: store.modifiedAt };
  const toStorefront = (field: 'contact' | 'email') => customerFieldFlow(rules.fields[field], times) === 'toStorefront';
  const change: StorefrontCustomerChange = { customerId: store.customerId };
  const fields: CustomerSyncField[] = [];
  if (toStorefront('contact')) {
    const pairs = [
      ['firstName', intacct.firstName, store.firstName],
      ['lastName', intacct.lastName, store.lastName],
      ['company', intacct.companyName, store.company],
      ['phone', intacct.phone, store.phone],
    ] as const;
    for (const [key, wanted, current] of pairs) if (wanted.trim() !== '' && wanted.trim() !== current) change[key] = wanted.trim();
    if (pairs.some(([key]) => change[key] !== undefined)) fields.push('contact');
  }
  if (toStorefront('email')) {
    const email = intacct.email.trim().toLowerCase();
    if (email !== '' && email !== store.email.toLowerCase()) {
      change.email = email;
      fields.push('email');
    }
  }
  const group = storefrontGroupFor(intacct, store.groupId, rules, times);
  if (group !== undefined && group !== store.groupId) {
    change.groupId = group;
    fields.push(group === rules.groups.creditHold || store.groupId === rules.groups.creditHold ? 'creditHold' : 'priceGroup');
  }
  return fields.length === 0 ? { kind: 'unchanged' } : { kind: 'update', change, fields };
}

/**
 * A short stamp of an Intacct customer's synced values (a hash: no contact details are kept).
 * The product records the stamp of what it wrote; a poll that reads a customer still at that
 * stamp is reading its own write and carries nothing back.
 */
export function intacctCustomerStamp(customer: IntacctSyncCustomer): string {
  const { address } = customer;
  return shortHash(
    JSON.stringify([
      customer.firstName,
      customer.lastName,
      customer.companyName,
      customer.phone,
      customer.email.toLowerCase(),
      address.address1,
      address.address2,
      address.city,
      address.state,
      address.zip,
      address.country,
      customer.customerType,
      customer.onHold,
      customer.priceList,
      customer.terms,
    ]),
  );
}

/** The Intacct customer as it is once `changes` are applied: what the product's own write leaves. */
export function withIntacctChanges(customer: IntacctSyncCustomer, changes: IntacctCustomerUpdate): IntacctSyncCustomer {
  return { ...customer, ...changes, address: changes.address ?? customer.address };
}

/**
 * A short stamp of a storefront customer's record fields (not its addresses, which the store
 * changes apart) and the time the store gave the change, as the product's own write left them.
 */
export function storefrontCustomerStamp(customer: StorefrontCustomerState): string {
  return shortHash(
    JSON.stringify([
      customer.email.toLowerCase(),
      customer.firstName,
      customer.lastName,
      customer.company,
      customer.phone,
      customer.groupId,
      customer.modifiedAt,
    ]),
  );
}

/**
 * Whether the changes a CustomerSync run was woken for are the store's echo of the product's own
 * write: every one a customer-record update (an address event is a shopper's, whatever the
 * record says) and the customer still exactly as the product's write left it.
 */
export function isOwnStorefrontEcho(topics: readonly string[], customer: StorefrontCustomerState, ownStamp: string | undefined): boolean {
  if (ownStamp === undefined || topics.length === 0) return false;
  return topics.every((topic) => topic === 'store/customer/updated') && storefrontCustomerStamp(customer) === ownStamp;
}
