"""numtorch.vision.utils (make_grid, save_image) and the package's import hygiene."""

import subprocess
import sys

import numpy as np
import pytest

import numtorch
from numtorch.vision import utils

Image = pytest.importorskip("PIL.Image")


def batch(n=10, c=1, h=4, w=5):
    return numtorch.from_numpy(np.arange(n * c * h * w, dtype=np.float32).reshape(n, c, h, w))


def test_make_grid_layout_and_values():
    x = batch()
    grid = utils.make_grid(x, nrow=4, padding=2, pad_value=-1.0)
    # 10 images, 4 per row -> 3 rows; each cell is (4 + 2) x (5 + 2), plus the outer padding
    assert tuple(grid.shape) == (3, 3 * 6 + 2, 4 * 7 + 2)
    g = grid.numpy()
    for k in range(10):
        row, col = divmod(k, 4)
        top, left = row * 6 + 2, col * 7 + 2
        for c in range(3):  # one channel repeated to three
            np.testing.assert_array_equal(g[c, top:top + 4, left:left + 5], x.numpy()[k, 0])
    assert (g[:, :2, :] == -1).all() and (g[:, :, :2] == -1).all()
    assert (g[:, 14:, 16:] == -1).all()  # the two empty cells of the last row


def test_make_grid_shapes():
    assert tuple(utils.make_grid(numtorch.zeros(10, 1, 28, 28), nrow=5).shape) == (3, 62, 152)
    assert tuple(utils.make_grid(numtorch.zeros(64, 3, 8, 8)).shape) == (3, 82, 82)
    assert tuple(utils.make_grid(numtorch.zeros(3, 4, 4), padding=0).shape) == (3, 4, 4)
    one = utils.make_grid(batch(1))  # a single image comes back as that image
    assert tuple(one.shape) == (3, 4, 5)
    assert tuple(utils.make_grid(numtorch.zeros(4, 5)).shape) == (3, 4, 5)
    listed = utils.make_grid([numtorch.ones(3, 2, 2), numtorch.zeros(3, 2, 2)], padding=1)
    assert tuple(listed.shape) == (3, 4, 7)
    assert listed.numpy()[:, 1:3, 1:3].tolist() == [[[1, 1], [1, 1]]] * 3
    assert tuple(utils.make_grid(numtorch.zeros(2, 4, 3, 3), padding=0).shape) == (4, 3, 6)


def test_make_grid_normalize():
    x = numtorch.tensor([[[[-1.0, 1.0]]], [[[0.0, 3.0]]]])
    g = utils.make_grid(x, padding=0, normalize=True).numpy()[0]
    np.testing.assert_allclose(g, [[0.0, 0.5, 0.25, 1.0]])  # one range over the batch
    g = utils.make_grid(x, padding=0, normalize=True, scale_each=True).numpy()[0]
    np.testing.assert_allclose(g, [[0.0, 1.0, 0.0, 1.0]])
    g = utils.make_grid(x, padding=0, normalize=True, value_range=(0.0, 2.0)).numpy()[0]
    np.testing.assert_allclose(g, [[0.0, 0.5, 0.0, 1.0]])  # clamped to the range first
    assert x.tolist()[0][0][0] == [-1.0, 1.0]  # the input is not modified
    flat = utils.make_grid(numtorch.full((2, 1, 2, 2), 3.0), normalize=True).numpy()
    assert np.isfinite(flat).all()
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        utils.make_grid(x, normalize=True, value_range=[0, 1])
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        utils.make_grid(np.zeros((2, 3, 4, 4)))
    with pytest.raises(TypeError, match="got a list containing"):
        utils.make_grid([numtorch.zeros(3, 2, 2), np.zeros((3, 2, 2))])


def test_save_image_png(tmp_path):
    x = numtorch.from_numpy(np.linspace(0, 1, 2 * 1 * 3 * 4, dtype=np.float32)
                            .reshape(2, 1, 3, 4))
    path = tmp_path / "grid.png"
    utils.save_image(x, str(path), nrow=2, padding=1)
    with Image.open(path) as img:
        assert img.format == "PNG" and img.mode == "RGB" and img.size == (2 * 5 + 1, 3 + 2)
        got = np.asarray(img)
    expected = np.floor(x.numpy()[0, 0] * 255 + 0.5).astype(np.uint8)  # rounded to nearest
    np.testing.assert_array_equal(got[1:4, 1:5, 0], expected)
    np.testing.assert_array_equal(got[1:4, 1:5, 2], expected)
    assert (got[0] == 0).all()


def test_save_image_to_a_file_object_with_format(tmp_path):
    import io
    buf = io.BytesIO()
    utils.save_image(numtorch.full((3, 2, 2), 2.0), buf, format="PNG")  # clamped to 255
    buf.seek(0)
    with Image.open(buf) as img:
        assert np.asarray(img).tolist() == [[[255, 255, 255]] * 2] * 2


def test_importing_numtorch_vision_does_not_import_pil():
    code = ("import sys, numtorch, numtorch.vision, numtorch.vision.datasets, "
            "numtorch.vision.transforms, numtorch.vision.utils\n"
            "from numtorch.vision import datasets, transforms\n"
            "transforms.Compose([transforms.ToTensor(), transforms.RandomCrop(2)])\n"
            "bad = sorted(m for m in sys.modules if m == 'PIL' or m.startswith('PIL.'))\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_torchvision_alias_resolves_to_numtorch_vision():
    code = ("from numtorch import _alias\n_alias.install()\n"
            "import torchvision, torchvision.transforms as T\n"
            "from torchvision.datasets import FashionMNIST\n"
            "import numtorch.vision\n"
            "assert torchvision is numtorch.vision and T is numtorch.vision.transforms\n"
            "assert FashionMNIST is numtorch.vision.datasets.FashionMNIST\n")
    subprocess.run([sys.executable, "-c", code], check=True)
