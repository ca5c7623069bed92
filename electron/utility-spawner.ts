/**
 * Job processes in the desktop app run as Electron utility processes (the runAsNode fuse is off,
 * so child_process.fork of the Electron binary is not available). The worker module receives
 * messages on `process.parentPort` ('message' events carry `{ data }`) and answers with
 * `process.parentPort.postMessage(…)`.
 */
import { utilityProcess, type ForkOptions, type UtilityProcess } from 'electron';
import type { JobProcess, ProcessSpawner } from '../main/api/service-types.js';

type Fork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

/** Wrap an UtilityProcess in the JobProcess interface the job manager drives. */
export function adaptUtilityProcess(child: UtilityProcess): JobProcess {
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const adapted = {
    get pid() {
      return child.pid;
    },
    postMessage(message: unknown) {
      if (!exited) child.postMessage(message);
    },
    on(event: 'message' | 'exit', listener: (value: never) => void) {
      if (event === 'message') child.on('message', (message: unknown) => (listener as (m: unknown) => void)(message));
      else child.on('exit', (code: number) => (listener as (c: number | null) => void)(code));
    },
    kill() {
      if (!exited) child.kill();
    },
  };
  return adapted as JobProcess;
}

/** A ProcessSpawner backed by utilityProcess.fork (call it only after app 'ready'). */
export function createUtilitySpawner(fork: Fork = (...a) => utilityProcess.fork(...a)): ProcessSpawner {
  return (modulePath, args, env) => {
    if (!/\.(c|m)?js$/.test(modulePath)) throw new Error(`Job worker must be a built JavaScript module, got: ${modulePath}`);
    const child = fork(modulePath, args, {
      env: { ...process.env, ...env },
      stdio: 'inherit',
      serviceName: 'AURA-KD job',
    });
    return adaptUtilityProcess(child);
  };
}
