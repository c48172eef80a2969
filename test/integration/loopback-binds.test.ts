import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, projectRoot } from '../../config/index.js';
import { startSandboxes, type RunningSandboxes } from '../../sandbox/sandboxes.js';

// Finding 8 of the security review: sandbox mode listened on 0.0.0.0, so anyone on the network
// reached the API and the sandboxes' unauthenticated control APIs.

/** The machine's own addresses other than loopback (what a neighbour on the network would dial). */
const outsideAddresses = Object.values(os.networkInterfaces())
  .flat()
  .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
  .map((address) => address!.address);

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function expectLoopbackOnly(port: number, what: string): Promise<void> {
  expect(await connects('127.0.0.1', port), `${what} answers on loopback`).toBe(true);
  for (const address of outsideAddresses) expect(await connects(address, port), `${what} on ${address}:${port}`).toBe(false);
}

describe('sandbox mode listens on loopback by default', () => {
  let sandboxes: RunningSandboxes | undefined;
  afterAll(async () => {
    await sandboxes?.close();
  });

  it('when the sandboxes start with the default configuration then other machines cannot reach them', async () => {
    const config = loadConfig({
      INTACCT_SANDBOX_PORT: '0',
      BIGCOMMERCE_SANDBOX_PORT: '0',
      CLARITY_SANDBOX_PORT: '0',
      STRIPE_SANDBOX_PORT: '0',
    });
    sandboxes = await startSandboxes(config);
    for (const [name, url] of Object.entries(sandboxes.urls)) await expectLoopbackOnly(Number(new URL(url).port), `${name} sandbox`);
  });

  it('when the API process starts with the default configuration then other machines cannot reach it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'api/main.ts')], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        API_PORT: '0',
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        MONGODB_URI: inject('mongoUri'),
        MONGODB_DATABASE: `binds_${process.pid}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const listening = /"port":(\d+)[^\n]*"msg":"API listening"/.exec(output);
          if (listening) resolve(Number(listening[1]));
        });
        child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening: ${output.slice(-500)}`)));
      });
      await expectLoopbackOnly(port, 'API');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
