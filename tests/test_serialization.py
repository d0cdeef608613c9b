"""numtorch.save / numtorch.load against torch's own checkpoint format.

Files go both ways: numtorch writes, torch reads (weights_only=True), and the other way round;
the layout of the archive (records, 64-byte alignment, data.pkl) is compared with torch's.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import stat
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from conftest import require_torch

import numtorch as nt
from numtorch._serialization import archive

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def sample(lib, name):
    """A small tensor of dtype ``name`` in either library."""
    values = [[True, False], [False, True]] if name == "bool" else [[1, 0], [3, 127]]
    return lib.tensor(values, dtype=getattr(lib, name))


def assert_same(ours, theirs):
    """Same dtype, shape and values for a numtorch tensor and a torch tensor."""
    assert repr(ours.dtype) == repr(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def zip_bytes(pkl, records=None, name="archive"):
    """A checkpoint-shaped zip holding ``pkl`` as data.pkl (and any extra records)."""
    records = {"byteorder": b"little", "version": b"3\n", **(records or {})}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(f"{name}/data.pkl", pkl)
        for key, data in records.items():
            zf.writestr(f"{name}/{key}", data)
    return out.getvalue()


def views(lib):
    """A base tensor and views of it with offsets, steps, transposes and an expand."""
    base = lib.arange(24.0).reshape(4, 6)
    return {"base": base, "t": base.t(), "stepped": base[1:, ::2], "row": base[2],
            "cols_t": base[:, 1:3].t(), "expanded": base[None, 1].expand(3, 6)}


# -- numtorch writes, torch reads ----------------------------------------------------------------

@pytest.mark.parametrize("name", DTYPES)
def test_every_dtype_loads_in_torch(tmp_path, name):
    torch = require_torch()
    path = tmp_path / "t.pt"
    nt.save(sample(nt, name), path)
    assert_same(sample(nt, name), torch.load(path, weights_only=True))


def test_zero_dim_and_empty_tensors_load_in_torch(tmp_path):
    torch = require_torch()
    obj = {"scalar": nt.tensor(3.5), "empty": nt.zeros(0), "empty2d": nt.zeros(2, 0, 3),
           "long0d": nt.tensor(7)}
    nt.save(obj, tmp_path / "e.pt")
    loaded = torch.load(tmp_path / "e.pt", weights_only=True)
    for key, value in obj.items():
        assert_same(value, loaded[key])
    assert loaded["empty2d"].stride() == torch.zeros(2, 0, 3).stride()


def test_views_keep_strides_offsets_and_sharing_in_torch(tmp_path):
    torch = require_torch()
    nt.save(views(nt), tmp_path / "v.pt")
    loaded = torch.load(tmp_path / "v.pt", weights_only=True)
    expected = views(torch)
    for key, want in expected.items():
        assert_same(views(nt)[key], loaded[key])
        assert loaded[key].stride() == want.stride(), key
        assert loaded[key].storage_offset() == want.storage_offset(), key
    loaded["base"][1, 0] = -1.0  # one storage: the write shows through every view
    assert loaded["t"][0, 1] == -1 and loaded["expanded"][2, 0] == -1


def test_same_tensor_twice_is_one_object_in_torch(tmp_path):
    torch = require_torch()
    x = nt.ones(3)
    nt.save({"a": x, "b": [x, x.detach()]}, tmp_path / "s.pt")
    loaded = torch.load(tmp_path / "s.pt", weights_only=True)
    assert loaded["a"] is loaded["b"][0]
    loaded["a"][0] = 5.0  # detach() shares memory, so it shares the storage too
    assert loaded["b"][1][0] == 5


def test_parameters_load_in_torch(tmp_path):
    torch = require_torch()
    frozen = nt.nn.Parameter(nt.zeros(2), requires_grad=False)
    obj = {"p": nt.nn.Parameter(nt.ones(2, 3)), "frozen": frozen}
    nt.save(obj, tmp_path / "p.pt")
    loaded = torch.load(tmp_path / "p.pt", weights_only=True)
    assert isinstance(loaded["p"], torch.nn.Parameter) and loaded["p"].requires_grad
    assert isinstance(loaded["frozen"], torch.nn.Parameter) and not loaded["frozen"].requires_grad
    assert_same(obj["p"], loaded["p"])


def test_non_leaf_is_saved_requiring_grad_like_torch(tmp_path):
    torch = require_torch()
    y = nt.ones(2, requires_grad=True) * 2
    nt.save(y, tmp_path / "y.pt")
    loaded = torch.load(tmp_path / "y.pt", weights_only=True)
    assert loaded.requires_grad and loaded.is_leaf


def test_nested_containers_load_in_torch(tmp_path):
    torch = require_torch()
    obj = {"list": [1, 2.5, "three", None, True], "tuple": (nt.ones(1), (4,)),
           "od": OrderedDict(a=nt.zeros(2)), "dtype": nt.float16, "size": nt.Size([2, 3]),
           "device": nt.device("cpu"), "set": {1, 2}, "complex": 1 + 2j, "bytes": b"\x00\xff"}
    nt.save(obj, tmp_path / "n.pt")
    loaded = torch.load(tmp_path / "n.pt", weights_only=True)
    assert loaded["list"] == obj["list"] and loaded["tuple"][1] == (4,)
    assert isinstance(loaded["od"], OrderedDict)
    assert loaded["dtype"] is torch.float16 and loaded["device"] == torch.device("cpu")
    assert isinstance(loaded["size"], torch.Size) and loaded["size"] == torch.Size([2, 3])
    assert loaded["set"] == {1, 2} and loaded["complex"] == 1 + 2j
    assert loaded["bytes"] == b"\x00\xff"


def test_optimizer_like_state_dict_loads_in_torch(tmp_path):
    torch = require_torch()
    obj = {"state": {0: {"momentum_buffer": nt.tensor([0.5, -1.0])}},
           "param_groups": [{"lr": 0.1, "params": [0]}]}
    nt.save(obj, tmp_path / "o.pt")
    loaded = torch.load(tmp_path / "o.pt", weights_only=True)
    assert loaded["param_groups"] == obj["param_groups"]
    assert_same(obj["state"][0]["momentum_buffer"], loaded["state"][0]["momentum_buffer"])


def test_model_and_optimizer_checkpoint_resumes_in_torch(tmp_path):
    torch = require_torch()
    model = nt.nn.Linear(3, 2)
    opt = nt.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(nt.randn(4, 3)).sum().backward()
    opt.step()
    nt.save({"model": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "ckpt.pt")
    ckpt = torch.load(tmp_path / "ckpt.pt", weights_only=True)
    twin = torch.nn.Linear(3, 2)
    twin.load_state_dict(ckpt["model"])
    torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9).load_state_dict(ckpt["opt"])
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(model(nt.from_numpy(x)).detach().numpy(),
                               twin(torch.from_numpy(x)).detach().numpy(), rtol=1e-6)


def test_views_of_one_buffer_as_two_dtypes_raise_like_torch(tmp_path):
    torch = require_torch()
    memory = np.arange(4, dtype=np.float32)
    for lib in (torch, nt):  # one buffer seen as float32 and as int32
        with pytest.raises(RuntimeError, match="view the same data as different types"):
            lib.save({"a": lib.from_numpy(memory), "b": lib.from_numpy(memory.view(np.int32))},
                     tmp_path / "x.pt")


# -- the archive itself ---------------------------------------------------------------------------

def layout_object(lib):
    base = lib.arange(12, dtype=lib.float32).reshape(3, 4)
    return OrderedDict(w=base, v=base[1:, 1:3], p=lib.nn.Parameter(lib.ones(2)),
                       b=lib.tensor(True), h=lib.zeros(0, dtype=lib.float16), dt=lib.float32,
                       sz=lib.Size([2, 3]), again=[base, 1, "x"])


def test_data_pkl_and_records_are_torchs(tmp_path):
    torch = require_torch()
    nt.save(layout_object(nt), tmp_path / "model.pth")
    (tmp_path / "ref").mkdir()
    torch.save(layout_object(torch), tmp_path / "ref" / "model.pth")
    ours = zipfile.ZipFile(tmp_path / "model.pth")
    theirs = zipfile.ZipFile(tmp_path / "ref" / "model.pth")
    assert ours.namelist() == theirs.namelist()
    for name in ours.namelist():
        if not name.endswith("serialization_id"):  # torch hashes its own way
            assert ours.read(name) == theirs.read(name), name
    assert len(ours.read("model/.data/serialization_id")) == 40


def test_record_data_starts_on_64_byte_boundaries(tmp_path):
    nt.save({"a": nt.ones(3), "b": nt.zeros(5, dtype=nt.int8), "c": nt.tensor(1.0)},
            tmp_path / "a.pt")
    raw = (tmp_path / "a.pt").read_bytes()
    for info in zipfile.ZipFile(tmp_path / "a.pt").infolist():
        name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:
                                                       info.header_offset + 30])
        assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0, info.filename
        assert info.compress_type == zipfile.ZIP_STORED


def test_big_endian_files_are_swapped_like_torch(tmp_path):
    torch = require_torch()
    nt.save({"x": nt.tensor([1.5, -2.0, 3.0]), "i": nt.tensor([1, 256], dtype=nt.int16)},
            tmp_path / "le.pt")
    zf = zipfile.ZipFile(tmp_path / "le.pt")
    swapped = {"byteorder": b"big",  # as a big-endian machine would have written it
               "data/0": np.frombuffer(zf.read("le/data/0"), "<f4").astype(">f4").tobytes(),
               "data/1": np.frombuffer(zf.read("le/data/1"), "<i2").astype(">i2").tobytes()}
    records = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    pkl = records.pop("data.pkl")
    (tmp_path / "be.pt").write_bytes(zip_bytes(pkl, {**records, **swapped}))
    ours, theirs = nt.load(tmp_path / "be.pt"), torch.load(tmp_path / "be.pt")
    assert ours["x"].tolist() == theirs["x"].tolist() == [1.5, -2.0, 3.0]
    assert ours["i"].tolist() == theirs["i"].tolist() == [1, 256]


def test_byteorder_record_can_be_left_out(tmp_path):
    torch = require_torch()
    nt.save(nt.ones(2), tmp_path / "n.pt", _disable_byteorder_record=True)
    assert "n/byteorder" not in zipfile.ZipFile(tmp_path / "n.pt").namelist()
    assert torch.load(tmp_path / "n.pt").tolist() == nt.load(tmp_path / "n.pt").tolist()


@pytest.mark.parametrize("filename", ["model.pth", "m.tar.gz", "ckpt", "a b-c.pt", "x.",
                                      "caf\u00e9.pt"])
def test_archive_name_follows_torch(tmp_path, filename):
    torch = require_torch()
    (tmp_path / "ref").mkdir()
    nt.save(nt.ones(1), tmp_path / filename)
    torch.save(torch.ones(1), tmp_path / "ref" / filename)
    ours = zipfile.ZipFile(tmp_path / filename).namelist()[0]
    assert ours == zipfile.ZipFile(tmp_path / "ref" / filename).namelist()[0]


# -- torch writes, numtorch reads ----------------------------------------------------------------

@pytest.mark.parametrize("name", DTYPES)
def test_every_dtype_from_torch(tmp_path, name):
    torch = require_torch()
    torch.save(sample(torch, name), tmp_path / "t.pt")
    loaded = nt.load(tmp_path / "t.pt")
    assert type(loaded) is nt.Tensor
    assert_same(loaded, sample(torch, name))


def test_zero_dim_and_empty_from_torch(tmp_path):
    torch = require_torch()
    obj = {"scalar": torch.tensor(2.5), "empty": torch.zeros(0, 4), "flag": torch.tensor(False)}
    torch.save(obj, tmp_path / "e.pt")
    loaded = nt.load(tmp_path / "e.pt")
    for key, value in obj.items():
        assert_same(loaded[key], value)


def test_views_from_torch_share_memory(tmp_path):
    torch = require_torch()
    torch.save(views(torch), tmp_path / "v.pt")
    loaded = nt.load(tmp_path / "v.pt")
    for key, want in views(torch).items():
        assert_same(loaded[key], want)
        assert loaded[key].stride() == want.stride(), key
    loaded["base"][1, 0] = -1.0
    assert loaded["t"][0, 1].item() == -1 and loaded["expanded"][2, 0].item() == -1
    with pytest.raises(RuntimeError, match="single memory location"):
        loaded["expanded"].add_(1)  # expanded memory stays read-only, as numtorch makes it


def test_parameters_and_containers_from_torch(tmp_path):
    torch = require_torch()
    x = torch.ones(2)
    obj = {"p": torch.nn.Parameter(torch.arange(3.0)), "q": torch.nn.Parameter(
        torch.zeros(1), requires_grad=False), "same": [x, x], "dtype": torch.int16,
        "size": torch.Size([1, 2]), "device": torch.device("cpu"), "od": OrderedDict(k=1)}
    torch.save(obj, tmp_path / "p.pt")
    loaded = nt.load(tmp_path / "p.pt")
    assert isinstance(loaded["p"], nt.nn.Parameter) and loaded["p"].requires_grad
    assert isinstance(loaded["q"], nt.nn.Parameter) and not loaded["q"].requires_grad
    assert_same(loaded["p"], obj["p"])
    assert loaded["same"][0] is loaded["same"][1]
    assert loaded["dtype"] is nt.int16 and isinstance(loaded["size"], nt.Size)
    assert loaded["device"] == nt.device("cpu") and isinstance(loaded["od"], OrderedDict)


def test_torch_model_and_optimizer_load_into_numtorch(tmp_path):
    torch = require_torch()
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.randn(4, 3)).sum().backward()
    opt.step()
    torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, tmp_path / "ckpt.pt")
    ckpt = nt.load(tmp_path / "ckpt.pt")
    assert ckpt["model"]._metadata == model.state_dict()._metadata  # set by BUILD
    twin = nt.nn.Linear(3, 2)
    twin.load_state_dict(ckpt["model"])
    nt.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9).load_state_dict(ckpt["opt"])
    assert_same(ckpt["opt"]["state"][0]["momentum_buffer"],
                opt.state_dict()["state"][0]["momentum_buffer"])
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(twin(nt.from_numpy(x)).detach().numpy(),
                               model(torch.from_numpy(x)).detach().numpy(), rtol=1e-6)


def test_tensor_attributes_from_torch(tmp_path):
    torch = require_torch()
    t = torch.ones(2)
    t.note = "hello"  # torch pickles this through _rebuild_from_type_v2
    torch.save(t, tmp_path / "a.pt")
    assert nt.load(tmp_path / "a.pt").note == "hello"


# -- within numtorch, and file objects ----------------------------------------------------------

@pytest.mark.parametrize("name", DTYPES)
def test_round_trip(tmp_path, name):
    obj = {"t": sample(nt, name), "v": sample(nt, name).t()}
    nt.save(obj, tmp_path / "r.pt")
    loaded = nt.load(tmp_path / "r.pt")
    for key in obj:
        assert loaded[key].dtype is obj[key].dtype
        np.testing.assert_array_equal(loaded[key].numpy(), obj[key].numpy())


def test_round_trip_keeps_sharing_and_parameters(tmp_path):
    model = nt.nn.Linear(2, 2)
    x = nt.arange(6.0).reshape(2, 3)
    nt.save({"sd": model.state_dict(), "x": x, "col": x[:, 1]}, tmp_path / "r.pt")
    loaded = nt.load(tmp_path / "r.pt")
    assert list(loaded["sd"]) == ["weight", "bias"]
    loaded["x"][1, 1] = 50.0
    assert loaded["col"].tolist() == [1.0, 50.0]
    nt.save(loaded, tmp_path / "again.pt")  # loaded tensors save again, still sharing
    again = nt.load(tmp_path / "again.pt")
    assert again["col"].tolist() == [1.0, 50.0]


def test_file_objects_both_ways():
    torch = require_torch()
    buffer = io.BytesIO()
    nt.save({"w": nt.ones(2, 2)}, buffer)
    assert zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist()[0] == "archive/data.pkl"
    buffer.seek(0)
    assert_same(nt.ones(2, 2), torch.load(buffer, weights_only=True)["w"])
    buffer = io.BytesIO()
    torch.save({"w": torch.full((3,), 2.0)}, buffer)
    buffer.seek(0)
    assert_same(nt.load(buffer)["w"], torch.full((3,), 2.0))


def test_protocol_4_round_trip_and_torch_reads_it(tmp_path):
    torch = require_torch()
    nt.save({"x": nt.ones(2), "d": nt.float64}, tmp_path / "p4.pt", pickle_protocol=4)
    assert nt.load(tmp_path / "p4.pt")["d"] is nt.float64
    assert torch.load(tmp_path / "p4.pt", weights_only=False)["d"] is torch.float64


# -- safety -------------------------------------------------------------------------------------

class Payload:
    """Pickles as a call that would create ``marker`` if anything ran it."""

    def __init__(self, func, marker):
        self.func, self.marker = func, marker

    def __reduce__(self):
        if self.func is os.system:
            return os.system, (f"touch '{self.marker}'",)
        return eval, (f"open({str(self.marker)!r}, 'w').close()",)


def payloads(marker):
    inst = f"(S'touch {marker}'\nios\nsystem\n.".encode()  # protocol 0's INST opcode
    return {"os.system": pickle.dumps(Payload(os.system, marker), protocol=2),
            "eval": pickle.dumps(Payload(eval, marker), protocol=2),
            "stack_global": pickle.dumps(Payload(eval, marker), protocol=4),
            "inst": inst,
            "nested": pickle.dumps({"w": [1, Payload(os.system, marker)]}, protocol=2)}


@pytest.mark.parametrize("kind", ["os.system", "eval", "stack_global", "inst", "nested"])
def test_malicious_pickle_is_refused_and_never_runs(tmp_path, kind):
    marker = tmp_path / "pwned"
    data = zip_bytes(payloads(marker)[kind])
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed") as err:
        nt.load(io.BytesIO(data))
    # the message names the refused global (os.system pickles as posix.system)
    named = r"GLOBAL (os|posix|nt|builtins|__builtin__)\.(system|eval) was not an allowed"
    assert re.search(named, str(err.value))
    assert not marker.exists()


def test_the_payload_is_real_when_weights_only_is_off(tmp_path):
    marker = tmp_path / "pwned"
    nt.load(io.BytesIO(zip_bytes(payloads(marker)["eval"])), weights_only=False)
    assert marker.exists()  # so the refusal above is what kept the marker away


def test_out_of_bounds_tensor_is_refused():
    # a tensor claiming 100 elements of a 2-element storage must not read past it
    pkl = (b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\n((X\x07\x00\x00\x00storage"
           b"ctorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x02tQK\x00Kd\x85K"
           b"\x01\x85\x89ccollections\nOrderedDict\n)RtR.")
    data = zip_bytes(pkl, {"data/0": np.ones(2, np.float32).tobytes()})
    with pytest.raises(RuntimeError, match="out of bounds"):
        nt.load(io.BytesIO(data))


@pytest.mark.parametrize("target", [b"ctorch\nfloat32\n", b"ctorch._utils\n_rebuild_tensor_v2\n",
                                    b"ctorch\nSize\n"])
def test_build_cannot_rewrite_shared_objects(target):
    # BUILD with slot state would setattr(target, "name", "evil") for the whole process
    pkl = b"\x80\x02" + target + b"N}X\x04\x00\x00\x00nameX\x04\x00\x00\x00evils\x86b."
    with pytest.raises(pickle.UnpicklingError, match="Can only build Tensor"):
        nt.load(io.BytesIO(zip_bytes(pkl)))
    assert nt.float32.name == "float32" and not hasattr(nt.Size, "name")


class Point:
    def __init__(self, x):
        self.x = x


def test_safe_globals_allow_a_class(tmp_path):
    nt.save({"pt": Point(3)}, tmp_path / "pt.pt")
    with pytest.raises(pickle.UnpicklingError, match="Point"):
        nt.load(tmp_path / "pt.pt")
    with nt.serialization.safe_globals([Point]):
        assert nt.load(tmp_path / "pt.pt")["pt"].x == 3
    assert nt.serialization.get_safe_globals() == []
    assert nt.load(tmp_path / "pt.pt", weights_only=False)["pt"].x == 3


def test_legacy_torch_names_map_onto_numtorch_without_weights_only():
    pkl = b"\x80\x02ctorch.nn.modules.activation\nReLU\n)R."
    assert isinstance(nt.load(io.BytesIO(zip_bytes(pkl)), weights_only=False), nt.nn.ReLU)


def test_unsupported_torch_dtype_fails_clearly(tmp_path):
    torch = require_torch()
    torch.save(torch.ones(2, dtype=torch.bfloat16), tmp_path / "b.pt")
    with pytest.raises(RuntimeError, match="BFloat16Storage"):
        nt.load(tmp_path / "b.pt")


# -- atomic writes -------------------------------------------------------------------------------

def test_failed_pickling_leaves_the_old_file(tmp_path):
    path = tmp_path / "ckpt.pt"
    nt.save({"w": nt.ones(2)}, path)
    before = path.read_bytes()
    with pytest.raises(pickle.PicklingError):
        nt.save({"w": nt.zeros(1000), "bad": lambda: 0}, path)  # fails after the tensor
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.pt"]


def test_failure_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    nt.save({"w": nt.ones(2)}, path)
    before = path.read_bytes()
    real_put, calls = archive._put, []

    def failing_put(*args):
        calls.append(args)
        if len(calls) == 6:  # in the middle of the storages
            raise OSError("disk full")
        real_put(*args)

    monkeypatch.setattr(archive, "_put", failing_put)
    with pytest.raises(OSError, match="disk full"):
        nt.save({"a": nt.zeros(100), "b": nt.zeros(100), "c": nt.zeros(100)}, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.pt"]


def test_save_keeps_permissions_and_writes_through_symlinks(tmp_path):
    target = tmp_path / "real.pt"
    nt.save(nt.ones(1), target)
    os.chmod(target, 0o640)
    link = tmp_path / "link.pt"
    link.symlink_to(target)
    nt.save(nt.zeros(3), link)
    assert link.is_symlink() and nt.load(target).shape == (3,)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_missing_parent_directory_raises_like_torch(tmp_path):
    torch = require_torch()
    with pytest.raises(RuntimeError) as theirs:
        torch.save(torch.ones(1), str(tmp_path / "nodir" / "x.pt"))
    with pytest.raises(RuntimeError) as ours:
        nt.save(nt.ones(1), str(tmp_path / "nodir" / "x.pt"))
    assert str(ours.value) == str(theirs.value)


# -- map_location ---------------------------------------------------------------------------------

def cuda_file(tmp_path):
    """A checkpoint whose storage was saved on cuda:0 (torch.save's bytes, location edited)."""
    torch = require_torch()
    torch.save({"w": torch.arange(3.0)}, tmp_path / "cpu.pt")
    zf = zipfile.ZipFile(tmp_path / "cpu.pt")
    pkl = zf.read("cpu/data.pkl").replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
    path = tmp_path / "cuda.pt"
    path.write_bytes(zip_bytes(pkl, {"data/0": zf.read("cpu/data/0")}))
    return path


def test_map_location_variants_on_a_cpu_file(tmp_path):
    torch = require_torch()
    nt.save({"w": nt.arange(3.0)}, tmp_path / "c.pt")
    for where in [None, "cpu", nt.device("cpu"), torch.device("cpu"), {"cpu": "cpu"},
                  lambda storage, loc: storage, lambda storage, loc: None]:
        assert nt.load(tmp_path / "c.pt", map_location=where)["w"].tolist() == [0.0, 1.0, 2.0]


@pytest.mark.parametrize("where", [None, "cuda", {"cpu": "cuda:0"}])
def test_cuda_targets_raise_what_cpu_torch_raises(tmp_path, where):
    torch = require_torch()
    path = cuda_file(tmp_path) if where is None else tmp_path / "c.pt"
    if where is not None:
        torch.save({"w": torch.ones(1)}, path)
    with pytest.raises(RuntimeError) as theirs:
        torch.load(path, map_location=where, weights_only=True)
    with pytest.raises(RuntimeError) as ours:
        nt.load(path, map_location=where)
    assert str(ours.value) == str(theirs.value)


def test_cuda_file_maps_to_cpu(tmp_path):
    path = cuda_file(tmp_path)
    seen = []
    for where in ["cpu", {"cuda:0": "cpu"}, lambda s, loc: seen.append(loc) or s.cpu()]:
        assert nt.load(path, map_location=where)["w"].tolist() == [0.0, 1.0, 2.0]
    assert seen == ["cuda:0"]


# -- legacy format, mmap ------------------------------------------------------------------------

def test_legacy_format_both_ways(tmp_path):
    torch = require_torch()
    torch.save(views(torch), tmp_path / "old.pt", _use_new_zipfile_serialization=False)
    loaded = nt.load(tmp_path / "old.pt")
    for key, want in views(torch).items():
        assert_same(loaded[key], want)
    nt.save(views(nt), tmp_path / "ours.pt", _use_new_zipfile_serialization=False)
    theirs = torch.load(tmp_path / "ours.pt", weights_only=True)
    for key, want in views(torch).items():
        assert_same(views(nt)[key], theirs[key])
        assert theirs[key].stride() == want.stride()
    theirs["base"][0, 1] = 9.0
    assert theirs["t"][1, 0] == 9


def test_garbage_is_not_a_checkpoint():
    with pytest.raises(RuntimeError, match="Invalid magic number"):
        nt.load(io.BytesIO(pickle.dumps({"a": 1}, protocol=2)))


def test_mmap_load_is_copy_on_write(tmp_path):
    path = tmp_path / "m.pt"
    nt.save({"w": nt.arange(4.0), "v": nt.arange(4.0)[1:]}, path)
    before = path.read_bytes()
    loaded = nt.load(path, mmap=True)
    assert loaded["w"].tolist() == [0.0, 1.0, 2.0, 3.0]
    loaded["w"].add_(1)
    assert path.read_bytes() == before
    with pytest.raises(ValueError, match="file path"):
        nt.load(io.BytesIO(before), mmap=True)


def test_explicit_pickle_module_turns_weights_only_off(tmp_path):
    nt.save({"pt": Point(1)}, tmp_path / "pt.pt")
    assert nt.load(tmp_path / "pt.pt", pickle_module=pickle)["pt"].x == 1
    with pytest.raises(RuntimeError, match="explicit pickle_module"):
        nt.load(tmp_path / "pt.pt", pickle_module=pickle, weights_only=True)
