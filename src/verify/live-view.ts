import { createLogUpdate } from 'log-update';
import type { BatchEvent } from '../batch/index.js';
import { formatBatchEvent } from '../batch/progress.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Where progress goes: a live view on a terminal, plain lines in CI, with --json or when piped. */
export interface Progress {
  line(text: string): void;
  batch(event: BatchEvent): void;
  done(): void;
}

/** Plain lines on stderr: what CI logs and --json get (no spinners, no cursor movement). */
export function plainProgress(write: (text: string) => void): Progress {
  return {
    line: (text) => write(`${text}\n`),
    batch: (event) => write(`${formatBatchEvent(event)}\n`),
    done: () => {},
  };
}

interface PhaseRow {
  name: string;
  started: number;
  ended: number | undefined;
  activity: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * On a terminal: the phases as a list that updates in place (done ones with
 * their time, the running one with a spinner and what it is doing), and in
 * batch mode one line per submission.
 */
export function liveProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const update = createLogUpdate(stream, { showCursor: false });
  const phases: PhaseRow[] = [];
  const submissions = new Map<string, string>();
  let other = '';
  let frame = 0;
  const render = (): void => {
    frame = (frame + 1) % FRAMES.length;
    const now = Date.now();
    const lines = phases.map((p) =>
      p.ended === undefined
        ? `${FRAMES[frame]} ${p.name.padEnd(10)} ${seconds(now - p.started).padStart(7)}  ${p.activity}`
        : `✔ ${p.name.padEnd(10)} ${seconds(p.ended - p.started).padStart(7)}`,
    );
    for (const [name, state] of submissions)
      lines.push(`${state.startsWith('running') ? FRAMES[frame] : '·'} ${name.padEnd(24)} ${state}`);
    if (other) lines.push(`  ${other}`);
    update(lines.join('\n'));
  };
  const timer = setInterval(render, 100);
  timer.unref();
  return {
    line(text) {
      const phase = /^phase (\S+)/.exec(text);
      const current = phases.at(-1);
      if (phase?.[1]) {
        if (current && current.ended === undefined) current.ended = Date.now();
        phases.push({ name: phase[1], started: Date.now(), ended: undefined, activity: '' });
      } else if (current && current.ended === undefined && text.startsWith('  ')) {
        current.activity = text.trim();
      } else {
        if (current && current.ended === undefined) current.ended = Date.now();
        other = text.trim();
      }
      render();
    },
    batch(event) {
      if (event.type === 'started') submissions.set(event.submission, 'running');
      else if (event.type === 'timeout') submissions.set(event.submission, 'running (over time, aborting)');
      else {
        const { row } = event;
        submissions.set(
          event.submission,
          `${row.verdict.toUpperCase()} ${row.score}/${row.maxScore} in ${seconds(row.durationMs)}`,
        );
      }
      render();
    },
    done() {
      clearInterval(timer);
      const current = phases.at(-1);
      if (current && current.ended === undefined) current.ended = Date.now();
      other = '';
      render();
      update.done();
    },
  };
}

/** The live view only on a terminal, outside CI and without --json. */
export function progressFor(
  options: { json: boolean; isTty: boolean; ci: boolean },
  write: (t: string) => void,
): Progress {
  return options.isTty && !options.json && !options.ci ? liveProgress() : plainProgress(write);
}
