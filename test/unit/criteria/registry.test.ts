import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CriterionDefinition, validateCriterion } from '../../../src/criteria/define.js';
import { scenarioFiles } from '../../../src/criteria/files.js';
import { ADVISORY_CRITERIA, ALL_CRITERIA, STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import { CRITERIA, canonical, definitionOf, stageProbes } from '../../../src/criteria/registry.js';
import { placedProbes } from '../../../src/plan/lookup.js';
import { PRIV1, PUB1 } from '../../../src/plan/stage4/lab.js';
import { probe, STAGE_PHASES } from '../../../src/plan/stage4/probe-specs.js';
import { STAGE4_PLAN } from '../../../src/plan/stage4.js';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';

/** The literals of a union type alias in src/model/criteria.ts (the id types code names criteria with). */
function unionOf(name: string): string[] {
  const source = readFileSync(join(PACKAGE_ROOT, 'src/model/criteria.ts'), 'utf8');
  const body = new RegExp(`export type ${name} =([^;]*);`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
}

function fake(
  over: Partial<CriterionDefinition> & Pick<CriterionDefinition, 'id' | 'order'>,
): CriterionDefinition {
  return validateCriterion(
    {
      title: over.id,
      advisory: false,
      needs: ['createVpc'],
      phases: ['vpc1'],
      probes: [],
      assert() {},
      ...over,
    },
    `scenarios/${over.id}.scenario.ts`,
  );
}

describe('the criteria registry', () => {
  it('loads one file per criterion, named after its id, in the canonical order', () => {
    expect(scenarioFiles().map((f) => basename(f))).toEqual(
      [...CRITERIA].map((c) => `${c.id}.scenario.ts`).sort(),
    );
    expect(CRITERIA.map((c) => c.file)).toEqual(CRITERIA.map((c) => `scenarios/${c.id}.scenario.ts`));
  });

  it('matches the id types of src/model/criteria.ts, in the same order (add a new id there too)', () => {
    expect(STAGE4_CRITERIA).toEqual(unionOf('Stage4CriterionId'));
    expect(ADVISORY_CRITERIA).toEqual(unionOf('AdvisoryCriterionId'));
    expect(ALL_CRITERIA).toEqual([...STAGE4_CRITERIA, ...ADVISORY_CRITERIA]);
  });

  it('refuses a file that exports no definition, or is not named after its id', () => {
    const definition = CRITERIA[0] as CriterionDefinition;
    expect(() => definitionOf({}, join(PACKAGE_ROOT, 'scenarios/x.scenario.ts'))).toThrow(
      expect.objectContaining({ code: 'CRITERION_NO_DEFAULT_EXPORT', file: 'scenarios/x.scenario.ts' }),
    );
    expect(() =>
      definitionOf({ default: definition }, join(PACKAGE_ROOT, 'scenarios/other.scenario.ts')),
    ).toThrow(expect.objectContaining({ code: 'CRITERION_FILE_MISMATCH', field: 'id' }));
  });

  it('refuses two criteria with the same id or order', () => {
    expect(() =>
      canonical([fake({ id: 'vpc-created', order: 1 }), fake({ id: 'vpc-created', order: 2 })]),
    ).toThrow(expect.objectContaining({ code: 'CRITERION_DUPLICATE', field: 'id' }));
    expect(() =>
      canonical([fake({ id: 'vpc-created', order: 1 }), fake({ id: 'app-deployed', order: 1 })]),
    ).toThrow(/already uses order 1 \(vpc-created and app-deployed\)/);
  });

  it('derives each stage probe matrix: controls first, each probe once, tagged in canonical order', () => {
    const a = fake({
      id: 'app-deployed',
      order: 1,
      probes: [probe('vpc1', 'icmp', PRIV1, PUB1, 'allowed'), probe('vpc1', 'tcp', PUB1, PRIV1, 'allowed')],
    });
    const b = fake({
      id: 'nat-private-blocked',
      order: 2,
      probes: [
        probe('vpc1', 'tcp', PUB1, PRIV1, 'allowed', { control: true }),
        probe('vpc1', 'icmp', PUB1, 'internet', 'blocked'),
      ],
    });
    const stages = stageProbes([a, b]);
    expect(stages.vpc1?.map((s) => [s.id, s.control, s.criteria])).toEqual([
      ['vpc1:tcp:vpc1/publicsub->vpc1/privatesub:7070', true, ['app-deployed', 'nat-private-blocked']],
      ['vpc1:icmp:vpc1/privatesub->vpc1/publicsub', false, ['app-deployed']],
      ['vpc1:icmp:vpc1/publicsub->internet', false, ['nat-private-blocked']],
    ]);
    expect(stages.vpc2).toEqual([]);
    const c = fake({ id: 'app-deployed', order: 3, probes: [probe('vpc1', 'icmp', PRIV1, PUB1, 'blocked')] });
    expect(() => stageProbes([a, c])).toThrow(/expects blocked, but app-deployed expect allowed/);
  });

  it('is where the plan gets its probes: every planned probe is declared by the criteria it answers', () => {
    for (const { stage, spec } of placedProbes(STAGE4_PLAN)) {
      for (const id of spec.criteria) {
        expect(
          CRITERIA.find((c) => c.id === id)?.probes.some((p) => p.id === spec.id && p.stage === stage),
          `${spec.id} for ${id}`,
        ).toBe(true);
      }
    }
  });

  it('knows every stage of the plan, with its phase', () => {
    const stages = STAGE4_PLAN.phases.flatMap((phase) => phase.stages.map((s) => [s.id, phase.id]));
    expect(Object.entries(STAGE_PHASES)).toEqual(stages);
  });
});

describe('the README criteria table', () => {
  /** `| \`id\` | passes when |` rows of the tables under "What is checked". */
  function tableRows(heading: string): [string, string][] {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What is checked'), readme.indexOf('How it judges'));
    const table = section.slice(section.indexOf(`| ${heading} | passes when |`));
    const rows: [string, string][] = [];
    for (const line of table.split('\n').slice(2)) {
      const match = /^\| `([^`]+)` \| (.*) \|$/.exec(line);
      if (!match) break;
      rows.push([match[1] as string, match[2] as string]);
    }
    return rows;
  }

  it('lists each Stage 4 criterion with its title, in order, as its file says', () => {
    expect(tableRows('criterion')).toEqual(CRITERIA.filter((c) => !c.advisory).map((c) => [c.id, c.title]));
  });

  it('lists each advisory criterion with its title, in order, as its file says', () => {
    expect(tableRows('advisory criterion')).toEqual(
      CRITERIA.filter((c) => c.advisory).map((c) => [c.id, c.title]),
    );
  });
});
