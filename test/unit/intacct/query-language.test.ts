import { describe, expect, it } from 'vitest';
import { QuerySyntaxError, matches, parseQuery } from '../../../sandbox/intacct/query-language.js';

const row = {
  CUSTOMERID: 'C-1002',
  NAME: "Erin's Deli",
  STATUS: 'active',
  TOTAL: '39.98',
  WHENCREATED: '01/10/2026',
  PONUMBER: '',
  'DISPLAYCONTACT.EMAIL1': 'erin@deli.example',
};

describe('Intacct sandbox readByQuery language', () => {
  it.each([
    ['', true],
    ["CUSTOMERID = 'C-1002'", true],
    ["CUSTOMERID = 'c-1002'", false],
    ["NAME = 'Erin\\'s Deli'", true],
    ["CUSTOMERID != 'C-1002'", false],
    ["CUSTOMERID <> 'X'", true],
    ['TOTAL > 39.9', true],
    ['TOTAL >= 39.98', true],
    ['TOTAL < 5', false],
    ["TOTAL <= '100'", true],
    ["WHENCREATED > '12/31/2025'", true],
    ["WHENCREATED < '01/10/2026'", false],
    ["CUSTOMERID IN ('C-1001', 'C-1002')", true],
    ["CUSTOMERID NOT IN ('C-1001', 'C-1002')", false],
    ["NAME LIKE 'Erin%'", true],
    ["NAME LIKE 'erin%'", false],
    ["NAME NOT LIKE '%Deli'", false],
    ["CUSTOMERID LIKE 'C-100_'", true],
    ['PONUMBER IS NULL', true],
    ['MISSINGFIELD IS NULL', true],
    ['NAME IS NOT NULL', true],
    ["STATUS = 'T'", true],
    ["STATUS = 'active'", false],
    ["DISPLAYCONTACT.EMAIL1 = 'erin@deli.example'", true],
    ["CUSTOMERID = 'X' OR NAME LIKE 'E%'", true],
    ["CUSTOMERID = 'X' OR NAME LIKE 'E%' AND STATUS = 'F'", false],
    ["(CUSTOMERID = 'X' OR NAME LIKE 'E%') AND STATUS = 'T'", true],
    ["NOT CUSTOMERID = 'X'", true],
    ["customerid = 'C-1002' and status = 'T'", true],
  ])('%s → %s', (query, expected) => {
    expect(matches(parseQuery(query), row)).toBe(expected);
  });

  it.each([
    "CUSTOMERID = 'unterminated",
    "CUSTOMERID 'x'",
    "CUSTOMERID = 'x' AND",
    "(CUSTOMERID = 'x'",
    "CUSTOMERID ! 'x'",
    "CUSTOMERID IS 'x'",
    "CUSTOMERID = 'x' 'y'",
  ])('refuses %s', (query) => {
    expect(() => parseQuery(query)).toThrow(QuerySyntaxError);
  });
});
