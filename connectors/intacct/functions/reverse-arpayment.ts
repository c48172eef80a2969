import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';

/** `reverse_arpayment`: reverses a received payment (a compensation), by its RECORDNO. */
export function reverseArpayment(input: {
  readonly paymentKey: string;
  readonly dateReversed: BusinessDate;
  readonly description?: string;
}): XmlElement {
  return element('reverse_arpayment', [legacyDate('datereversed', input.dateReversed), ...optional('description', input.description)], {
    key: input.paymentKey,
  });
}
