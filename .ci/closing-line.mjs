// The closing line of .ci/run from vitest's JSON results: the counts, then what was
// skipped and why (a skipped suite's name carries its reason, e.g. the report test
// without a browser), so a green run that skipped something says so where people look.
//   node .ci/closing-line.mjs RESULTS.json   prints the skipped groups, then the line; exit 1 if no test ran
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = new Map();
const reasons = new Set();
for (const file of results.testResults ?? []) {
  for (const test of file.assertionResults ?? []) {
    if (test.status === 'passed' || test.status === 'failed') continue;
    const group = test.ancestorTitles?.[0] ?? test.title;
    const name = `${relative(process.cwd(), file.name)} > ${group}`;
    skipped.set(name, (skipped.get(name) ?? 0) + 1);
    reasons.add(group);
  }
}
for (const [name, count] of skipped) console.log(`skipped: ${name} (${count} test${count === 1 ? '' : 's'})`);
const counts = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
console.log(reasons.size === 0 ? counts : `${counts}: ${[...reasons].join('; ')}`);
if (results.numTotalTests === 0) {
  console.error('no test ran');
  process.exit(1);
}
