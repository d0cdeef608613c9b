"""`numtorch run SCRIPT ARGS` behaves like `python SCRIPT ARGS` with torch aliased to numtorch.

Every test runs the command in a subprocess: the alias hook must never be installed in the
test process, where the real torch is the oracle.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from numtorch._alias import target_name


def numtorch_run(tmp_path: Path, source: str, *args: str, name: str = "script.py"):
    """Write ``source`` to tmp_path/name and run it with ``python -m numtorch run``."""
    script = tmp_path / name
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "numtorch", "run", str(script), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_help():
    for args in (["--help"], ["run", "--help"]):
        proc = subprocess.run(
            [sys.executable, "-m", "numtorch", *args], capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        assert "usage: numtorch" in proc.stdout
        assert "run" in proc.stdout


def test_no_command_is_a_usage_error():
    proc = subprocess.run([sys.executable, "-m", "numtorch"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "usage: numtorch" in proc.stderr


def test_argv_name_file_and_path(tmp_path):
    src = """
        import json, sys
        print(json.dumps({"argv": sys.argv, "name": __name__, "file": __file__,
                          "path0": sys.path[0]}))
    """
    # the script's own options, `-h` and `--` included, are the script's
    args = ("a b", "-h", "--", "--lr=0.1")
    out = last_json(numtorch_run(tmp_path, src, *args))
    assert out["argv"] == [str(tmp_path / "script.py"), *args]
    assert out["name"] == "__main__"
    assert out["file"] == str(tmp_path / "script.py")
    assert out["path0"] == str(tmp_path)


def test_script_compiles_as_its_own_module(tmp_path):
    # numtorch.cli's `from __future__ import annotations` must not leak into the script
    src = """
        import json
        def f(x: int): pass
        print(json.dumps(f.__annotations__["x"] is int))
    """
    assert last_json(numtorch_run(tmp_path, src)) is True


def test_script_dir_modules_importable(tmp_path):
    (tmp_path / "helper_mod_xyz.py").write_text("VALUE = 42\n")
    proc = numtorch_run(tmp_path, "import helper_mod_xyz\nprint(helper_mod_xyz.VALUE)\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "42"


def test_exit_codes(tmp_path):
    assert numtorch_run(tmp_path, "print('hi')\n").returncode == 0
    assert numtorch_run(tmp_path, "import sys\nsys.exit(3)\n").returncode == 3
    proc = numtorch_run(tmp_path, "raise SystemExit('bye')\n")
    assert proc.returncode == 1
    assert proc.stderr.strip() == "bye"


def test_missing_script(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "numtorch", "run", str(tmp_path / "nope.py")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "nope.py" in proc.stderr


def test_exception_shows_traceback_and_exits_1(tmp_path):
    src = """
        def inner():
            raise ValueError("boom 123")

        inner()
    """
    proc = numtorch_run(tmp_path, src, name="crash.py")
    assert proc.returncode == 1
    err = proc.stderr
    assert err.startswith("Traceback (most recent call last):"), err
    assert f'File "{tmp_path / "crash.py"}", line 5, in <module>' in err
    assert "in inner" in err
    assert err.rstrip().endswith("ValueError: boom 123")
    assert "cli.py" not in err  # numtorch's own frames are hidden, as python hides its own


def test_syntax_error(tmp_path):
    proc = numtorch_run(tmp_path, "x = (\n", name="bad.py")
    assert proc.returncode == 1
    assert "bad.py" in proc.stderr
    assert "SyntaxError" in proc.stderr


def test_import_torch_is_numtorch(tmp_path):
    src = """
        import json
        import torch
        import numtorch
        print(json.dumps({"name": torch.__name__, "same": torch is numtorch,
                          "spec": torch.__spec__.name}))
    """
    out = last_json(numtorch_run(tmp_path, src))
    assert out == {"name": "numtorch", "same": True, "spec": "numtorch"}


def test_torch_submodule_is_numtorch_submodule(tmp_path):
    # a stand-in numtorch submodule, so this checks the hook, not the core
    src = """
        import json, sys, types
        sys.modules["numtorch.fake_sub_xyz"] = types.ModuleType("numtorch.fake_sub_xyz")
        import torch.fake_sub_xyz
        from torch import fake_sub_xyz
        import numtorch.fake_sub_xyz
        print(json.dumps({"name": torch.fake_sub_xyz.__name__,
                          "same": fake_sub_xyz is numtorch.fake_sub_xyz
                                  and sys.modules["torch.fake_sub_xyz"] is fake_sub_xyz}))
    """
    out = last_json(numtorch_run(tmp_path, src))
    assert out == {"name": "numtorch.fake_sub_xyz", "same": True}


def test_torch_nn_is_numtorch_nn(tmp_path):
    src = """
        import json
        import torch
        import torch.nn
        import torch.nn.functional as F
        from torch import nn
        import numtorch.nn
        print(json.dumps([torch.__name__, torch.nn.__name__, F.__name__,
                          nn is numtorch.nn, F is numtorch.nn.functional]))
    """
    out = last_json(numtorch_run(tmp_path, src))
    assert out == ["numtorch", "numtorch.nn", "numtorch.nn.functional", True, True]


def test_missing_module_names_both(tmp_path):
    src = """
        import json
        found = {}
        for name in ("torch.nonexistent_module_xyz", "torchvision.nonexistent_module_xyz"):
            try:
                __import__(name)
            except ImportError as e:  # what a script's fallback catches
                found[name] = [type(e).__name__, str(e), e.name]
        print(json.dumps(found))
    """
    out = last_json(numtorch_run(tmp_path, src))
    kind, msg, name = out["torch.nonexistent_module_xyz"]
    assert kind == "ModuleNotFoundError"
    assert name == "torch.nonexistent_module_xyz"
    assert "'torch.nonexistent_module_xyz'" in msg
    assert "'numtorch.nonexistent_module_xyz'" in msg
    # numtorch.vision may or may not exist yet: either level may be the missing one
    kind, msg, name = out["torchvision.nonexistent_module_xyz"]
    assert kind == "ModuleNotFoundError"
    assert name in ("torchvision", "torchvision.nonexistent_module_xyz")
    assert f"No module named '{name}'" in msg
    assert "'numtorch.vision" in msg


def test_missing_dependency_of_a_numtorch_module_keeps_its_error(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "broken_xyz.py").write_text("import no_such_dependency_xyz\n")
    src = f"""
        import json
        import numtorch
        numtorch.__path__.append({str(tmp_path / "pkg")!r})
        try:
            import torch.broken_xyz
        except ImportError as e:
            print(json.dumps([str(e), e.name]))
    """
    out = last_json(numtorch_run(tmp_path, src))
    assert out == ["No module named 'no_such_dependency_xyz'", "no_such_dependency_xyz"]


def test_other_modules_untouched(tmp_path):
    src = """
        import json
        try:
            import torchaudio_nonexistent_xyz
        except ImportError as e:
            print(json.dumps(str(e)))
    """
    out = last_json(numtorch_run(tmp_path, src))
    assert out == "No module named 'torchaudio_nonexistent_xyz'"


def test_target_name():
    assert target_name("torch") == "numtorch"
    assert target_name("torch.utils.data") == "numtorch.utils.data"
    assert target_name("torchvision") == "numtorch.vision"
    assert target_name("torchvision.transforms") == "numtorch.vision.transforms"
    for other in ("torchaudio", "torch_geometric", "numtorch.nn", "xtorch"):
        assert target_name(other) is None


def test_install_refuses_when_real_torch_is_loaded():
    src = """
        import sys, types
        sys.modules["torch"] = types.ModuleType("torch")  # stands for an imported real torch
        from numtorch import _alias
        try:
            _alias.install()
        except RuntimeError as e:
            print(e)
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(src)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "torch already imported" in proc.stdout


def test_install_uninstall(tmp_path):
    src = """
        import json, sys
        from numtorch import _alias
        finder = _alias.install()
        again = _alias.install()
        import torch
        aliased = torch.__name__
        _alias.uninstall()
        print(json.dumps([aliased, again is finder, finder in sys.meta_path,
                          "torch" in sys.modules]))
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(src)], capture_output=True, text=True
    )
    assert json.loads(proc.stdout) == ["numtorch", True, False, False], proc.stderr
