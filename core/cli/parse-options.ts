/**
 * A command's flags read with Node's `parseArgs` (strict: an unknown flag or a flag without
 * its value is a usage error), the problem said in the words the commands' usage messages
 * use: `unexpected "--password"`, `--data needs a value`. Passwords are never flags: a flag
 * that is not declared is refused, not ignored.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type ParsedOptions<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/** The parsed flags and positionals, or the problem with the command line. */
export function parseOptions<const O extends Options>(
  args: string[],
  options: O,
): (ParsedOptions<O> & { problem?: undefined }) | { problem: string } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return { problem: describeParseError(error as Error & { code?: string }) };
  }
}

function describeParseError(error: Error & { code?: string }): string {
  const named = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unexpected ${JSON.stringify(named ?? error.message)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(error.message)) return `${named} takes no value`;
      // A value that looks like a flag (`--od-names -OD-`, a file-name token) is read as a
      // forgotten value; the `=` form says it is meant.
      return /ambiguous/.test(error.message)
        ? `${named} needs a value (one that starts with "-" is written ${named}=VALUE)`
        : `${named} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected ${JSON.stringify(/'([^']*)'/.exec(error.message)?.[1] ?? '')}`;
    default:
      return error.message;
  }
}
