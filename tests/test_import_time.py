"""What ``import numtorch`` loads: the heavy parts stay out until first used.

Structural checks in fresh subprocesses (the test process has imported everything already);
no timings here: benchmarks/bench.py measures ``import numtorch`` against ``import torch``.
See NOTE [ Lazy submodules ] in numtorch/__init__.py and NOTE [ The twister on first draw ] in
numtorch/_random_engine.py.
"""

import json
import subprocess
import sys

import pytest

# Modules ``import numtorch`` must not load. Each is checked only against what ``import numpy``
# itself leaves unloaded, so a NumPy or Python version that loads one of them anyway does not
# fail the test for numtorch.
NOT_AT_IMPORT = [
    "numtorch.nn",
    "numtorch.optim",
    "numtorch.utils",
    "numtorch.serialization",
    "numtorch.vision",
    "numtorch.distributed",
    "numtorch._tensor_str",
    "numpy.random",  # only when the stream is first read
    "dataclasses",
    "torch",
]


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line, returned parsed."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _new_modules(setup: str = "") -> dict:
    """The modules ``import numpy`` loads and those ``import numtorch`` adds, then ``setup``."""
    return _run(
        "import json, sys\n"
        "import numpy\n"
        "with_numpy = set(sys.modules)\n"
        "import numtorch\n"
        "after = set(sys.modules)\n"
        f"{setup}\n"
        "print(json.dumps({'numpy': sorted(with_numpy), 'numtorch': sorted(after - with_numpy),"
        " 'setup': sorted(set(sys.modules) - after)}))"
    )


def test_import_leaves_heavy_modules_unloaded():
    mods = _new_modules()
    watched = [name for name in NOT_AT_IMPORT if name not in mods["numpy"]]
    loaded = [m for m in mods["numtorch"]
              if any(m == name or m.startswith(name + ".") for name in watched)]
    assert loaded == [], f"import numtorch loaded {loaded}"


@pytest.mark.parametrize(("setup", "expected"), [
    ("numtorch.manual_seed(0)", []),  # seeding alone needs no twister
    ("numtorch.rand(2)", ["numpy.random"]),
    ("repr(numtorch.zeros(2))", ["numtorch._tensor_str"]),
    ("numtorch.set_printoptions(precision=4)", ["numtorch._tensor_str"]),
    ("numtorch.nn.Linear", ["numtorch.nn"]),
])
def test_heavy_modules_load_on_first_use(setup, expected):
    mods = _new_modules(setup)
    assert "numpy.random" not in mods["numtorch"]
    for name in expected:
        if name not in mods["numpy"]:
            assert name in mods["setup"], f"{setup} did not load {name}"
    if not expected:
        assert "numpy.random" not in mods["setup"]


def test_lazy_names_listed_and_resolved():
    """Every name in ``__all__`` is in ``dir(numtorch)`` before first use and resolves to the
    object its own module defines."""
    out = _run(
        "import json, numtorch\n"
        "names = dir(numtorch)\n"
        "missing = [n for n in numtorch.__all__ if n not in names]\n"
        "from numtorch import _tensor_str, serialization\n"
        "same = [numtorch.set_printoptions is _tensor_str.set_printoptions,\n"
        "        numtorch.save is serialization.save, numtorch._tensor_str is _tensor_str]\n"
        "print(json.dumps({'missing': missing, 'same': same}))"
    )
    assert out["missing"] == []
    assert all(out["same"])
