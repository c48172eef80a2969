import { describe, expect, it } from 'vitest';
import { countryCode, regionCode, standardiseAddress, type RawAddress } from './address.js';

describe('countryCode', () => {
  it.each([
    ['United States', 'US'],
    ['USA', 'US'],
    ['US', 'US'],
    ['U.S.A.', 'US'],
    ['  united   states of america ', 'US'],
    ['us', 'US'],
    ['Canada', 'CA'],
    ['CAN', 'CA'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['gb', 'GB'],
    ['Great Britain', 'GB'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['France', 'FR'],
    ['Australia', 'AU'],
    ['The Netherlands', 'NL'],
    ['Netherlands', 'NL'],
    ['Ireland', 'IE'],
    ['New Zealand', 'NZ'],
    ['México', 'MX'],
    ['Japan', 'JP'],
    ['JPN', 'JP'],
    ['SE', 'SE'],
  ])('%j → %s', (text, code) => {
    expect(countryCode(text)).toBe(code);
  });

  it.each(['Narnia', 'XX', 'ZZZ', '', '  '])('%j is not recognised', (text) => {
    expect(countryCode(text)).toBeUndefined();
  });
});

describe('regionCode', () => {
  it.each([
    ['Texas', 'US', 'TX'],
    ['tx', 'US', 'TX'],
    [' TX ', 'US', 'TX'],
    ['New  York', 'US', 'NY'],
    ['District of Columbia', 'US', 'DC'],
    ['Ontario', 'CA', 'ON'],
    ['on', 'CA', 'ON'],
    ['Québec', 'CA', 'QC'],
    ['British Columbia', 'CA', 'BC'],
    ['New South Wales', 'AU', 'New South Wales'],
    ['  Bayern ', 'DE', 'Bayern'],
    ['Atlantis', 'US', 'Atlantis'],
  ])('%j in %s → %j', (text, country, code) => {
    expect(regionCode(text, country)).toBe(code);
  });

  it.each([[''], ['   '], [null], [undefined]])('%j → undefined', (text) => {
    expect(regionCode(text, 'US')).toBeUndefined();
  });
});

describe('standardiseAddress', () => {
  const base: RawAddress = {
    firstName: 'Jane',
    lastName: 'Doe',
    line1: '555 East Street',
    city: 'Austin',
    region: 'Texas',
    postalCode: '78701',
    country: 'United States',
  };

  it.each<[string, RawAddress, ReturnType<typeof standardiseAddress>]>([
    [
      'a plain US address',
      base,
      {
        address: {
          firstName: 'Jane',
          lastName: 'Doe',
          line1: '555 East Street',
          city: 'Austin',
          region: 'TX',
          postalCode: '78701',
          country: 'US',
        },
        unrecognisedCountry: false,
      },
    ],
    [
      'whitespace trimmed and collapsed, names keep their case, empty optionals dropped, email lower-cased',
      {
        firstName: '  mary-jane ',
        lastName: " O'Neil  ",
        company: '   ',
        line1: ' 12   Lake   Road ',
        line2: '',
        city: ' New   York ',
        region: ' new york ',
        postalCode: ' 10001 ',
        country: ' usa ',
        email: ' Mary.ONeil@Example.COM ',
        phone: ' +1 212  555 0100 ',
      },
      {
        address: {
          firstName: 'mary-jane',
          lastName: "O'Neil",
          line1: '12 Lake Road',
          city: 'New York',
          region: 'NY',
          postalCode: '10001',
          country: 'US',
          email: 'mary.oneil@example.com',
          phone: '+1 212 555 0100',
        },
        unrecognisedCountry: false,
      },
    ],
    [
      'GB postcode upper-cased, county kept',
      {
        firstName: 'Tom',
        lastName: 'Baker',
        company: 'Acme Ltd',
        line1: '10 Downing Street',
        line2: 'Flat 2',
        city: 'London',
        region: 'Greater London',
        postalCode: 'sw1a 2aa',
        country: 'UK',
      },
      {
        address: {
          firstName: 'Tom',
          lastName: 'Baker',
          company: 'Acme Ltd',
          line1: '10 Downing Street',
          line2: 'Flat 2',
          city: 'London',
          region: 'Greater London',
          postalCode: 'SW1A 2AA',
          country: 'GB',
        },
        unrecognisedCountry: false,
      },
    ],
    [
      'Canadian province name and lower-case postal code',
      {
        firstName: 'Luc',
        lastName: 'Roy',
        line1: '1 Rue Principale',
        city: 'Montréal',
        region: 'quebec',
        postalCode: 'h2x  1y4',
        country: 'Canada',
      },
      {
        address: {
          firstName: 'Luc',
          lastName: 'Roy',
          line1: '1 Rue Principale',
          city: 'Montréal',
          region: 'QC',
          postalCode: 'H2X 1Y4',
          country: 'CA',
        },
        unrecognisedCountry: false,
      },
    ],
    [
      'Dutch postcode',
      {
        firstName: 'Eva',
        lastName: 'de Vries',
        line1: 'Damrak 1',
        city: 'Amsterdam',
        region: null,
        postalCode: '1012lg',
        country: 'Netherlands',
      },
      {
        address: { firstName: 'Eva', lastName: 'de Vries', line1: 'Damrak 1', city: 'Amsterdam', postalCode: '1012LG', country: 'NL' },
        unrecognisedCountry: false,
      },
    ],
    [
      'unknown country: kept as given (trimmed) and flagged, region kept as text',
      { ...base, region: ' Texas ', country: '  Narnia ' },
      {
        address: {
          firstName: 'Jane',
          lastName: 'Doe',
          line1: '555 East Street',
          city: 'Austin',
          region: 'Texas',
          postalCode: '78701',
          country: 'Narnia',
        },
        unrecognisedCountry: true,
      },
    ],
    [
      'missing country',
      { ...base, country: '' },
      {
        address: {
          firstName: 'Jane',
          lastName: 'Doe',
          line1: '555 East Street',
          city: 'Austin',
          region: 'Texas',
          postalCode: '78701',
          country: '',
        },
        unrecognisedCountry: true,
      },
    ],
  ])('%s', (_case, raw, expected) => {
    expect(standardiseAddress(raw)).toStrictEqual(expected);
  });
});
