import type { ProfileFile, StepTemplate } from '../profiles/index.js';
import type { Candidate } from './candidates.js';
import type { Entry } from './entry.js';
import type { StepFinding, TrialReport } from './plan.js';
import { INIT_STEPS, type InitStep } from './vocabulary.js';

export type Sureness = 'high' | 'medium' | 'low';

/** One step of the inferred profile, as printed for the grader. */
export interface StepLine {
  step: InitStep;
  outcome: StepFinding['outcome'] | 'not tried';
  template: ProfileFile['steps'][InitStep];
  /** Where the shape came from (`command help`, `readme`, ...), for proved steps. */
  origin?: string;
  sure: Sureness;
  reason: string;
  tried: number;
}

function single(candidate: Candidate, type: 'public' | 'private'): StepTemplate {
  const t = candidate.template;
  if (t !== null && typeof t === 'object' && !Array.isArray(t) && 'public' in t && 'private' in t)
    return t[type];
  return t;
}

function sureOf(outcome: StepLine['outcome'], origin: string | undefined): Sureness {
  if (outcome === 'proved') return origin === 'guess' || origin === 'readme' ? 'medium' : 'high';
  if (outcome === 'nothing' || outcome === 'harness') return 'medium';
  return 'low';
}

/** Turn the driver's findings into profile steps, one line per step. */
export function assembleSteps(
  candidates: Partial<Record<InitStep, Candidate[]>>,
  report: TrialReport,
): StepLine[] {
  return INIT_STEPS.map((step): StepLine => {
    const f = report.steps[step];
    const list = candidates[step] ?? [];
    if (!f) {
      return {
        step,
        outcome: 'not tried',
        template: null,
        sure: 'low',
        reason: 'not tried: an earlier step failed',
        tried: 0,
      };
    }
    let template: StepLine['template'] = null;
    let origin: string | undefined;
    if (f.outcome === 'nothing' && step !== 'addSubnet') template = [];
    else if (f.outcome === 'harness') template = 'harness';
    else if (step === 'addSubnet' && f.outcome !== 'unsupported') {
      const pick = (type: 'public' | 'private'): StepTemplate => {
        const c = f.chosen?.[type];
        if (c === 'nothing' || c === undefined) return [];
        const cand = list[c] as Candidate;
        origin ??= cand.origin;
        return single(cand, type);
      };
      const pub = pick('public');
      const priv = pick('private');
      template = JSON.stringify(pub) === JSON.stringify(priv) ? pub : { public: pub, private: priv };
    } else if (f.outcome === 'proved' && typeof f.chosen?.all === 'number') {
      const cand = list[f.chosen.all] as Candidate;
      origin = cand.origin;
      template = cand.template as StepTemplate;
    }
    return {
      step,
      outcome: f.outcome,
      template,
      ...(origin ? { origin } : {}),
      sure: sureOf(f.outcome, origin),
      reason: f.reason,
      tried: f.trials.length,
    };
  });
}

export function profileName(dir: string): string {
  const base = dir.replace(/\/+$/, '').split('/').pop() ?? 'target';
  return `inferred-${base.replace(/[^\w.-]+/g, '-')}`.slice(0, 60);
}

/** The profile file: the invocation, the steps, and a note for every step not proved by its effect. */
export function buildProfile(dir: string, entry: Entry, lines: StepLine[], report: TrialReport): ProfileFile {
  const steps = Object.fromEntries(lines.map((l) => [l.step, l.template])) as ProfileFile['steps'];
  const notes = [
    `Inferred by vpc-verify init from ${entry.how}; review before grading (docs/profiles.md, "Inferring a profile").`,
    ...lines
      .filter((l) => l.outcome !== 'proved')
      .map(
        (l) => `${l.step}: ${l.template === null ? 'unsupported' : JSON.stringify(l.template)}: ${l.reason}.`,
      ),
  ];
  return {
    name: profileName(dir),
    description: `Inferred from the tool's own usage and proved step by step in a scratch sandbox.`,
    command: entry.command,
    ...(Object.keys(entry.env).length ? { env: entry.env } : {}),
    ...(report.bridgeName && report.bridgeName !== 'br-{vpc}' ? { bridgeName: report.bridgeName } : {}),
    notes,
    steps,
  };
}

export function formatLines(lines: StepLine[]): string {
  const width = Math.max(...lines.map((l) => l.step.length));
  return lines
    .map((l) => {
      const shown = l.template === null ? 'null' : JSON.stringify(l.template);
      const how = l.origin ? `from ${l.origin}, ` : '';
      return `${l.step.padEnd(width)}  ${l.outcome.padEnd(11)} sure: ${l.sure.padEnd(6)} ${shown}\n${' '.repeat(width + 2)}(${how}${l.tried} tried) ${l.reason}`;
    })
    .join('\n');
}
