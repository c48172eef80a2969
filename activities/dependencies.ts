import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { GuestMappingKeys } from '../store/guest-mapping-keys.js';
import type { AttentionEvents } from './attention-events.js';
import type { TenantConnections } from './tenant-connections.js';

/** Everything activities need from the process that hosts them; built once by the worker. */
export interface ActivityDependencies {
  db: Db;
  connections: TenantConnections;
  /** For activities that start workflows (the sweep, backfill). */
  temporal?: { client: Client; taskQueue: string };
  /** Told of attention items opened and resolved (the worker's metrics); optional. */
  attentionEvents?: AttentionEvents;
  /** How a guest's email is keyed in the customers mapping table (the worker passes its configured keys); the sandbox's when absent. */
  guestMappingKeys?: GuestMappingKeys;
}
