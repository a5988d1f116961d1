/**
 * Quote argv so the printed command can be pasted into a POSIX shell and run
 * exactly as the harness ran it.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function escapeCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** The argv that runs `argv` inside a named network namespace. */
export function inNetns(netns: string | undefined, argv: readonly string[]): string[] {
  return netns ? ['ip', 'netns', 'exec', netns, ...argv] : [...argv];
}
