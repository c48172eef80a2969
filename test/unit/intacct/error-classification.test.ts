import { describe, expect, it } from 'vitest';
import {
  classifyErrorMessage,
  classifyHttpStatus,
  isAlreadyRecorded,
  isInvalidSession,
  parseRetryAfter,
} from '../../../connectors/intacct/error-classification.js';
import { IntacctAuthConfigError, IntacctInputError, IntacctRetryableError } from '../../../connectors/intacct/errors.js';

const error = (errorno: string, description2: string, description = '', correction = '') => ({
  errorno,
  description,
  description2,
  correction,
});

describe('Intacct error classification', () => {
  it.each([
    ['control', error('XL03000003', 'XML Parse schema error: …'), IntacctInputError],
    ['control', error('XL03000006', '', 'Incorrect Intacct XML Partner ID or password.'), IntacctAuthConfigError],
    ['control', error('GW-0010', 'Too many requests'), IntacctRetryableError],
    ['authentication', error('XL03000006', 'Sign-in information is incorrect'), IntacctAuthConfigError],
    ['authentication', error('XL03000006', 'Invalid session p7Qx3n....'), IntacctRetryableError],
    ['authentication', error('XL03000006', 'Invalid Web Services Authorization.'), IntacctAuthConfigError],
    ['authentication', error('PL04000055', 'Company is unavailable'), IntacctAuthConfigError],
    ['function', error('BL34000061', 'Another Customer with the given value(s) C-1  already exists'), IntacctInputError],
    ['function', error('BL03000018', 'Location is required'), IntacctInputError],
    ['function', error('Invalid fields list NOTAFIELD', ''), IntacctInputError],
    ['function', error('DL02000001', 'There was an error processing the request.'), IntacctRetryableError],
    ['function', error('XL03000000', 'Please Try Again Later'), IntacctRetryableError],
    ['function', error('XL03000000', 'The Service is Temporarily Off-line'), IntacctRetryableError],
    ['function', error('BL00000000', 'You do not have permission for API operation CREATE on objects of type so'), IntacctAuthConfigError],
  ] as const)('%s %o → %o', (level, detail, expected) => {
    const classified = classifyErrorMessage({ level: level, errors: [detail], controlId: 'c1', functionName: 'f' });
    expect(classified).toBeInstanceOf(expected);
    expect(classified.vendorCode).toBe(detail.errorno);
    expect(classified.description2).toBe(detail.description2.replace(/Invalid session \S+/, 'Invalid session [redacted]'));
    expect(classified.controlId).toBe('c1');
    expect(classified.functionName).toBe('f');
  });

  it('never repeats the session id an invalid-session error quotes', () => {
    const classified = classifyErrorMessage({
      level: 'authentication',
      errors: [error('XL03000006', 'Invalid session p7Qx3nVd0b1Ykz9A..')],
    });
    expect(classified.message).not.toContain('p7Qx3n');
    expect(JSON.stringify(classified.errors)).not.toContain('p7Qx3n');
  });

  it('recognises the uniqueid replay answer wherever its text is', () => {
    expect(isAlreadyRecorded([error('XL03000004', 'A successful transaction has already been recorded with the control id so:1')])).toBe(
      true,
    );
    expect(isAlreadyRecorded([error('A successful transaction has already been recorded with the control id so:1', '')])).toBe(true);
    expect(isAlreadyRecorded([error('BL34000061', 'already exists')])).toBe(false);
  });

  it('recognises an invalid session by the prefix of description2', () => {
    expect(isInvalidSession([error('XL03000006', 'Invalid session abc..')])).toBe(true);
    expect(isInvalidSession([error('XL03000006', 'Sign-in information is incorrect')])).toBe(false);
  });

  it.each([
    [429, IntacctRetryableError, false],
    [500, IntacctRetryableError, true],
    [502, IntacctRetryableError, true],
    [503, IntacctRetryableError, true],
    [524, IntacctRetryableError, true],
    [401, IntacctAuthConfigError, false],
    [400, IntacctInputError, false],
    [404, IntacctInputError, false],
  ] as const)('HTTP %i without XML → %o (outcome unknown: %s)', (status, expected, unknown) => {
    const classified = classifyHttpStatus(status, 2000);
    expect(classified).toBeInstanceOf(expected);
    expect(classified.status).toBe(status);
    expect(classified.outcomeUnknown).toBe(unknown);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
