"""nbval runs every notebook as a test; here a cell that writes to stderr fails too (issue 16.11).

A student's output carries no warnings, no progress-bar spam and no library noise: anything a cell prints to
stderr (a warning, a tqdm bar without widgets, a logging line) fails that cell, with the text in the report.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or report.outcome != "passed":
        return
    outputs = getattr(item, "test_outputs", None) or []
    stderr = "".join(output.get("text", "") for output in outputs
                     if output.get("output_type") == "stream" and output.get("name") == "stderr")
    if stderr:
        report.outcome = "failed"
        report.longrepr = f"the cell wrote to stderr (a student would see this):\n{stderr[:2000]}"
