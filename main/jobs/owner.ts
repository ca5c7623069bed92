/**
 * Whether the process that queued a job still runs. This process's own pid counts as dead: a service
 * starting here means an earlier one in this process has closed.
 */
export function ownerAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
