import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createUtilitySpawner } from '../../../electron/utility-spawner.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined = undefined;
  readonly postMessage = vi.fn();
  readonly kill = vi.fn(() => true);
}

function spawn(modulePath = '/app/out/electron/worker.js') {
  const child = new FakeUtilityProcess();
  const fork = vi.fn(() => child);
  const job = createUtilitySpawner(fork as never)(modulePath, ['--x'], { AURA_KD_JOB_ID: 'j1' });
  return { child, fork, job };
}

describe('utility process spawner', () => {
  it('forks the worker module with the job environment added to the parent one', () => {
    process.env.AURA_TEST_PARENT_VAR = 'kept';
    const { fork } = spawn();
    delete process.env.AURA_TEST_PARENT_VAR;
    const [modulePath, args, options] = fork.mock.calls[0] as unknown as [string, string[], { env: Record<string, string>; serviceName: string; stdio: string }];
    expect(modulePath).toBe('/app/out/electron/worker.js');
    expect(args).toEqual(['--x']);
    expect(options.env.AURA_KD_JOB_ID).toBe('j1');
    expect(options.env.AURA_TEST_PARENT_VAR).toBe('kept');
    expect(options.serviceName).toBe('AURA-KD job');
    expect(options.stdio).toBe('inherit');
  });

  it('adapts messages, exit, pid, postMessage and kill to the JobProcess interface', () => {
    const { child, job } = spawn();
    expect(job.pid).toBeUndefined();
    child.pid = 4242;
    expect(job.pid).toBe(4242);
    const messages: unknown[] = [];
    const exits: (number | null)[] = [];
    job.on('message', (m) => messages.push(m));
    job.on('exit', (code) => exits.push(code));
    job.postMessage({ type: 'start' });
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'start' });
    child.emit('message', { type: 'progress', fraction: 0.5 });
    job.kill();
    expect(child.kill).toHaveBeenCalledTimes(1);
    child.emit('exit', 0);
    expect(messages).toEqual([{ type: 'progress', fraction: 0.5 }]);
    expect(exits).toEqual([0]);
    // After exit the child is gone: posting or killing again must not touch it.
    job.postMessage({ type: 'cancel' });
    job.kill();
    expect(child.postMessage).toHaveBeenCalledTimes(1);
    expect(child.kill).toHaveBeenCalledTimes(1);
  });

  it('refuses a TypeScript worker path (the utility process runs built JavaScript only)', () => {
    expect(() => spawn('/repo/main/jobs/worker.ts')).toThrow('Job worker must be a built JavaScript module, got: /repo/main/jobs/worker.ts');
    expect(() => spawn('/app/out/electron/worker.mjs')).not.toThrow();
  });
});
