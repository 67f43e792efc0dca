// Ends a jest run with one plain line of counts, the form CI systems read:
// "tests: N passed, N failed, N skipped".
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const skipped = numPendingTests + numTodoTests;
    process.stderr.write(
      `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
