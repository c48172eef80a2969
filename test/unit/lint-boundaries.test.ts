import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/index.js';

/**
 * The architecture's import rules are enforced by ESLint; these cases prove the rules fire
 * (a misconfigured glob would silently allow everything).
 */
// Probe files do not exist on disk, so the import rules are checked without type information.
const eslint = new ESLint({ cwd: projectRoot, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => /restricted-imports/.test(message.ruleId ?? '')).map((message) => message.message);
}

describe('import boundaries', () => {
  it.each([
    ['workflows/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['workflows/probe.ts', "import { createHash } from 'crypto';\nexport const x = createHash;\n"],
    ['workflows/probe.ts', "import { MongoClient } from 'mongodb';\nexport const x = MongoClient;\n"],
    ['workflows/probe.ts', "import got from 'got';\nexport const x = got;\n"],
    ['workflows/probe.ts', "import express from 'express';\nexport const x = express;\n"],
    ['workflows/probe.ts', "import { Client } from '@temporalio/client';\nexport const x = Client;\n"],
    ['workflows/probe.ts', "import { Context } from '@temporalio/activity';\nexport const x = Context;\n"],
    ['workflows/probe.ts', "import { Worker } from '@temporalio/worker';\nexport const x = Worker;\n"],
    ['workflows/probe.ts', "import { openDatabase } from '../store/database.js';\nexport const x = openDatabase;\n"],
    ['workflows/probe.ts', "import { createActivities } from '../activities/index.js';\nexport const x = createActivities;\n"],
    ['workflows/probe.ts', "import { x as y } from '../connectors/intacct/client.js';\nexport const x = y;\n"],
    ['mappers/probe.ts', "import { MongoClient } from 'mongodb';\nexport const x = MongoClient;\n"],
    ['mappers/probe.ts', "import { findTenant } from '../store/tenants.js';\nexport const x = findTenant;\n"],
    ['decisions/probe.ts', "import { MongoClient } from 'mongodb';\nexport const x = MongoClient;\n"],
    ['decisions/probe.ts', "import { findTenant } from '../store/tenants.js';\nexport const x = findTenant;\n"],
    ['sandbox/probe.ts', "import { x as y } from '../connectors/intacct/client.js';\nexport const x = y;\n"],
    ['connectors/probe.ts', "import { x as y } from '../sandbox/stack.js';\nexport const x = y;\n"],
    ['api/admin/probe.ts', "import { createProductWorker } from '../../workers/worker.js';\nexport const x = createProductWorker;\n"],
    ['api/probe.ts', "import { createActivities } from '../activities/index.js';\nexport const x = createActivities;\n"],
    ['activities/probe.ts', "import { startHousekeeping } from '../workers/housekeeping.js';\nexport const x = startHousekeeping;\n"],
    ['activities/probe.ts', "import { HttpError } from '../api/errors.js';\nexport const x = HttpError;\n"],
    [
      'activities/probe.ts',
      "import { vendorCallRetryPolicy } from '../workflows/activity-options.js';\nexport const x = vendorCallRetryPolicy;\n",
    ],
    ['api/probe.ts', "import type { orderToCash } from '../workflows/order-to-cash.js';\nexport type X = typeof orderToCash;\n"],
    ['api/webhooks/probe.ts', "import { x as y } from '../../workflows/index.js';\nexport const x = y;\n"],
    ['mappers/probe.ts', "import { x as y } from '../workflows/order-to-cash-failures.js';\nexport const x = y;\n"],
    ['store/probe.ts', "import { x as y } from '../workflows/self-check.js';\nexport const x = y;\n"],
    ['connectors/probe.ts', "import { x as y } from '../workflows/order-to-cash-contract.js';\nexport const x = y;\n"],
    ['connectors/probe.ts', "import { ActivityFailure } from '../activities/connector-failure.js';\nexport const x = ActivityFailure;\n"],
    ['connectors/intacct/probe.ts', "import { readSettings } from '../../store/settings.js';\nexport const x = readSettings;\n"],
    [
      'connectors/bigcommerce/probe.ts',
      "import type { TenantSettings } from '../../store/schemas/settings.js';\nexport type X = TenantSettings;\n",
    ],
    ['connectors/probe.ts', "import { HttpError } from '../api/errors.js';\nexport const x = HttpError;\n"],
    ['store/probe.ts', "import { HttpError } from '../api/errors.js';\nexport const x = HttpError;\n"],
    ['store/probe.ts', "import { createActivities } from '../activities/index.js';\nexport const x = createActivities;\n"],
    [
      'store/commands/probe.ts',
      "import { startHousekeeping } from '../../workers/housekeeping.js';\nexport const x = startHousekeeping;\n",
    ],
    ['schedules/probe.ts', "import { startHousekeeping } from '../workers/housekeeping.js';\nexport const x = startHousekeeping;\n"],
    ['schedules/probe.ts', "import { x as y } from '../workflows/order-sweep.js';\nexport const x = y;\n"],
  ])('refuses in %s: %s', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    [
      'workflows/probe.ts',
      "import type { SelfCheckActivities } from '../activities/self-check.js';\nexport type X = SelfCheckActivities;\n",
    ],
    ['workflows/probe.ts', "import { proxyActivities } from '@temporalio/workflow';\nexport const x = proxyActivities;\n"],
    ['activities/probe.ts', "import { MongoClient } from 'mongodb';\nexport const x = MongoClient;\n"],
    ['mappers/probe.ts', "import { parseTenantSettings } from '../store/schemas/settings.js';\nexport const x = parseTenantSettings;\n"],
    ['api/admin/probe.ts', "import { orderSweepSchedule } from '../../schedules/order-sweep.js';\nexport const x = orderSweepSchedule;\n"],
    ['api/probe.ts', "import { ConnectorClients } from '../connectors/clients.js';\nexport const x = ConnectorClients;\n"],
    [
      'api/probe.ts',
      "import { orderToCashWorkflowId } from '../workflows/order-to-cash-contract.js';\nexport const x = orderToCashWorkflowId;\n",
    ],
    ['activities/probe.ts', "import { TenantId } from '../workflows/search-attributes.js';\nexport const x = TenantId;\n"],
    [
      'mappers/probe.ts',
      "import type { InventoryReport } from '../workflows/inventory-reconcile-contract.js';\nexport type X = InventoryReport;\n",
    ],
    [
      'store/probe.ts',
      "import type { InventoryReport } from '../workflows/inventory-reconcile-contract.js';\nexport type X = InventoryReport;\n",
    ],
    ['schedules/probe.ts', "import { readSettings } from '../store/settings.js';\nexport const x = readSettings;\n"],
    ['connectors/probe.ts', "import { IntacctClient } from './intacct/index.js';\nexport const x = IntacctClient;\n"],
    ['workers/probe.ts', "import { createActivities } from '../activities/index.js';\nexport const x = createActivities;\n"],
  ])('allows in %s: %s', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, code)).toEqual([]);
  });
});
