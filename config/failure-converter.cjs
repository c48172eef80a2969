// @ts-check
'use strict';
/**
 * The failure converter of the product's data converter (config/payload-encryption.ts):
 * Temporal's default one with `encodeCommonAttributes`, so a failure's message and stack trace
 * travel as an encoded payload (which the payload codec encrypts) and history shows only
 * "Encoded failure". A vendor's refusal can quote a shopper's name, email or address.
 *
 * CommonJS on purpose: the SDK `require`s this path in every process (the worker, the clients,
 * the tests under vitest, where `.ts` cannot be required) and bundles it into the workflow code.
 */
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
