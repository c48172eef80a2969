import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { PersonalDataMatcher, readableTextsOf } from '../chaos/personal-data-scan.js';
import { personalDataOf, planOrders } from '../chaos/plan.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('the personal-data scan', () => {
  const matcher = new PersonalDataMatcher([
    { label: 'email of order 1', value: 'Grace.Chen.1@chaos.example' },
    { label: 'first name of order 1', value: 'Grace' },
    { label: 'first name of order 2', value: 'Grace' },
    { label: 'street of order 1', value: '77 Elm Blvd, Apt 4' },
    { label: 'too short', value: 'Al' },
  ]);

  it('when a text quotes a name, an email in another case or a street, then each is found once by its label, and a name inside a word is not', () => {
    expect(matcher.size).toBe(3);
    expect(matcher.find('{"first_name":"Grace","email":"grace.chen.1@CHAOS.example"} Grace again')).toEqual([
      'email of order 1',
      'first name of order 1 (and 1 more with the same value)',
    ]);
    expect(matcher.find('ship to 77 Elm Blvd, Apt 4')).toEqual(['street of order 1']);
    expect(matcher.find('a graceful Graceland shutdown; Al; grace.chen.10@chaos.example')).toEqual([]);
  });

  it('when an event holds an encrypted payload and a plain one, then only the plain one and the strings are read', () => {
    const event = {
      eventId: 5,
      activityTaskScheduledEventAttributes: {
        activityType: { name: 'resolveCustomer' },
        input: {
          payloads: [
            { metadata: { [METADATA_ENCODING_KEY]: bytes('binary/encrypted') }, data: bytes('{"first_name":"Grace"}') },
            { metadata: { [METADATA_ENCODING_KEY]: bytes('json/plain') }, data: bytes('{"street":"77 Elm Blvd, Apt 4"}') },
          ],
        },
      },
    };
    const readable = readableTextsOf(event);
    expect(readable).toMatchObject({ encryptedPayloads: 1, readablePayloads: 1 });
    expect(matcher.find(readable.texts.join('\n'))).toEqual(['street of order 1']);
  });

  it("when the chaos plan's orders are read, then every guest's email, names and street and every registered BigCommerce buyer's are listed", () => {
    const plans = planOrders(40, 3);
    const items = personalDataOf(plans);
    for (const plan of plans) {
      const labels = items.filter((item) => item.label.includes(`order ${plan.index} (`)).map((item) => item.label);
      const guest = plan.storefront === 'bigcommerce' || plan.body.customerId === undefined;
      if (guest) expect(labels.some((label) => label.startsWith('the email '))).toBe(true);
      if (guest) expect(labels.some((label) => label.startsWith('the street '))).toBe(true);
      if (guest) expect(labels.some((label) => label.startsWith('the last name '))).toBe(true);
    }
    const first = plans[0]!;
    const address = (first.body.billing_address ?? first.body.shippingAddress) as Record<string, string>;
    expect(items.map((item) => item.value)).toEqual(expect.arrayContaining([address.email, address.street_1 ?? address.line1]));
    expect(JSON.stringify(items.map((item) => item.label))).not.toContain('@');
  });
});
