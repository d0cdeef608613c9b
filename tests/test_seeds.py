"""The shared seed programs, run unchanged through `numtorch run` by the shared checker.

`../shared/examples/seeds/check_seeds.py` (beside the repo) runs a script with
`python -m numtorch run` and compares its stdout with the output recorded on real PyTorch.
A script must run and match at the 'tol' level: every value within tolerance, the lines
drawn from the random generator included (numtorch's generator reproduces PyTorch's).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "examples" / "seeds"
CHECKER = SEEDS / "check_seeds.py"

SCRIPTS = [
    "seed000_autograd.py",
    "seed000_linreg_scratch.py",
    "seed000_linreg_concise.py",
    "seed001_quickstart_model.py",
    "seed001_autograd_notes.py",
    "seed001_retain_graph.py",
    "seed002_linreg_scratch.py",
    "seed003_backprop.py",
]

pytestmark = pytest.mark.seeds


@pytest.mark.parametrize("script", SCRIPTS)
def test_seed_program(script, tmp_path):
    if not CHECKER.is_file():
        pytest.skip(f"{CHECKER} not found")
    out = tmp_path / "result.json"
    # numtorch-cli: `<--python> -m numtorch run SCRIPT`, with this interpreter by default
    options = ["--backend", "numtorch-cli", "--timeout", "300", "--json", str(out)]
    proc = subprocess.run(
        [sys.executable, str(CHECKER), *options, str(SEEDS / script)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = f"{proc.stdout}\n{proc.stderr}"
    assert out.is_file(), report
    [result] = json.loads(out.read_text())["results"]
    assert result["status"] == "ran", result.get("error") or report
    assert result["tol"] == "yes", (result.get("compare"), report)
