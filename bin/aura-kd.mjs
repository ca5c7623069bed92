#!/usr/bin/env node
// Entry point of `npx aura-kd`: runs the TypeScript CLI through tsx's loader (no build step needed).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const cli = new URL('../main/cli.ts', import.meta.url);
const { main } = await import(fileURLToPath(cli));
const code = await main(process.argv.slice(2));
process.exitCode = code;
