"""`numtorch train`: one-epoch runs on a tiny IDX dataset written into a tmp dir.

The dataset is learnable on purpose (each class lights its own block of pixels), so the
runs exercise real training, but it is small enough for the whole file to take seconds.
"""

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch._train import loop
from numtorch._train.cli import resolve
from numtorch._train.models import ConvNet, NeuralNetwork
from numtorch.cli import build_parser, main

EPOCH_LINE = re.compile(r"^epoch (\d+)/(\d+)  train loss (\d+\.\d{4})  "
                        r"test accuracy (\d+\.\d{2})%  \((\d+\.\d) s\)$", re.M)


def idx_bytes(arr: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: magic 0x0000 08 <ndim>, big-endian int32 dims, data."""
    header = struct.pack(">HBB", 0, 0x08, arr.ndim) + struct.pack(f">{arr.ndim}i", *arr.shape)
    return header + arr.astype(np.uint8).tobytes()


def synthetic_split(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n noisy 28x28 images whose class c shows as a bright 7x7 block at a place of its own."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    images = rng.integers(0, 60, (n, 28, 28))
    for image, c in zip(images, labels):
        row, col = divmod(int(c), 4)
        image[7 * row: 7 * row + 7, 7 * col: 7 * col + 7] += 180
    return images.astype(np.uint8), labels.astype(np.uint8)


@pytest.fixture
def data_root(tmp_path, monkeypatch):
    """A FashionMNIST root in torchvision's layout; the system copy is hidden."""
    raw = tmp_path / "data" / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for split, n, seed in (("train", 192, 0), ("t10k", 48, 1)):
        images, labels = synthetic_split(n, seed)
        (raw / f"{split}-images-idx3-ubyte").write_bytes(idx_bytes(images))
        (raw / f"{split}-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    # NUMTORCH_SYSTEM_DATASETS points the fallback at an empty folder: no real data is read
    monkeypatch.setenv("NUMTORCH_SYSTEM_DATASETS", str(tmp_path / "no-system-copy"))
    return tmp_path / "data"


def train(capsys, root, out, *options: str) -> tuple[int, str, str]:
    status = main(["train", "fashion-mnist", "--data", str(root), "--out", str(out),
                   "--batch-size", "16", *options])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_one_epoch_prints_saves_and_draws(capsys, data_root, tmp_path):
    out = tmp_path / "run"
    status, stdout, stderr = train(capsys, data_root, out, "--epochs", "1")
    assert status == 0, stderr
    assert "192 training and 48 test images" in stdout
    lines = EPOCH_LINE.findall(stdout)
    assert len(lines) == 1 and lines[0][:2] == ("1", "1"), stdout
    assert 0 < float(lines[0][2]) < 3
    assert f"checkpoint {out / 'checkpoint.pt'}" in stdout
    assert "samples/s" in stderr  # tqdm's bar (or the plain-text one)

    checkpoint = numtorch.load(out / "checkpoint.pt")
    assert checkpoint["epoch"] == 1
    assert list(checkpoint["model_state_dict"]) == list(NeuralNetwork().state_dict())
    assert checkpoint["history"]["epoch"] == [1]
    assert checkpoint["history"]["test_accuracy"][0] == pytest.approx(float(lines[0][3]) / 100)
    assert checkpoint["args"]["model"] == "mlp" and checkpoint["args"]["optimizer"] == "adam"
    assert checkpoint["args"]["lr"] == 1e-3 and checkpoint["args"]["batch_size"] == 16

    image_module = pytest.importorskip("PIL.Image")
    png = out / "report.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with image_module.open(png) as image:
        image.verify()
    with image_module.open(png) as image:
        assert image.format == "PNG" and image.size[0] >= 600 and image.size[1] >= 600


def torch_models(torch):
    """The same two classes written for real PyTorch, to load numtorch's checkpoints into."""
    nn = torch.nn

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                nn.Linear(512, 10))

        def forward(self, x):
            return self.linear_relu_stack(self.flatten(x))

    class ConvNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                nn.MaxPool2d(2))
            self.classifier = nn.Sequential(
                nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))

        def forward(self, x):
            return self.classifier(self.features(x))

    return {"mlp": NeuralNetwork, "cnn": ConvNet}


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_checkpoint_loads_in_torch(capsys, data_root, tmp_path, model):
    torch = require_torch()
    out = tmp_path / model
    status, _, stderr = train(capsys, data_root, out, "--epochs", "1", "--model", model)
    assert status == 0, stderr
    checkpoint = torch.load(out / "checkpoint.pt", weights_only=True)
    assert checkpoint["epoch"] == 1 and checkpoint["args"]["model"] == model

    reference = torch_models(torch)[model]()
    reference.load_state_dict(checkpoint["model_state_dict"])  # strict: the same keys
    optimizer = torch.optim.Adam(reference.parameters())
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    assert optimizer.param_groups[0]["lr"] == 1e-3

    ours = {"mlp": NeuralNetwork, "cnn": ConvNet}[model]()
    ours.load_state_dict(numtorch.load(out / "checkpoint.pt")["model_state_dict"])
    reference.eval(), ours.eval()  # the CNN's batch norms use the loaded running statistics
    x = np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32)
    with torch.no_grad(), numtorch.no_grad():
        expected = reference(torch.from_numpy(x)).numpy()
        got = ours(numtorch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)


def test_resume_continues_as_one_run(capsys, data_root, tmp_path):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    assert train(capsys, data_root, straight, "--epochs", "2")[0] == 0
    assert train(capsys, data_root, resumed, "--epochs", "1")[0] == 0
    status, stdout, stderr = train(capsys, data_root, resumed, "--epochs", "2", "--resume")
    assert status == 0, stderr
    assert f"resuming from {resumed / 'checkpoint.pt'} after epoch 1" in stdout
    assert [line[:2] for line in EPOCH_LINE.findall(stdout)] == [("2", "2")], stdout

    a, b = (numtorch.load(path / "checkpoint.pt") for path in (straight, resumed))
    assert b["epoch"] == 2 and b["history"]["epoch"] == [1, 2]
    # the optimizer's state and the per-epoch shuffle come back: the same weights exactly
    for key, value in a["model_state_dict"].items():
        assert numtorch.equal(value, b["model_state_dict"][key]), key
    assert a["history"]["train_loss"] == b["history"]["train_loss"]

    status, stdout, _ = train(capsys, data_root, resumed, "--resume")
    assert status == 0 and "nothing to do" in stdout  # epoch 2 of the saved --epochs 2


def test_resume_refuses_other_settings_and_missing_checkpoint(capsys, data_root, tmp_path):
    out = tmp_path / "run"
    status, _, stderr = train(capsys, data_root, out, "--resume")
    assert status == 1 and "no checkpoint at" in stderr
    assert train(capsys, data_root, out, "--epochs", "1")[0] == 0
    status, _, stderr = train(capsys, data_root, out, "--resume", "--epochs", "2",
                              "--optimizer", "sgd")
    assert status == 1 and "cannot resume with --optimizer sgd" in stderr


def test_ctrl_c_keeps_the_last_checkpoint(capsys, data_root, tmp_path, monkeypatch):
    real_train_epoch, calls = loop.train_epoch, []

    def interrupted_in_epoch_2(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_train_epoch(*args, **kwargs)

    monkeypatch.setattr(loop, "train_epoch", interrupted_in_epoch_2)
    out = tmp_path / "run"
    status, stdout, stderr = train(capsys, data_root, out, "--epochs", "3")
    assert status == 130
    assert [line[0] for line in EPOCH_LINE.findall(stdout)] == ["1"]
    assert "interrupted in epoch 2" in stderr and "holds epoch 1" in stderr
    assert numtorch.load(out / "checkpoint.pt")["epoch"] == 1


def test_plain_progress_without_tqdm(capsys, data_root, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    status, _, stderr = train(capsys, data_root, tmp_path / "run", "--epochs", "1")
    assert status == 0, stderr
    progress = re.findall(r"^epoch 1/1  (\d+)/192  loss \d\.\d{4}  \d+ samples/s$", stderr,
                          re.M)
    assert progress and progress[-1] == "192", stderr


def test_mnist(capsys, data_root, tmp_path):
    (data_root / "FashionMNIST").rename(data_root / "MNIST")  # the same files, MNIST's folder
    status = main(["train", "mnist", "--data", str(data_root), "--out", str(tmp_path / "run"),
                   "--epochs", "1", "--batch-size", "16"])
    stdout = capsys.readouterr().out
    assert status == 0 and stdout.startswith("mnist: 192 training and 48 test images")
    assert len(EPOCH_LINE.findall(stdout)) == 1


def test_missing_data_is_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NUMTORCH_SYSTEM_DATASETS", str(tmp_path / "none"))
    status, _, stderr = train(capsys, tmp_path / "empty", tmp_path / "run")
    assert status == 1
    assert stderr.startswith("numtorch train: Dataset not found") and "--data" in stderr
    assert "Traceback" not in stderr


def test_defaults():
    opts = build_parser().parse_args(["train", "fashion-mnist"])
    assert resolve(opts) == {
        "dataset": "fashion-mnist", "model": "mlp", "epochs": 5, "batch_size": 64,
        "optimizer": "adam", "lr": 1e-3, "seed": 0, "schedule": "cosine",
        "out": "runs/fashion-mnist-mlp",
        "data": "data", "num_workers": 0, "download": False, "threads": 1}
    opts = build_parser().parse_args(["train", "mnist", "--optimizer", "sgd", "--model", "cnn"])
    settings = resolve(opts)
    assert settings["lr"] == 0.1 and settings["out"] == "runs/mnist-cnn"


def test_cosine_schedule_per_epoch():
    opts = build_parser().parse_args(["train", "fashion-mnist", "--epochs", "4", "--lr", "0.2"])
    config = loop.Config(**resolve(opts))
    # PyTorch's CosineAnnealingLR(T_max=4) stepped once per epoch gives the same rates
    assert [loop.epoch_lr(config, e) for e in (1, 2, 3, 4)] == pytest.approx(
        [0.2, 0.2 * (1 + 2 ** -0.5) / 2, 0.1, 0.2 * (1 - 2 ** -0.5) / 2])
    config.schedule = "constant"
    assert loop.epoch_lr(config, 3) == 0.2


def test_quickstart_example_runs_under_numtorch(data_root, tmp_path):
    """examples/fashion_mnist_quickstart.py, unchanged, on the tiny dataset in ./data."""
    script = Path(__file__).resolve().parents[1] / "examples" / "fashion_mnist_quickstart.py"
    proc = subprocess.run([sys.executable, "-m", "numtorch", "run", str(script)],
                          cwd=data_root.parent, env=dict(os.environ), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    accuracies = re.findall(r"^ Accuracy: (\d+\.\d)%, Avg loss: \d+\.\d{6} $", proc.stdout, re.M)
    assert len(accuracies) == 5, proc.stdout
    assert "Shape of X [N, C, H, W]: torch.Size([48, 1, 28, 28])" in proc.stdout  # 48 images
    assert re.search(r'^Predicted: "[^"]+", Actual: "[^"]+"$', proc.stdout, re.M)
    assert (data_root.parent / "model.pth").is_file()
