import type { ByTypeTemplate, StepTemplate } from '../profiles/index.js';
import type { Slot, Usage, UsageOrigin } from './usage.js';
import { FLAG_ORDER, type InitStep, NEEDS, placeholderOf, stepOf } from './vocabulary.js';

/** One way to run a step, to be proved (or not) by its effect. */
export interface Candidate {
  template: Exclude<StepTemplate, null | 'harness'> | ByTypeTemplate;
  /** Where the shape came from: `command help`, `help`, `source`, `readme`, `guess`. */
  origin: UsageOrigin | 'guess';
  /** The usage it was built from, for the report. */
  from: string;
}

const ORIGIN_RANK: Record<Candidate['origin'], number> = {
  'command help': 0,
  help: 1,
  source: 2,
  readme: 3,
  guess: 4,
};

const PUBLIC_FLAGS = /^(public|pub|nat|internet|with-nat|enable-nat|external)$/;
const PRIVATE_FLAGS = /^(private|priv|internal|no-nat)$/;

interface Mapped {
  slot: Slot;
  placeholder: string | undefined;
}

function describe(usage: Usage): string {
  const slots = usage.slots.map((s) => {
    const text = s.flag
      ? `${s.flag}${s.boolean ? '' : ` ${s.example ?? s.name.toUpperCase()}`}`
      : (s.example ?? s.name.toUpperCase());
    return s.optional ? `[${text}]` : text;
  });
  return [...usage.words, ...slots].join(' ');
}

function argvFor(words: string[], positionals: Mapped[], flags: Mapped[]): string[] {
  const sorted = [...flags].sort(
    (a, b) => FLAG_ORDER.indexOf(a.placeholder ?? '') - FLAG_ORDER.indexOf(b.placeholder ?? ''),
  );
  return [
    ...words,
    ...positionals.map((m) => `{${m.placeholder}}`),
    ...sorted.flatMap((m) => [m.slot.flag as string, `{${m.placeholder}}`]),
  ];
}

/** The candidates one usage gives for `step` (none when a required argument means nothing to us). */
export function candidatesFromUsage(step: InitStep, usage: Usage, extraOptions: Slot[] = []): Candidate[] {
  const known = new Set(usage.slots.map((s) => s.flag).filter(Boolean));
  const slots = [...usage.slots, ...extraOptions.filter((o) => !known.has(o.flag))];
  const seen = new Map<string, number>();
  const mapped: Mapped[] = slots.map((slot) => ({
    slot,
    placeholder: slot.boolean ? undefined : placeholderOf(step, slot, seen),
  }));
  if (mapped.some((m) => !m.slot.optional && !m.slot.boolean && m.placeholder === undefined)) return [];
  if (mapped.some((m) => !m.slot.optional && m.slot.boolean)) return [];
  const out: Candidate[] = [];
  const from = describe(usage);
  for (const needs of NEEDS[step]) {
    const requiredPos = mapped.filter((m) => !m.slot.flag && !m.slot.optional);
    const requiredFlags = mapped.filter((m) => m.slot.flag && !m.slot.optional && !m.slot.boolean);
    const covered = new Set([...requiredPos, ...requiredFlags].map((m) => m.placeholder));
    const optionalFlags = mapped.filter(
      (m) =>
        m.slot.flag &&
        m.slot.optional &&
        !m.slot.boolean &&
        !(m.slot.alternative && mapped.some((p) => !p.slot.flag && p.placeholder === m.placeholder)) &&
        m.placeholder !== undefined &&
        needs.includes(m.placeholder) &&
        !covered.has(m.placeholder),
    );
    for (const m of optionalFlags) covered.add(m.placeholder);
    // An optional positional only where no flag gives the value (commander's `[name]` beside `--name`).
    const positionals = mapped.filter(
      (m) =>
        !m.slot.flag &&
        (!m.slot.optional ||
          (m.placeholder !== undefined && needs.includes(m.placeholder) && !covered.has(m.placeholder))),
    );
    for (const m of positionals) covered.add(m.placeholder);
    if (!needs.every((n) => covered.has(n))) continue;
    const base = argvFor(usage.words, positionals, [...requiredFlags, ...optionalFlags]);
    if (step === 'addSubnet') {
      const typeFlag = mapped.find((m) => m.slot.flag && m.slot.optional && m.placeholder === 'type');
      const publicFlag = mapped.find((m) => m.slot.boolean && PUBLIC_FLAGS.test(m.slot.name));
      const privateFlag = mapped.find((m) => m.slot.boolean && PRIVATE_FLAGS.test(m.slot.name));
      if (publicFlag || privateFlag) {
        out.push({
          template: {
            public: publicFlag ? [...base, publicFlag.slot.flag as string] : base,
            private: privateFlag ? [...base, privateFlag.slot.flag as string] : base,
          },
          origin: usage.origin,
          from,
        });
      }
      out.push({ template: base, origin: usage.origin, from });
      if (typeFlag) {
        out.push({
          template: argvFor(usage.words, positionals, [...requiredFlags, ...optionalFlags, typeFlag]),
          origin: usage.origin,
          from,
        });
      }
    } else out.push({ template: base, origin: usage.origin, from });
  }
  return out;
}

/** Shapes to try for a command word known only by name (a bash `case` label). */
const GUESSES: Record<InitStep, string[][]> = {
  createVpc: [
    ['{vpc}', '{cidr}'],
    ['--name', '{vpc}', '--cidr', '{cidr}'],
  ],
  addSubnet: [
    ['{vpc}', '{subnet}', '{cidr}'],
    ['{vpc}', '{subnet}', '{cidr}', '{type}'],
    ['--vpc', '{vpc}', '--name', '{subnet}', '--cidr', '{cidr}'],
  ],
  allowIntraVpc: [['{vpc}']],
  enableNat: [
    ['{vpc}', '{subnet}', '{wan}'],
    ['{vpc}', '{wan}'],
    ['{vpc}', '{subnet}'],
  ],
  deployHttp: [
    ['{vpc}', '{subnet}', '{port}'],
    ['{vpc}', '{subnet}'],
  ],
  isolateVpcs: [
    ['{vpcA}', '{vpcB}'],
    ['{cidrA}', '{cidrB}'],
  ],
  peerVpcs: [
    ['{vpcA}', '{vpcB}'],
    ['{bridgeA}', '{bridgeB}'],
  ],
  allowCidr: [['{src}', '{dst}']],
  applyPolicy: [['{vpc}', '{subnet}', '{policyFile}'], ['{policyFile}']],
  inspect: [[]],
  teardownVpc: [['{vpc}']],
};

export function guessesFor(step: InitStep, words: string[]): Candidate[] {
  return GUESSES[step].map((args) => ({
    template: [...words, ...args],
    origin: 'guess' as const,
    from: `${words.join(' ')} (a known command; arguments guessed)`,
  }));
}

function key(template: Candidate['template']): string {
  return JSON.stringify(template);
}

/** Every step's candidates, best first, without duplicates. */
export function candidatesByStep(
  usages: { usage: Usage; options?: Slot[] }[],
  bareWords: string[][],
): Record<InitStep, Candidate[]> {
  const out = {} as Record<InitStep, Candidate[]>;
  const add = (step: InitStep, list: Candidate[]) => {
    out[step] ??= [];
    for (const c of list) {
      if (!out[step].some((d) => key(d.template) === key(c.template))) out[step].push(c);
    }
  };
  const withUsage = new Set<string>();
  for (const { usage, options } of usages) {
    const step = stepOf(usage.words);
    if (!step) continue;
    const list = candidatesFromUsage(step, usage, options);
    if (list.length > 0 && usage.origin !== 'readme') withUsage.add(usage.words.join(' '));
    add(step, list);
  }
  for (const words of bareWords) {
    const step = stepOf(words);
    if (step && !withUsage.has(words.join(' '))) add(step, guessesFor(step, words));
  }
  for (const step of Object.keys(out) as InitStep[]) {
    out[step].sort((a, b) => ORIGIN_RANK[a.origin] - ORIGIN_RANK[b.origin]);
  }
  return out;
}
