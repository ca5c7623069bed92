import type { Flags } from '../args.js';

export interface CommandContext {
  positionals: string[];
  flags: Flags;
  json: boolean;
  dataDir: string | undefined;
  out: (text: string) => void;
}

export interface Command {
  usage: string;
  summary: string;
  run(ctx: CommandContext): Promise<number>;
}
