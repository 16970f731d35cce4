/** Entry of the `neoscope` command-line tool (built to dist/cli/neoscope.mjs). */
import { runCli } from './commands.ts';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
