import { describe, expect, it } from 'vitest';
import { IntacctRequestSlots } from '../../../connectors/intacct/request-slots.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

describe('IntacctRequestSlots', () => {
  it('when more requests than the limit arrive for one company, then the others wait and run in order as slots free', async () => {
    const slots = new IntacctRequestSlots(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      slots.run('CO-A', async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.load('CO-A')).toEqual({ inFlight: 2, waiting: 2 });
    gates[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    gates[3]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(slots.load('CO-A')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('when an installation limit is given, then each request runs inside one of its company slots, after the process slot', async () => {
    const held: Array<{ key: string; limit: number; localInFlight: number }> = [];
    const slots: IntacctRequestSlots = new IntacctRequestSlots({
      perCompany: 2,
      installation: {
        hold: (key, limit, work) => {
          held.push({ key, limit, localInFlight: slots.load('CO-A').inFlight });
          return work();
        },
      },
    });
    expect(await slots.run('CO-A', () => Promise.resolve('sent'), 'tenant-1')).toBe('sent');
    expect(held).toEqual([{ key: 'intacct:CO-A', limit: 2, localInFlight: 1 }]);
  });

  it('when requests of another company arrive, then they do not wait for the first company', async () => {
    const slots = new IntacctRequestSlots(1);
    const gate = deferred();
    const first = slots.run('CO-A', () => gate.promise);
    expect(await slots.run('CO-B', () => Promise.resolve('other company ran'))).toBe('other company ran');
    gate.resolve();
    await first;
  });

  it('when a request fails, then its slot is freed for the next one', async () => {
    const slots = new IntacctRequestSlots(1);
    await expect(slots.run('CO-A', () => Promise.reject(new Error('503')))).rejects.toThrow('503');
    expect(await slots.run('CO-A', () => Promise.resolve('next'))).toBe('next');
    expect(slots.load('CO-A')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('when the limit is not a positive integer, then construction fails', () => {
    expect(() => new IntacctRequestSlots(0)).toThrow(RangeError);
  });
});

describe('IntacctRequestSlots caps', () => {
  const hang = () => {
    const gate = deferred();
    return { gate, send: () => gate.promise };
  };

  it("when one tenant's requests hang at many keys, then it holds at most its share and another tenant's request starts at once", async () => {
    const slots = new IntacctRequestSlots({ perCompany: 2, perTenant: 3, total: 10 });
    const held = Array.from({ length: 8 }, () => hang());
    const runs = held.map((request, index) => slots.run(`made-up-${index % 4}`, request.send, 'attacker'));
    await Promise.resolve();
    expect(slots.totalLoad()).toEqual({ inFlight: 3, waiting: 5 });
    expect(await slots.run('victim-company', () => Promise.resolve('ran'), 'victim')).toBe('ran');
    for (const request of held) request.gate.resolve();
    await Promise.all(runs);
    expect(slots.totalLoad()).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('when the process total is reached, then the next request waits for any slot to free, whatever its key', async () => {
    const slots = new IntacctRequestSlots({ perCompany: 2, perTenant: 2, total: 3 });
    const held = [hang(), hang(), hang()];
    const runs = held.map((request, index) => slots.run(`co-${index}`, request.send, `tenant-${index}`));
    let started = false;
    const next = slots.run(
      'co-other',
      () => {
        started = true;
        return Promise.resolve();
      },
      'tenant-other',
    );
    await Promise.resolve();
    expect(started).toBe(false);
    expect(slots.totalLoad()).toEqual({ inFlight: 3, waiting: 1 });
    held[1]!.gate.resolve();
    await runs[1];
    await next;
    expect(started).toBe(true);
    held[0]!.gate.resolve();
    held[2]!.gate.resolve();
    await Promise.all(runs);
  });

  it('when a waiter is blocked by its own key, then a later waiter of another key that fits starts when a slot frees', async () => {
    const slots = new IntacctRequestSlots({ perCompany: 1, perTenant: 5, total: 2 });
    const a = hang();
    const b = hang();
    const runA = slots.run('co-a', a.send);
    const runB = slots.run('co-b', b.send);
    const order: string[] = [];
    const secondA = slots.run('co-a', () => Promise.resolve(order.push('co-a')));
    const c = slots.run('co-c', () => Promise.resolve(order.push('co-c')));
    b.gate.resolve();
    await runB;
    await c;
    expect(order).toEqual(['co-c']);
    a.gate.resolve();
    await Promise.all([runA, secondA]);
    expect(order).toEqual(['co-c', 'co-a']);
    expect(slots.load('co-a')).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('when the caps are not positive integers, then construction fails', () => {
    expect(() => new IntacctRequestSlots({ perTenant: 0 })).toThrow(RangeError);
    expect(() => new IntacctRequestSlots({ total: 1.5 })).toThrow(RangeError);
  });
});
