import { describe, expect, it } from 'vitest';
import { profileSchema } from '../../../src/profiles/load.js';
import {
  GLOBAL_PLACEHOLDERS,
  HARNESS_STEPS,
  OPTIONAL_STEPS,
  STEP_NAMES,
  STEP_PLACEHOLDERS,
} from '../../../src/profiles/steps.js';

// The schema file is hand-written JSON; these keep it in step with steps.ts.
type Node = Record<string, unknown>;
const schema = profileSchema() as Node;
const properties = schema.properties as Record<string, Node>;
const steps = properties.steps as Node;
const stepProps = steps.properties as Record<string, Node>;

describe('profile.schema.json', () => {
  it('knows exactly the steps of steps.ts, requiring all but the optional ones', () => {
    expect(Object.keys(stepProps)).toEqual([...STEP_NAMES]);
    expect(steps.required).toEqual(
      STEP_NAMES.filter((s) => !(OPTIONAL_STEPS as readonly string[]).includes(s)),
    );
    const timeoutProps = properties.timeouts?.properties as Record<string, Node>;
    const timeoutSteps = timeoutProps.steps?.properties as Node;
    expect(Object.keys(timeoutSteps)).toEqual([...STEP_NAMES]);
  });

  it('allows "harness" only for HARNESS_STEPS and null nowhere in optional steps', () => {
    for (const step of STEP_NAMES) {
      const ref = stepProps[step]?.$ref;
      if ((HARNESS_STEPS as readonly string[]).includes(step)) expect(ref).toBe('#/$defs/stepOrHarness');
      else if ((OPTIONAL_STEPS as readonly string[]).includes(step)) expect(ref).toBe('#/$defs/optionalStep');
      else
        expect(ref === '#/$defs/step' || ref === '#/$defs/stepByType', `${step}: ${String(ref)}`).toBe(true);
    }
  });

  it('documents each step with exactly its placeholders', () => {
    for (const step of STEP_NAMES) {
      const description = String(stepProps[step]?.description);
      const documented = [...description.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const own = documented.filter(
        (name) => !(GLOBAL_PLACEHOLDERS as readonly string[]).includes(name as never),
      );
      expect(own, step).toEqual([...STEP_PLACEHOLDERS[step]]);
    }
  });
});
