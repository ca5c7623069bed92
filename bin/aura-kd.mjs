#!/usr/bin/env node
// Entry point of `npx aura-kd`: runs the TypeScript CLI through tsx's loader (no build step needed).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

// `aura-kd runs show 4 | head`: the reader went away; stop quietly instead of a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

register();
const cli = new URL('../main/cli.ts', import.meta.url);
const { main } = await import(fileURLToPath(cli));
const code = await main(process.argv.slice(2));
process.exitCode = code;
