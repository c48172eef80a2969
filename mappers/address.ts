import type { CanonicalAddress } from './canonical-order.js';

/** An address as a storefront hands it over, before standardisation. Missing text may be null. */
export interface RawAddress {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  /** A country name or code in any case: "United States", "usa", "U.S.A.", "US". */
  country: string;
  email?: string | null;
  phone?: string | null;
}

/**
 * The standardised address, and whether its country could be read. An unrecognised country is
 * kept as given (trimmed) in `address.country` and flagged, never guessed: the order mappers
 * turn the flag into an `OrderMappingError` problem so the order is parked with the reason.
 */
export interface StandardisedAddress {
  address: CanonicalAddress;
  unrecognisedCountry: boolean;
}

/** Every officially assigned ISO 3166-1 alpha-2 code. */
const alpha2Codes = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
    'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT ' +
    'JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ ' +
    'NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ ' +
    'TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** Names and alpha-3 codes of the countries storefronts send most, keyed by `countryKey`. */
const countryAliases: Readonly<Record<string, string>> = {
  unitedstates: 'US',
  unitedstatesofamerica: 'US',
  usa: 'US',
  america: 'US',
  canada: 'CA',
  can: 'CA',
  unitedkingdom: 'GB',
  greatbritain: 'GB',
  uk: 'GB',
  gbr: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  northernireland: 'GB',
  germany: 'DE',
  deutschland: 'DE',
  deu: 'DE',
  france: 'FR',
  fra: 'FR',
  australia: 'AU',
  aus: 'AU',
  netherlands: 'NL',
  thenetherlands: 'NL',
  holland: 'NL',
  nld: 'NL',
  ireland: 'IE',
  irl: 'IE',
  newzealand: 'NZ',
  nzl: 'NZ',
  mexico: 'MX',
  mex: 'MX',
  japan: 'JP',
  jpn: 'JP',
  spain: 'ES',
  esp: 'ES',
  italy: 'IT',
  ita: 'IT',
  belgium: 'BE',
  bel: 'BE',
  switzerland: 'CH',
  che: 'CH',
  austria: 'AT',
  aut: 'AT',
  sweden: 'SE',
  swe: 'SE',
  norway: 'NO',
  nor: 'NO',
  denmark: 'DK',
  dnk: 'DK',
  finland: 'FI',
  fin: 'FI',
  portugal: 'PT',
  prt: 'PT',
  china: 'CN',
  chn: 'CN',
  india: 'IN',
  ind: 'IN',
  singapore: 'SG',
  sgp: 'SG',
  southafrica: 'ZA',
  zaf: 'ZA',
  brazil: 'BR',
  bra: 'BR',
  puertorico: 'PR',
  pri: 'PR',
};

/** US states, DC and the inhabited territories: ISO 3166-2:US suffixes. */
const usRegions: Readonly<Record<string, string>> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  districtofcolumbia: 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  newhampshire: 'NH',
  newjersey: 'NJ',
  newmexico: 'NM',
  newyork: 'NY',
  northcarolina: 'NC',
  northdakota: 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  rhodeisland: 'RI',
  southcarolina: 'SC',
  southdakota: 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  westvirginia: 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  americansamoa: 'AS',
  guam: 'GU',
  northernmarianaislands: 'MP',
  puertorico: 'PR',
  usvirginislands: 'VI',
  virginislands: 'VI',
  unitedstatesminoroutlyingislands: 'UM',
};

/** Canadian provinces and territories: ISO 3166-2:CA suffixes. */
const caRegions: Readonly<Record<string, string>> = {
  alberta: 'AB',
  britishcolumbia: 'BC',
  manitoba: 'MB',
  newbrunswick: 'NB',
  newfoundlandandlabrador: 'NL',
  newfoundland: 'NL',
  novascotia: 'NS',
  ontario: 'ON',
  princeedwardisland: 'PE',
  quebec: 'QC',
  saskatchewan: 'SK',
  northwestterritories: 'NT',
  nunavut: 'NU',
  yukon: 'YT',
  yukonterritory: 'YT',
};

const regionTables: Readonly<Record<string, Readonly<Record<string, string>>>> = { US: usRegions, CA: caRegions };

/** Trims and collapses runs of whitespace; empty text becomes undefined. */
function clean(text: string | null | undefined): string | undefined {
  const cleaned = (text ?? '').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? undefined : cleaned;
}

/** Lower-case letters only, accents dropped: "U.S.A." → "usa", "Québec" → "quebec". */
function lookupKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * ISO 3166-1 alpha-2 for a country name or code ("United States", "USA", "U.S.A.", "us" →
 * "US"; "UK" → "GB"), or undefined when it is not recognised. Any assigned alpha-2 code is
 * accepted; names and alpha-3 codes only for the countries in the alias table.
 */
export function countryCode(text: string): string | undefined {
  const key = lookupKey(text);
  if (key === '') return undefined;
  if (key.length === 2 && alpha2Codes.has(key.toUpperCase())) return key.toUpperCase();
  return countryAliases[key];
}

/**
 * The ISO 3166-2 subdivision suffix for US states and Canadian provinces, from a name or a
 * code in any case ("Texas", "tx" → "TX"; "Ontario" → "ON"). Other countries' regions, and
 * regions not in the table, are kept as given, trimmed.
 */
export function regionCode(text: string | null | undefined, country: string): string | undefined {
  const cleaned = clean(text);
  if (cleaned === undefined) return undefined;
  const table = regionTables[country];
  if (!table) return cleaned;
  const key = lookupKey(cleaned);
  const codes = Object.values(table);
  if (key.length === 2 && codes.includes(key.toUpperCase())) return key.toUpperCase();
  return table[key] ?? cleaned;
}

/**
 * Standardises an address: every field trimmed with inner whitespace collapsed and empty
 * optional fields dropped; names, company, street and city kept in the case given; country
 * to ISO 3166-1 alpha-2 (unrecognised: kept as given and flagged); region to the ISO 3166-2
 * suffix for US and CA; postal codes upper-cased (letters occur in GB, CA, NL, IE and others,
 * and digits are unaffected); email addresses lower-cased so that matching by email is stable.
 */
export function standardiseAddress(raw: RawAddress): StandardisedAddress {
  const givenCountry = clean(raw.country) ?? '';
  const code = countryCode(givenCountry);
  const country = code ?? givenCountry;
  const address: CanonicalAddress = {
    firstName: clean(raw.firstName) ?? '',
    lastName: clean(raw.lastName) ?? '',
    line1: clean(raw.line1) ?? '',
    city: clean(raw.city) ?? '',
    country,
  };
  const company = clean(raw.company);
  if (company !== undefined) address.company = company;
  const line2 = clean(raw.line2);
  if (line2 !== undefined) address.line2 = line2;
  const region = regionCode(raw.region, country);
  if (region !== undefined) address.region = region;
  const postalCode = clean(raw.postalCode)?.toUpperCase();
  if (postalCode !== undefined) address.postalCode = postalCode;
  const email = clean(raw.email)?.toLowerCase();
  if (email !== undefined) address.email = email;
  const phone = clean(raw.phone);
  if (phone !== undefined) address.phone = phone;
  return { address, unrecognisedCountry: code === undefined };
}
