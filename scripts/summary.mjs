// Prints `N passed, N failed` from jest's JSON report. A failed step outside jest counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath = 'reports/jest.json', exitStatus = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
}
if (exitStatus !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
