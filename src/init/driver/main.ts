#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import type { DriverPlan } from '../plan.js';
import { collectHelp } from './help.js';
import { runTrials } from './trials.js';

/**
 * Runs INSIDE a scratch sandbox (src/init/sandbox-run.ts starts it): reads a
 * plan, asks the tool for help or tries the candidate commands, and writes a
 * JSON report. Usage: main.js PLAN.json REPORT.json
 */
const [planFile, reportFile] = process.argv.slice(2) as [string, string];
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as DriverPlan;
const report = plan.mode === 'help' ? await collectHelp(plan) : await runTrials(plan);
writeFileSync(reportFile, JSON.stringify(report, null, 2));
