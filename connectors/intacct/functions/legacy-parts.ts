import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';

/** A custom field of a legacy function (`customfieldname`/`customfieldvalue`). */
export interface CustomFieldValue {
  readonly name: string;
  readonly value: string;
}

/** Postal address of an inline contact. */
export interface MailAddress {
  readonly address1?: string;
  readonly address2?: string;
  readonly city?: string;
  readonly state?: string;
  readonly zip?: string;
  readonly country?: string;
  readonly isoCountryCode?: string;
}

/** An inline contact, created with the document. */
export interface InlineContact {
  readonly contactName: string;
  readonly printAs: string;
  readonly companyName?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly phone1?: string;
  readonly email1?: string;
  readonly mailAddress?: MailAddress;
}

/** Bill-to/ship-to: an existing contact by name, or an inline one. */
export type DocumentContact = { readonly contactName: string } | { readonly contact: InlineContact };

/**
 * Currency of a legacy document: base currency, transaction currency, then either a rate type
 * (with an optional rate date) or an explicit rate: all or nothing, in this order.
 */
export type LegacyCurrency =
  | {
      readonly baseCurrency?: string;
      readonly currency: string;
      readonly exchangeRateDate?: BusinessDate;
      readonly exchangeRateType: string;
    }
  | { readonly baseCurrency?: string; readonly currency: string; readonly exchangeRate: string };

/** `<customfields>` when there are any. */
export function customFieldsElement(fields: readonly CustomFieldValue[] | undefined): XmlElement[] {
  if (fields === undefined || fields.length === 0) return [];
  return [
    element(
      'customfields',
      fields.map((field) => element('customfield', [element('customfieldname', field.name), element('customfieldvalue', field.value)])),
    ),
  ];
}

/** `<shipto>`/`<billto>` in schema order. */
export function contactElement(name: 'shipto' | 'billto', contact: DocumentContact | undefined): XmlElement[] {
  if (contact === undefined) return [];
  if ('contactName' in contact) return [element(name, [element('contactname', contact.contactName)])];
  const c = contact.contact;
  const address = c.mailAddress;
  return [
    element(name, [
      element('contact', [
        element('contactname', c.contactName),
        element('printas', c.printAs),
        ...optional('companyname', c.companyName),
        ...optional('firstname', c.firstName),
        ...optional('lastname', c.lastName),
        ...optional('phone1', c.phone1),
        ...optional('email1', c.email1),
        ...(address === undefined
          ? []
          : [
              element('mailaddress', [
                ...optional('address1', address.address1),
                ...optional('address2', address.address2),
                ...optional('city', address.city),
                ...optional('state', address.state),
                ...optional('zip', address.zip),
                ...optional('country', address.country),
                ...optional('isocountrycode', address.isoCountryCode),
              ]),
            ]),
      ]),
    ]),
  ];
}

/** The legacy multi-currency block, or nothing for a single-currency company. */
export function currencyElements(currency: LegacyCurrency | undefined): XmlElement[] {
  if (currency === undefined) return [];
  return [
    ...optional('basecurr', currency.baseCurrency),
    element('currency', currency.currency),
    ...('exchangeRate' in currency
      ? [element('exchrate', currency.exchangeRate)]
      : [
          ...(currency.exchangeRateDate === undefined ? [] : [legacyDate('exchratedate', currency.exchangeRateDate)]),
          element('exchratetype', currency.exchangeRateType),
        ]),
  ];
}
