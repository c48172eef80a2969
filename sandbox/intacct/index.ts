/** Sage Intacct XML gateway sandbox: `startIntacctSandbox` and the types to configure it. */
export { startIntacctSandbox, createIntacctSandboxApp, gatewayPath, type RunningIntacctSandbox } from './server.js';
export type { IntacctSandboxOptions } from './options.js';
export {
  demoCredentials,
  salesDefinitions,
  inventoryDefinitions,
  type IntacctSandboxSeed,
  type SandboxSender,
  type SandboxUser,
  type SalesDefinition,
  type InventoryDefinition,
  type WarehouseQuantityFields,
} from './seed.js';
export { defaultErrorNumbers, type SandboxErrorKind } from './error-catalogue.js';
export { faultKinds, type FaultRule } from './faults.js';
export type { RequestLogEntry } from './request-log.js';

/** Default port of the Intacct sandbox. */
export const defaultIntacctSandboxPort = 4001;
