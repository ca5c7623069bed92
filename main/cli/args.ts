/** A small, strict command-line parser: positionals, --flag value, --flag=value, --bool, --no-bool. */

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`Bad option: ${arg}`);
    if (eq >= 0) {
      addFlag(flags, name, arg.slice(eq + 1));
    } else if (booleanFlags.has(name)) {
      flags.set(name, true);
    } else if (name.startsWith('no-') && booleanFlags.has(name.slice(3))) {
      flags.set(name.slice(3), 'false');
    } else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`Option --${name} needs a value`);
      addFlag(flags, name, value);
      i++;
    }
  }
  return { positionals, flags };
}

function addFlag(flags: Map<string, string | true>, name: string, value: string): void {
  // Repeatable options (e.g. --set a=1 --set b=2) are joined with a newline.
  const prev = flags.get(name);
  flags.set(name, typeof prev === 'string' ? `${prev}\n${value}` : value);
}

/** Typed accessors that fail with a one-line message. */
export class Flags {
  private readonly used = new Set<string>();
  constructor(private readonly parsed: ParsedArgs) {}

  string(name: string): string | undefined {
    this.used.add(name);
    const v = this.parsed.flags.get(name);
    if (v === true) throw new UsageError(`Option --${name} needs a value`);
    return v;
  }

  list(name: string): string[] {
    const v = this.string(name);
    return v === undefined ? [] : v.split('\n');
  }

  number(name: string, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || raw.trim() === '') throw new UsageError(`Option --${name} must be a number, got "${raw}"`);
    if (opts.integer && !Number.isInteger(value)) throw new UsageError(`Option --${name} must be an integer, got "${raw}"`);
    if (opts.min !== undefined && value < opts.min) throw new UsageError(`Option --${name} must be ≥ ${opts.min}, got ${raw}`);
    if (opts.max !== undefined && value > opts.max) throw new UsageError(`Option --${name} must be ≤ ${opts.max}, got ${raw}`);
    return value;
  }

  bool(name: string): boolean {
    this.used.add(name);
    const v = this.parsed.flags.get(name);
    if (v === undefined) return false;
    if (v === true || v === 'true' || v === '1' || v === 'yes') return true;
    if (v === 'false' || v === '0' || v === 'no') return false;
    throw new UsageError(`Option --${name} is a switch; got "${v}"`);
  }

  /** Reject options nobody asked for (typos must not be silently ignored). */
  assertAllUsed(): void {
    for (const name of this.parsed.flags.keys()) {
      if (!this.used.has(name)) throw new UsageError(`Unknown option --${name}`);
    }
  }
}
