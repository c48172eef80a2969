import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { Connection } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { listen, type RunningServer } from '../../api/server.js';
import { temporalIsServing } from '../../config/temporal.js';
import { findFreePort, startFerretDb, startTemporalDevServer, type LocalMongo, type LocalTemporal } from '../../sandbox/runtime/servers.js';
import { databaseIsReachable, openDatabase, type Database } from '../../store/database.js';

/**
 * /readyz against servers of this test's own (the run's shared servers must stay up), so
 * stopping them shows the API noticing.
 */
describe('/readyz against real Temporal and FerretDB', () => {
  let workDir: string;
  let temporal: LocalTemporal;
  let mongo: LocalMongo;
  let connection: Connection;
  let database: Database;
  let api: RunningServer;

  beforeAll(async () => {
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'readyz-'));
    [temporal, mongo] = await Promise.all([
      startTemporalDevServer({
        cliPath: inject('temporalCliPath'),
        port: await findFreePort(),
        uiPort: undefined,
        databaseFile: undefined,
        namespace: 'default',
        searchAttributes: {},
        logFile: path.join(workDir, 'temporal.log'),
      }),
      startFerretDb({
        ferretDbPath: inject('ferretDbPath'),
        port: await findFreePort(),
        dataDir: path.join(workDir, 'ferretdb'),
        logFile: path.join(workDir, 'ferretdb.log'),
      }),
    ]);
    connection = Connection.lazy({ address: temporal.address });
    database = openDatabase({ uri: mongo.uri, database: 'readyz', serverSelectionTimeoutMs: 1_000 });
    const app = createApp({
      logger: pino({ level: 'silent' }),
      readinessChecks: { temporal: () => temporalIsServing(connection, 1_000), mongodb: () => databaseIsReachable(database.db) },
      readinessTimeoutMs: 1_500,
    });
    api = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await api?.close();
    await connection?.close().catch(() => undefined);
    await database?.close();
    await Promise.all([temporal?.stop(), mongo?.stop()]);
    await fs.rm(workDir, { recursive: true, force: true });
  });

  const readyz = async () => {
    const response = await fetch(`${api.url}/readyz`);
    return { status: response.status, body: await response.json() };
  };

  it('when both servers answer then it reports ready with both up', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', dependencies: { temporal: 'up', mongodb: 'up' } } });
  });

  it('when FerretDB is stopped then it answers 503 naming mongodb down and temporal still up', async () => {
    await mongo.stop();
    expect(await readyz()).toEqual({ status: 503, body: { status: 'not_ready', dependencies: { temporal: 'up', mongodb: 'down' } } });
  });

  it('when the Temporal server is stopped too then both are reported down', async () => {
    await temporal.stop();
    expect(await readyz()).toEqual({ status: 503, body: { status: 'not_ready', dependencies: { temporal: 'down', mongodb: 'down' } } });
  });

  it('keeps answering /healthz while dependencies are down (liveness is not readiness)', async () => {
    const response = await fetch(`${api.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
