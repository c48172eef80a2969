import type { FunctionHandler } from './context.js';
import { recordDeposit } from './deposits.js';
import { create, remove, update } from './generic-writes.js';
import { createIctransaction } from './inventory.js';
import { query } from './query.js';
import { read, readByName, readByQuery, readMore } from './reads.js';
import { createAradjustment, createArpayment, reverseArpayment } from './receivables.js';
import { createSotransaction, deleteSotransaction, updateSotransaction } from './sales-documents.js';

/** Every function the sandbox implements besides `getAPISession` (which the gateway answers itself). */
export const functionHandlers: Readonly<Record<string, FunctionHandler>> = {
  read,
  readByName,
  readByQuery,
  readMore,
  query,
  create,
  update,
  delete: remove,
  create_sotransaction: createSotransaction,
  update_sotransaction: updateSotransaction,
  delete_sotransaction: deleteSotransaction,
  create_ictransaction: createIctransaction,
  create_arpayment: createArpayment,
  reverse_arpayment: reverseArpayment,
  create_aradjustment: createAradjustment,
  record_deposit: recordDeposit,
};

/** Names whose schema declarations the sandbox validates in full. */
export const implementedFunctions: ReadonlySet<string> = new Set(['getAPISession', ...Object.keys(functionHandlers)]);
