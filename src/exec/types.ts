/** One result shape for success and failure, modelled on execa's. */
export interface CommandResult {
  /** argv as given (without the `ip netns exec` prefix). */
  argv: string[];
  /** argv joined with spaces, for reading. */
  command: string;
  /** The full command, quoted for pasting into a shell (includes `ip netns exec NS` when set). */
  escapedCommand: string;
  netns: string | undefined;
  /** Undefined when the process was killed by a signal or never started. */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  /** ISO timestamp. */
  startedAt: string;
  durationMs: number;
  timedOut: boolean;
  /** True when the command did not exit 0 (any reason). */
  failed: boolean;
  /** Set when the process could not be started at all. */
  spawnError: string | undefined;
}

export interface CommandStartEvent {
  kind: 'start';
  id: number;
  at: string;
  argv: string[];
  netns: string | undefined;
  escapedCommand: string;
  label: string | undefined;
}

export interface CommandOutputEvent {
  kind: 'output';
  id: number;
  at: string;
  stream: 'stdout' | 'stderr';
  chunk: string;
}

export interface CommandEndEvent {
  kind: 'end';
  id: number;
  at: string;
  result: CommandResult;
}

/** Free-form note from the harness (phase boundaries, decisions), kept in the transcript between commands. */
export interface NoteEvent {
  kind: 'note';
  at: string;
  text: string;
}

export type CommandEvent = CommandStartEvent | CommandOutputEvent | CommandEndEvent | NoteEvent;
