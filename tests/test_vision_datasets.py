"""numtorch.vision.datasets on tiny files the tests write; downloads through a fake opener.

Nothing here touches the network: ``datasets.utils.urlopen`` is replaced by :class:`FakeServer`,
which serves bytes from memory (with HTTP Range support, to test resuming).
"""

import gzip
import hashlib
import io
import os
import pickle
import tarfile
import urllib.error

import numpy as np
import pytest

import numtorch
from numtorch.utils.data import DataLoader
from numtorch.vision import datasets, transforms
from numtorch.vision.datasets import cifar, folder, mnist
from numtorch.vision.datasets import utils as dutils

Image = pytest.importorskip("PIL.Image")

SYSTEM_FASHION = "/usr/share/datasets/fashion-mnist"


@pytest.fixture(autouse=True)
def empty_system_datasets(tmp_path, monkeypatch):
    """Point the system-datasets folder at an empty one: the machine's copy must not leak in."""
    empty = tmp_path / "system-empty"
    empty.mkdir()
    monkeypatch.setenv(mnist.SYSTEM_DATASETS_ENV, str(empty))


# -- IDX helpers ------------------------------------------------------------------------------
_IDX_CODE = {np.dtype(np.uint8): 8, np.dtype(np.int8): 9, np.dtype(np.int16): 11,
             np.dtype(np.int32): 12, np.dtype(np.float32): 13, np.dtype(np.float64): 14}


def idx_bytes(arr):
    """An IDX file's bytes: magic, big-endian dims, big-endian values."""
    header = bytes([0, 0, _IDX_CODE[arr.dtype], arr.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    return header + arr.astype(arr.dtype.newbyteorder(">")).tobytes()


def tiny_mnist(seed=0, n_train=5, n_test=3):
    rng = np.random.default_rng(seed)
    return {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


def write_idx_files(folder, arrays, gz):
    folder.mkdir(parents=True, exist_ok=True)
    for name, arr in arrays.items():
        data = idx_bytes(arr)
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)


# -- MNIST / FashionMNIST ---------------------------------------------------------------------
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("cls", [datasets.MNIST, datasets.FashionMNIST])
def test_mnist_reads_torchvision_layout(tmp_path, cls, gz):
    arrays = tiny_mnist()
    write_idx_files(tmp_path / cls.__name__ / "raw", arrays, gz)
    for train, split in ((True, "train"), (False, "t10k")):
        ds = cls(str(tmp_path), train=train)
        images, labels = arrays[f"{split}-images-idx3-ubyte"], arrays[f"{split}-labels-idx1-ubyte"]
        assert ds.train is train and ds.root == str(tmp_path)
        assert ds.raw_folder == os.path.join(str(tmp_path), cls.__name__, "raw")
        assert isinstance(ds.data, numtorch.Tensor) and ds.data.dtype == numtorch.uint8
        assert tuple(ds.data.shape) == images.shape
        np.testing.assert_array_equal(ds.data.numpy(), images)
        assert ds.targets.dtype == numtorch.int64
        assert ds.targets.tolist() == labels.tolist()
        assert len(ds) == len(labels)
        img, target = ds[1]
        assert isinstance(img, Image.Image) and img.mode == "L" and img.size == (28, 28)
        np.testing.assert_array_equal(np.asarray(img), images[1])
        assert type(target) is int and target == labels[1]


def test_mnist_class_lists_are_torchvision_s():
    assert datasets.MNIST.classes == ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
                                      "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]
    assert datasets.FashionMNIST.classes == ["T-shirt/top", "Trouser", "Pullover", "Dress",
                                             "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                                             "Ankle boot"]


def test_mnist_transforms_repr_and_class_to_idx(tmp_path):
    write_idx_files(tmp_path / "FashionMNIST" / "raw", tiny_mnist(), gz=True)
    ds = datasets.FashionMNIST(tmp_path, train=False, transform=transforms.ToTensor(),
                               target_transform=lambda t: t + 100)
    img, target = ds[0]
    assert tuple(img.shape) == (1, 28, 28) and img.dtype == numtorch.float32
    assert target == ds.targets[0].item() + 100
    assert ds.class_to_idx["Ankle boot"] == 9 and ds.class_to_idx["T-shirt/top"] == 0
    head = repr(ds).splitlines()
    assert head[:5] == ["Dataset FashionMNIST", "    Number of datapoints: 3",
                        f"    Root location: {tmp_path}", "    Split: Test",
                        "    StandardTransform"]
    assert head[5] == "Transform: ToTensor()"
    assert head[6].startswith("Target transform: <function")


def test_mnist_repr_without_transforms(tmp_path):
    write_idx_files(tmp_path / "MNIST" / "raw", tiny_mnist(), gz=False)
    assert repr(datasets.MNIST(str(tmp_path))) == (
        f"Dataset MNIST\n    Number of datapoints: 5\n    Root location: {tmp_path}\n"
        "    Split: Train")


def test_mnist_deprecated_names_warn(tmp_path):
    write_idx_files(tmp_path / "MNIST" / "raw", tiny_mnist(), gz=False)
    ds = datasets.MNIST(str(tmp_path))
    with pytest.warns(UserWarning, match="train_labels has been renamed targets"):
        assert ds.train_labels is ds.targets


def test_fashion_mnist_reads_the_system_copy(tmp_path, monkeypatch):
    """Debian's dataset-fashion-mnist layout: the four .gz files in <system>/fashion-mnist/."""
    system = tmp_path / "usr-share-datasets"
    arrays = tiny_mnist(seed=3)
    write_idx_files(system / "fashion-mnist", arrays, gz=True)
    monkeypatch.setenv(mnist.SYSTEM_DATASETS_ENV, str(system))
    root = tmp_path / "empty-root"
    ds = datasets.FashionMNIST(str(root), train=True)
    np.testing.assert_array_equal(ds.data.numpy(), arrays["train-images-idx3-ubyte"])
    assert ds.system_folder == str(system / "fashion-mnist")
    # a copy in torchvision's layout under root wins over the system copy
    write_idx_files(root / "FashionMNIST" / "raw", tiny_mnist(seed=4), gz=False)
    ds = datasets.FashionMNIST(str(root), train=True)
    np.testing.assert_array_equal(ds.data.numpy(),
                                  tiny_mnist(seed=4)["train-images-idx3-ubyte"])
    # MNIST has no system package: the fashion-mnist folder is not MNIST's
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.MNIST(str(tmp_path / "elsewhere"))


def test_system_copy_is_not_used_when_incomplete(tmp_path, monkeypatch):
    system = tmp_path / "sys"
    arrays = tiny_mnist()
    del arrays["t10k-labels-idx1-ubyte"]
    write_idx_files(system / "fashion-mnist", arrays, gz=True)
    monkeypatch.setenv(mnist.SYSTEM_DATASETS_ENV, str(system))
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.FashionMNIST(str(tmp_path / "root"))


def test_missing_files_message(tmp_path):
    with pytest.raises(RuntimeError) as info:
        datasets.FashionMNIST(str(tmp_path))
    message = str(info.value)
    assert message.startswith("Dataset not found. You can use download=True to download it")
    assert os.path.join(str(tmp_path), "FashionMNIST", "raw") in message
    assert "dataset-fashion-mnist" in message and "fashion-mnist" in message
    with pytest.raises(RuntimeError) as info:
        datasets.MNIST(str(tmp_path))
    assert "dataset-fashion-mnist" not in str(info.value)


@pytest.mark.skipif(not os.path.isdir(SYSTEM_FASHION),
                    reason="Debian's dataset-fashion-mnist is not installed")
def test_real_debian_fashion_mnist(tmp_path, monkeypatch):
    monkeypatch.delenv(mnist.SYSTEM_DATASETS_ENV)
    ds = datasets.FashionMNIST(str(tmp_path), train=False)
    assert tuple(ds.data.shape) == (10000, 28, 28) and len(ds) == 10000
    # the test split's first labels, as published with the data set
    assert ds.targets[:10].tolist() == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    assert np.bincount(ds.targets.numpy()).tolist() == [1000] * 10


def test_mnist_through_a_dataloader(tmp_path):
    write_idx_files(tmp_path / "MNIST" / "raw", tiny_mnist(), gz=True)
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    loader = DataLoader(datasets.MNIST(str(tmp_path), transform=tf), batch_size=2)
    shapes = [(tuple(x.shape), tuple(y.shape), y.dtype) for x, y in loader]
    assert shapes[0] == ((2, 1, 28, 28), (2,), numtorch.int64) and len(shapes) == 3


# -- IDX reader -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
def test_idx_reader_round_trips_every_type(tmp_path, dtype):
    arr = (np.arange(24).reshape(2, 3, 4) * 37 - 100).astype(dtype)
    path = tmp_path / "x-idx3"
    path.write_bytes(idx_bytes(arr))
    out = dutils.read_sn3_pascalvincent_tensor(str(path))
    assert out.dtype.np == np.dtype(dtype)  # native byte order, not big-endian
    np.testing.assert_array_equal(out.numpy(), arr)


def test_idx_reader_errors(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"\x01\x02\x08\x01" + b"\x00" * 8)
    with pytest.raises(ValueError, match="not an IDX file"):
        dutils.read_sn3_pascalvincent_tensor(str(bad))
    short = tmp_path / "short"
    short.write_bytes(idx_bytes(np.zeros((4, 2, 2), np.uint8))[:-3])
    with pytest.raises(ValueError, match="holds 13"):
        dutils.read_image_file(str(short))
    wrong = tmp_path / "wrong"
    wrong.write_bytes(idx_bytes(np.zeros(3, np.int16)))
    with pytest.raises(TypeError, match="should be of dtype torch.uint8"):
        dutils.read_label_file(str(wrong))
    flat = tmp_path / "flat"
    flat.write_bytes(idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(ValueError, match="should have 3 dimension"):
        dutils.read_image_file(str(flat))


# -- downloads --------------------------------------------------------------------------------
class FakeResponse(io.BytesIO):
    def __init__(self, body, status=200, headers=None, length=None):
        super().__init__(body)
        self.status = status
        self.headers = headers or {}
        self.length = len(body) if length is None else length

    def getcode(self):
        return self.status


class FakeServer:
    """Replaces ``urlopen``: serves ``files`` by URL; any other URL fails as if offline."""

    def __init__(self, files, honour_range=True, cut_after=None):
        self.files = files
        self.honour_range = honour_range
        self.cut_after = cut_after  # stop the body after this many bytes, once
        self.requests = []

    def __call__(self, request, timeout=None):
        url = request.full_url
        rng = request.get_header("Range")
        self.requests.append((url, rng))
        if url not in self.files:
            raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
        body = self.files[url]
        if rng and self.honour_range:
            start = int(rng.removeprefix("bytes=").rstrip("-"))
            if start >= len(body):
                raise urllib.error.HTTPError(url, 416, "Range Not Satisfiable", None, None)
            headers = {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"}
            return FakeResponse(body[start:], 206, headers)
        if self.cut_after is not None:
            cut, self.cut_after = self.cut_after, None
            return FakeResponse(body[:cut], 200, length=len(body))
        return FakeResponse(body)


@pytest.fixture
def server(monkeypatch):
    def install(files, **kwargs):
        fake = FakeServer(files, **kwargs)
        monkeypatch.setattr(dutils, "urlopen", fake)
        return fake
    return install


def md5(data):
    return hashlib.md5(data).hexdigest()


def test_download_url_checks_md5_and_skips_present_files(tmp_path, server, capsys):
    body = b"numtorch" * 1000
    fake = server({"https://example.invalid/f.bin": body})
    dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert (tmp_path / "f.bin").read_bytes() == body and not (tmp_path / "f.bin.part").exists()
    dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert len(fake.requests) == 1  # already there with the right MD5: no second request
    with pytest.raises(RuntimeError, match="File not found or corrupted"):
        dutils.download_url("https://example.invalid/f.bin", str(tmp_path), "g.bin",
                            md5="0" * 32)


def test_download_resumes_from_a_part_file(tmp_path, server):
    body = bytes(range(256)) * 40
    (tmp_path / "f.bin.part").write_bytes(body[:1000])
    fake = server({"https://example.invalid/f.bin": body})
    dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert fake.requests == [("https://example.invalid/f.bin", "bytes=1000-")]
    assert (tmp_path / "f.bin").read_bytes() == body
    assert not (tmp_path / "f.bin.part").exists()


def test_download_restarts_when_the_server_ignores_range(tmp_path, server):
    body = b"abcdefgh" * 100
    (tmp_path / "f.bin.part").write_bytes(b"stale bytes")
    server({"https://example.invalid/f.bin": body}, honour_range=False)
    dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert (tmp_path / "f.bin").read_bytes() == body


def test_download_complete_part_file_gets_416(tmp_path, server):
    body = b"whole file"
    (tmp_path / "f.bin.part").write_bytes(body)
    server({"https://example.invalid/f.bin": body})
    dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert (tmp_path / "f.bin").read_bytes() == body


def test_interrupted_download_keeps_the_part_and_resumes(tmp_path, server):
    body = bytes(range(200)) * 50
    fake = server({"https://example.invalid/f.bin": body}, cut_after=3000)
    with pytest.raises(OSError, match="stopped after 3000 bytes"):
        dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert (tmp_path / "f.bin.part").read_bytes() == body[:3000]
    dutils.download_url("https://example.invalid/f.bin", str(tmp_path), md5=md5(body))
    assert fake.requests[-1][1] == "bytes=3000-"
    assert (tmp_path / "f.bin").read_bytes() == body


def mnist_server_files(cls, arrays):
    """URL -> gz bytes on the class's first mirror, and resources with their MD5s."""
    files, resources = {}, []
    for name, arr in arrays.items():
        data = gzip.compress(idx_bytes(arr))
        files[cls.mirrors[0] + name + ".gz"] = data
        resources.append((name + ".gz", md5(data)))
    return files, resources


def test_fashion_mnist_download(tmp_path, server, monkeypatch, capsys):
    arrays = tiny_mnist(seed=7)
    files, resources = mnist_server_files(datasets.FashionMNIST, arrays)
    monkeypatch.setattr(datasets.FashionMNIST, "resources", resources)
    fake = server(files)
    ds = datasets.FashionMNIST(str(tmp_path), train=False, download=True)
    np.testing.assert_array_equal(ds.data.numpy(), arrays["t10k-images-idx3-ubyte"])
    raw = tmp_path / "FashionMNIST" / "raw"
    assert (raw / "t10k-images-idx3-ubyte").is_file()  # gunzipped beside the .gz
    assert (raw / "t10k-images-idx3-ubyte.gz").is_file()
    assert len(fake.requests) == 4
    datasets.FashionMNIST(str(tmp_path), train=True, download=True)
    assert len(fake.requests) == 4  # present: nothing downloaded again


def test_mnist_download_tries_the_next_mirror(tmp_path, server, monkeypatch, capsys):
    arrays = tiny_mnist(seed=8)
    files, resources = mnist_server_files(datasets.MNIST, arrays)
    mirrors = ["https://down.invalid/mnist/", datasets.MNIST.mirrors[0]]
    monkeypatch.setattr(datasets.MNIST, "mirrors", mirrors)
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    fake = server(files)
    ds = datasets.MNIST(str(tmp_path), download=True)
    assert ds.targets.tolist() == arrays["train-labels-idx1-ubyte"].tolist()
    assert [url.split("/")[2] for url, _ in fake.requests[:2]] == [
        "down.invalid", "ossci-datasets.s3.amazonaws.com"]


def test_mnist_download_md5_mismatch(tmp_path, server, monkeypatch, capsys):
    files, resources = mnist_server_files(datasets.MNIST, tiny_mnist())
    resources[0] = (resources[0][0], "f" * 32)
    monkeypatch.setattr(datasets.MNIST, "resources", resources)
    monkeypatch.setattr(datasets.MNIST, "mirrors", datasets.MNIST.mirrors[:1])
    server(files)
    with pytest.raises(RuntimeError, match="File not found or corrupted"):
        datasets.MNIST(str(tmp_path), download=True)


def test_download_offline_says_where_to_put_the_files(tmp_path, server, capsys):
    fake = server({})
    with pytest.raises(RuntimeError) as info:
        datasets.FashionMNIST(str(tmp_path), download=True)
    message = str(info.value)
    assert message.startswith("Error downloading train-images-idx3-ubyte.gz")
    assert os.path.join(str(tmp_path), "FashionMNIST", "raw") in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert fake.requests[0][0] == ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
                                   "train-images-idx3-ubyte.gz")
    with pytest.raises(RuntimeError, match="Error downloading"):
        datasets.MNIST(str(tmp_path), download=True)
    assert len(fake.requests) == 1 + len(datasets.MNIST.mirrors)  # every mirror was tried


def test_extract_archive_gz_and_unknown_suffix(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"hello"))
    out = dutils.extract_archive(str(tmp_path / "a.txt.gz"))
    assert out == str(tmp_path / "a.txt") and (tmp_path / "a.txt").read_bytes() == b"hello"
    with pytest.raises(RuntimeError, match="Unknown compression or archive type"):
        dutils.extract_archive(str(tmp_path / "a.rar"))


def tar_bytes(members):
    """A .tar.gz in memory: members are (name, bytes) files or (name, TarInfo-edit) tweaks."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, payload in members:
            info = tarfile.TarInfo(name)
            if callable(payload):
                payload(info)
                tar.addfile(info)
            else:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def symlink_to(target):
    def edit(info):
        info.type = tarfile.SYMTYPE
        info.linkname = target
    return edit


@pytest.mark.parametrize("members", [
    [("ok.txt", b"fine"), ("../escaped.txt", b"evil")],
    [("/tmp/absolute-numtorch-test.txt", b"evil")],
    [("link", symlink_to("../../outside")), ("ok.txt", b"fine")],
], ids=["dotdot", "absolute", "symlink"])
def test_tar_extraction_refuses_paths_outside_root(tmp_path, members):
    archive = tmp_path / "evil.tar.gz"
    archive.write_bytes(tar_bytes(members))
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(RuntimeError, match="refusing to extract"):
        dutils.extract_archive(str(archive), str(target))
    assert not (tmp_path / "escaped.txt").exists()
    assert not os.path.exists("/tmp/absolute-numtorch-test.txt")
    assert list(target.iterdir()) == []  # checked before anything is written


# -- CIFAR ------------------------------------------------------------------------------------
def cifar_batch(rng, n, fine=False):
    labels = [int(v) for v in rng.integers(0, 100 if fine else 10, n)]
    entry = {"batch_label": "testing batch", "data": rng.integers(0, 256, (n, 3072),
                                                                  dtype=np.uint8),
             "filenames": [f"img_{i}.png" for i in range(n)]}
    entry["fine_labels" if fine else "labels"] = labels
    if fine:
        entry["coarse_labels"] = [v // 5 for v in labels]
    return entry


def write_cifar(root, cls, rng, per_batch=2):
    """Batches as protocol-2 pickles (as the real Python-2 files); returns the lists with MD5s."""
    folder = root / cls.base_folder
    folder.mkdir(parents=True, exist_ok=True)
    fine = cls is datasets.CIFAR100
    lists = {}
    for key in ("train_list", "test_list"):
        lists[key] = []
        for name, _ in getattr(cls, key):
            data = pickle.dumps(cifar_batch(rng, per_batch, fine), protocol=2)
            (folder / name).write_bytes(data)
            lists[key].append([name, md5(data)])
    names = [f"class{i}" for i in range(100 if fine else 10)]
    meta = pickle.dumps({cls.meta["key"]: names, "num_vis": 3072}, protocol=2)
    (folder / cls.meta["filename"]).write_bytes(meta)
    lists["meta"] = {**cls.meta, "md5": md5(meta)}
    return lists


@pytest.fixture
def cifar_root(tmp_path, monkeypatch):
    def make(cls, root=None):
        root = root or tmp_path
        for key, value in write_cifar(root, cls, np.random.default_rng(0)).items():
            monkeypatch.setattr(cls, key, value)
        return root
    return make


def test_cifar10_reads_batches(cifar_root):
    root = cifar_root(datasets.CIFAR10)
    ds = datasets.CIFAR10(str(root), train=True)
    assert isinstance(ds.data, np.ndarray) and ds.data.dtype == np.uint8
    assert ds.data.shape == (10, 32, 32, 3) and len(ds) == 10
    with open(root / "cifar-10-batches-py" / "data_batch_2", "rb") as f:
        raw = pickle.load(f, encoding="latin1")
    row = raw["data"][1]  # the 4th image overall: R plane, G plane, B plane
    y, x, c = 5, 17, 2
    assert ds.data[3, y, x, c] == row[c * 1024 + y * 32 + x]
    assert ds.targets[2:4] == raw["labels"] and all(type(t) is int for t in ds.targets)
    assert ds.classes[:2] == ["class0", "class1"] and ds.class_to_idx["class9"] == 9
    img, target = ds[3]
    assert isinstance(img, Image.Image) and img.mode == "RGB" and img.size == (32, 32)
    np.testing.assert_array_equal(np.asarray(img), ds.data[3])
    assert target == ds.targets[3]
    test = datasets.CIFAR10(str(root), train=False, transform=transforms.ToTensor())
    assert len(test) == 2 and tuple(test[0][0].shape) == (3, 32, 32)
    assert repr(test).splitlines()[:4] == ["Dataset CIFAR10", "    Number of datapoints: 2",
                                           f"    Root location: {root}", "    Split: Test"]


def test_cifar100_uses_fine_labels(cifar_root):
    root = cifar_root(datasets.CIFAR100)
    ds = datasets.CIFAR100(str(root))
    with open(root / "cifar-100-python" / "train", "rb") as f:
        raw = pickle.load(f, encoding="latin1")
    assert ds.targets == raw["fine_labels"] and len(ds.classes) == 100


def test_cifar_missing_or_corrupted(cifar_root, tmp_path):
    with pytest.raises(RuntimeError, match="Dataset not found or corrupted. You can use "
                                           "download=True to download it"):
        datasets.CIFAR10(str(tmp_path / "nothing"))
    root = cifar_root(datasets.CIFAR10)
    with open(root / "cifar-10-batches-py" / "data_batch_3", "ab") as f:
        f.write(b"x")
    with pytest.raises(RuntimeError, match="Dataset not found or corrupted"):
        datasets.CIFAR10(str(root))


class Payload:
    """Pickles as a call to ``os.mkdir(marker)``: loading it must not run that call."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_cifar_refuses_a_malicious_pickle(cifar_root, tmp_path):
    root = cifar_root(datasets.CIFAR10)
    marker = tmp_path / "payload-ran"
    evil = {"data": np.zeros((2, 3072), np.uint8), "labels": [0, 1], "x": Payload(str(marker))}
    data = pickle.dumps(evil, protocol=2)
    assert pickle.loads(data) and marker.is_dir()  # the payload does run with plain pickle
    marker.rmdir()
    path = root / "cifar-10-batches-py" / "data_batch_1"
    path.write_bytes(data)
    datasets.CIFAR10.train_list[0][1] = md5(data)  # the monkeypatched list: the MD5 passes
    with pytest.raises(pickle.UnpicklingError, match="refusing to load global 'posix.mkdir'"):
        datasets.CIFAR10(str(root))
    assert not marker.exists()
    for payload in (pickle.dumps(print), pickle.dumps(eval), pickle.dumps(np.load)):
        with pytest.raises(pickle.UnpicklingError, match="refusing to load global"):
            cifar.load_batch(io.BytesIO(payload))


def test_cifar_download_and_extract(tmp_path, server, monkeypatch):
    staging = tmp_path / "staging"
    lists = write_cifar(staging, datasets.CIFAR10, np.random.default_rng(1))
    folder = staging / "cifar-10-batches-py"
    archive = tar_bytes([(f"cifar-10-batches-py/{p.name}", p.read_bytes())
                         for p in sorted(folder.iterdir())])
    for key, value in lists.items():
        monkeypatch.setattr(datasets.CIFAR10, key, value)
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", md5(archive))
    server({datasets.CIFAR10.url: archive})
    root = tmp_path / "root"
    ds = datasets.CIFAR10(str(root), train=False, download=True)
    assert len(ds) == 2 and (root / "cifar-10-python.tar.gz").is_file()


def test_cifar_download_offline(tmp_path, server):
    server({})
    with pytest.raises(RuntimeError) as info:
        datasets.CIFAR10(str(tmp_path), download=True)
    message = str(info.value)
    assert "Error downloading cifar-10-python.tar.gz" in message
    assert f"put cifar-10-python.tar.gz (from {datasets.CIFAR10.url}) in {tmp_path}" in message


# -- ImageFolder ------------------------------------------------------------------------------
@pytest.fixture
def image_tree(tmp_path):
    root = tmp_path / "tree"
    colours = {"dog/b.png": (0, 0, 255), "cat/a.png": (255, 0, 0), "cat/sub/c.PNG": (0, 255, 0),
               "dog/a.png": (9, 9, 9)}
    for rel, colour in colours.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (4, 3), colour).save(root / rel)
    Image.new("L", (5, 5), 128).save(root / "dog" / "grey.bmp")
    (root / "cat" / "notes.txt").write_text("not an image")
    return root


def test_image_folder(image_tree):
    ds = datasets.ImageFolder(str(image_tree))
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    rel = [(os.path.relpath(p, image_tree), t) for p, t in ds.samples]
    assert rel == [("cat/a.png", 0), (os.path.join("cat", "sub", "c.PNG"), 0),
                   ("dog/a.png", 1), ("dog/b.png", 1), ("dog/grey.bmp", 1)]
    assert ds.imgs is ds.samples and ds.targets == [0, 0, 1, 1, 1] and len(ds) == 5
    assert ds.extensions == folder.IMG_EXTENSIONS
    img, target = ds[3]
    assert img.mode == "RGB" and img.size == (4, 3) and img.getpixel((0, 0)) == (0, 0, 255)
    assert target == 1
    assert ds[4][0].mode == "RGB"  # grey images are converted too


def test_image_folder_transforms_and_is_valid_file(image_tree):
    ds = datasets.ImageFolder(str(image_tree), transform=transforms.ToTensor(),
                              target_transform=lambda t: -t,
                              is_valid_file=lambda p: p.endswith("a.png"))
    assert [os.path.basename(p) for p, _ in ds.samples] == ["a.png", "a.png"]
    x, y = ds[1]
    assert tuple(x.shape) == (3, 3, 4) and y == -1 and ds.extensions is None


def test_image_folder_errors(tmp_path, image_tree):
    assert folder.IMG_EXTENSIONS == (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif",
                                     ".tiff", ".webp")
    (image_tree / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes empty. "
                                                "Supported extensions are: .jpg, .jpeg, .png"):
        datasets.ImageFolder(str(image_tree))
    ds = datasets.ImageFolder(str(image_tree), allow_empty=True)
    assert ds.classes == ["cat", "dog", "empty"] and len(ds) == 5
    (tmp_path / "flat").mkdir()
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder in"):
        datasets.ImageFolder(str(tmp_path / "flat"))
    with pytest.raises(ValueError, match="Both extensions and is_valid_file cannot be None"):
        folder.make_dataset(str(image_tree), {"cat": 0})


def test_dataset_folder_with_a_custom_loader(image_tree):
    ds = datasets.DatasetFolder(str(image_tree), loader=os.path.getsize, extensions=(".txt",),
                                allow_empty=True)
    assert len(ds) == 1 and ds[0] == (len("not an image"), 0)
