// The command-line parsing every `npm run ...` script shares: Node's own `util.parseArgs`
// (strict: an unknown option, or an option missing its value, is an error), with the usage text
// appended to every error and printed by --help, and the value checks the scripts need.
import { parseArgs } from "util";

export type OptionTypes = Record<string, { type: "string" | "boolean" }>;
export type OptionValues<O extends OptionTypes> = {
  [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string;
};

/** A wrong command line: the message names the option and ends with the usage text. */
export class UsageError extends Error {}

/**
 * The options of `argv` as typed values (`--out x`, `--out=x`, `--resume`). `--help` / `-h`
 * prints `usage` and exits 0; anything else unknown throws a UsageError.
 */
export function readOptions<O extends OptionTypes>(argv: string[], options: O, usage: string): OptionValues<O> {
  const { values, positionals } = readCommandLine(argv, options, usage);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\n${usage}`);
  return values;
}

/** As readOptions, and the arguments that are not options (`npm run grade -- turma/ --out x`: ["turma/"]). */
export function readCommandLine<O extends OptionTypes>(argv: string[], options: O, usage: string): { values: OptionValues<O>; positionals: string[] } {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { values: values as OptionValues<O>, positionals };
  } catch (err) {
    const message = (err as Error).message.replace(/^Unknown option '([^']*)'.*$/s, "unknown argument $1");
    throw new UsageError(`${message}\n${usage}`);
  }
}

/** `value` of `flag` as a number > 0 (seconds, megabytes). */
export function positiveNumber(flag: string, value: string, usage: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number, got "${value}"\n${usage}`);
  return n;
}

/** `value` of `flag` as a whole number ≥ 1. */
export function positiveInt(flag: string, value: string, usage: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive whole number, got "${value}"\n${usage}`);
  return n;
}

/** `value` of `flag` as a finite number (the preset's own checks say what else it must be). */
export function finiteNumber(flag: string, value: string, usage: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${flag} needs a number, got "${value}"\n${usage}`);
  return n;
}

/** `value` of `flag`, one of `choices`. */
export function oneOf<C extends string>(flag: string, value: string, choices: readonly C[], usage: string): C {
  if ((choices as readonly string[]).includes(value)) return value as C;
  throw new UsageError(`${flag} is ${choices.join(" or ")}, got "${value}"\n${usage}`);
}

/** For a script's main(): a UsageError or any other error as one message on stderr, exit code 2. */
export function exitWithError(err: unknown): never {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
