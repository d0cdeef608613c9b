"""The benchmark harness runs (no timing is asserted), and torch's thread-count functions."""

import json
import os
import re
import runpy
import subprocess
import sys

import pytest
from conftest import require_torch

import numtorch
from numtorch import _threads
from numtorch._bench import cli as bench_cli
from numtorch._bench import harness
from numtorch.cli import main as numtorch_main

BENCH_PY = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "bench.py")
QUICK = ["--only", "op_1", "--repeat", "1", "--inner", "1"]


@pytest.fixture
def restore_threads():
    """Leave the BLAS pool as the test found it."""
    before = numtorch.get_num_threads()
    yield
    numtorch.set_num_threads(before)


# --- the harness -----------------------------------------------------------------------------

def test_bench_numtorch_alone_with_openblas_unset_child(capsys, tmp_path):
    environ = {v: os.environ.get(v) for v in harness.OPENBLAS_VARS}
    out_json = tmp_path / "bench.json"
    status = bench_cli.main([*QUICK, "--no-torch", "--import-repeat", "1", "--openblas-unset",
                             "--json", str(out_json)], prog="numtorch bench")
    assert status == 0
    assert {v: os.environ.get(v) for v in harness.OPENBLAS_VARS} == environ  # the child's only
    out = capsys.readouterr().out
    assert "command: numtorch bench --only op_1" in out
    assert "OPENBLAS_CORETYPE=" in out and "child with both removed" in out
    rows = [line.split() for line in out.splitlines() if line.startswith(("op_1", " "))]
    assert [r[0] for r in rows[:2]] == ["op_1", "numtorch,"]  # numtorch, then the child's row
    assert "import time" in out and "numtorch" in out.split("import time")[1]
    data = json.loads(out_json.read_text())
    run = data["runs"][0]
    assert set(run["samples"]["op_1"]) == {"numtorch", harness.UNSET}
    assert len(run["samples"]["op_1"]["numtorch"]) == 1


def test_bench_with_torch_markdown_table(capsys):
    require_torch()
    status = bench_cli.main([*QUICK, "--import-repeat", "0", "--threads-list", "1,default",
                             "--markdown"], prog="numtorch bench")
    assert status == 0
    out = capsys.readouterr().out
    assert out.startswith("Command: `numtorch bench --only op_1")
    assert "- Threads: 1 (numtorch 1, torch 1); default (numtorch" in out
    header = ("| workload | description | threads | numtorch | torch | numtorch/torch | target "
              "| met |")
    assert header in out
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in out.splitlines() if line.startswith("| op_1 ")]
    assert [r[2] for r in rows] == ["1", "default"]
    for r in rows:
        assert float(r[5]) > 0 and r[6] == "≤ 0.5" and r[7] in ("yes", "no")


def test_bench_text_report_has_ratio_and_threads_restored(capsys, restore_threads):
    torch = require_torch()
    before = (numtorch.get_num_threads(), torch.get_num_threads())
    assert bench_cli.main([*QUICK, "--import-repeat", "0", "--threads", "1"]) == 0
    assert (numtorch.get_num_threads(), torch.get_num_threads()) == before
    out = capsys.readouterr().out
    assert "threads 1 (numtorch 1, torch 1)" in out
    numtorch_row = next(line for line in out.splitlines() if line.startswith("op_1 "))
    assert numtorch_row.split()[1] == "numtorch"
    assert float(numtorch_row.split()[-4]) > 0  # the ratio, before "<= 0.5 yes|no"


def test_with_floor_adds_mlp_matmul_after_the_epochs():
    assert harness.with_floor(["op_1", "mlp_epoch", "lenet"]) == \
        ["op_1", "mlp_epoch", "mlp_matmul", "lenet"]
    assert harness.with_floor(["op_1"]) == ["op_1"]
    assert harness.with_floor(["mlp_matmul", "mlp_epoch_adam"]) == \
        ["mlp_matmul", "mlp_epoch_adam"]


def test_memory_probe_holds_one_library():
    result = harness.peak_memory("linear_relu", ["numtorch"], threads=1)["numtorch"]
    assert result["modules"] == ["numtorch"]
    assert result["peak_mb"] >= result["baseline_mb"] > 0


def test_numtorch_bench_help(capsys):
    with pytest.raises(SystemExit) as exc:
        numtorch_main(["bench", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--threads-list", "--openblas-unset", "--markdown", "--json", "--clock",
                   "--repeat", "--only", "--no-torch", "mlp_epoch_adam"):
        assert option in out


def test_bench_py_runs_the_same_harness(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", [BENCH_PY, "--help"])
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(BENCH_PY, run_name="__main__")
    assert exc.value.code == 0
    assert "--openblas-unset" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["0", "x", "1,-1"])
def test_bench_rejects_bad_thread_counts(bad, capsys):
    with pytest.raises(SystemExit):
        bench_cli.main(["--threads-list", bad])
    assert "positive int" in capsys.readouterr().err


# --- set_num_threads / get_num_threads ------------------------------------------------------

def test_set_num_threads_sets_the_blas_pool(restore_threads):
    from threadpoolctl import threadpool_info

    numtorch.set_num_threads(1)
    assert numtorch.get_num_threads() == 1
    assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {1}
    numtorch.set_num_threads(3)  # more than the cores, as torch allows
    assert numtorch.get_num_threads() == 3


@pytest.mark.parametrize("function", ["set_num_threads", "set_num_interop_threads"])
@pytest.mark.parametrize("value", [0, -1, 1.5, "2", True, None, 2**31])
def test_thread_count_errors_match_torch(function, value):
    torch = require_torch()
    with pytest.raises(Exception) as expected:
        getattr(torch, function)(value)
    with pytest.raises(type(expected.value), match=f"^{re.escape(str(expected.value))}$"):
        getattr(numtorch, function)(value)


def test_defaults_and_interop_once_match_torch():
    """In a fresh interpreter, where nothing has set either library's counts yet."""
    require_torch()
    code = """if True:
        import json, numtorch, torch
        out = {"threads": [numtorch.get_num_threads(), torch.get_num_threads()],
               "interop": [numtorch.get_num_interop_threads(), torch.get_num_interop_threads()]}
        for lib in (numtorch, torch):
            lib.set_num_interop_threads(3)
            try:
                lib.set_num_interop_threads(2)
            except RuntimeError as e:
                out.setdefault("again", []).append(str(e))
            out.setdefault("interop_set", []).append(lib.get_num_interop_threads())
        print(json.dumps(out))
    """
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, check=True).stdout)
    assert out["threads"][0] == out["threads"][1]
    assert out["interop"][0] == out["interop"][1]
    assert out["interop_set"] == [3, 3]
    assert len(out["again"]) == 2 and out["again"][0] == out["again"][1]


def test_without_threadpoolctl_the_value_is_kept_with_a_warning(monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # `import threadpoolctl` fails
    monkeypatch.setattr(_threads, "_blas", None)
    monkeypatch.setattr(_threads, "_num_threads", None)
    assert numtorch.get_num_threads() >= 1
    with pytest.warns(UserWarning, match="threadpoolctl is not installed"):
        numtorch.set_num_threads(3)
    assert numtorch.get_num_threads() == 3


def test_threadpoolctl_is_not_imported_with_numtorch():
    code = "import sys, numtorch; print('threadpoolctl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
