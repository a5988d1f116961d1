import type { HelpPlan, HelpReport, HelpText } from '../plan.js';
import { commandWordsIn, usagesIn } from '../usage.js';
import { runCmd } from './run-cmd.js';

/** Ask the tool for its usage: `--help`, `help`, no argument, then `WORD --help` per command. */
export async function collectHelp(plan: HelpPlan): Promise<HelpReport> {
  const inv = plan.invocation;
  const ask = async (args: string[]): Promise<HelpText> => {
    const argv = [...inv.command, ...args];
    const ran = await runCmd(argv, {
      env: inv.env,
      cwd: inv.dir,
      timeoutMs: Math.min(inv.timeoutMs, 10_000),
    });
    return { argv, exitCode: ran.exitCode, output: ran.output };
  };
  const top = [await ask(['--help']), await ask(['help']), await ask([])];
  const seen = new Map<string, string[]>();
  const addWords = (words: string[]) => {
    if (words.length > 0 && words.length <= 2 && !seen.has(words.join(' '))) seen.set(words.join(' '), words);
  };
  for (const w of plan.words) addWords(w);
  for (const t of top) {
    for (const w of commandWordsIn(t.output)) addWords([w]);
    for (const u of usagesIn(t.output, plan.progNames, 'help')) addWords(u.words);
  }
  const commands = [];
  for (const words of [...seen.values()].slice(0, 40))
    commands.push({ words, help: await ask([...words, '--help']) });
  return { top, commands };
}
