"""numtorch.vision.transforms against hand-computed values, torchvision's documented behaviour,
and torch's own kernels where torchvision's tensor path is built on them (interpolate,
grid_sample)."""

import numpy as np
import pytest
from conftest import require_torch

import numtorch
from numtorch.vision import transforms as T
from numtorch.vision.transforms import functional as F

Image = pytest.importorskip("PIL.Image")

IM = F.InterpolationMode


def rgb_array(h=5, w=7, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def chw(h=5, w=7, c=1, dtype=np.float32):
    """A tensor image whose pixel (c, y, x) holds 100*c + 10*y + x."""
    c_, y, x = np.meshgrid(np.arange(c), np.arange(h), np.arange(w), indexing="ij")
    return numtorch.from_numpy((100 * c_ + 10 * y + x).astype(dtype))


# -- conversion -------------------------------------------------------------------------------
def test_to_tensor_scales_uint8_like_torch():
    torch = require_torch()
    arr = np.arange(256, dtype=np.uint8).reshape(16, 16)
    out = F.to_tensor(Image.fromarray(arr))
    ref = torch.from_numpy(arr).float().div(255)[None]
    assert out.dtype == numtorch.float32 and tuple(out.shape) == (1, 16, 16)
    np.testing.assert_array_equal(out.numpy(), ref.numpy())  # bit for bit
    assert out.numpy()[0, 15, 15] == 1.0 and out.numpy()[0, 0, 0] == 0.0


def test_to_tensor_layouts_and_modes():
    arr = rgb_array()
    for pic in (arr, Image.fromarray(arr)):
        out = T.ToTensor()(pic)
        assert tuple(out.shape) == (3, 5, 7) and out.dtype == numtorch.float32
        np.testing.assert_array_equal(out.numpy(),
                                      arr.transpose(2, 0, 1).astype(np.float32) / np.float32(255))
    assert tuple(F.to_tensor(arr[:, :, 0]).shape) == (1, 5, 7)  # 2-D ndarray: one channel
    floats = np.random.default_rng(1).random((4, 3, 2))
    out = F.to_tensor(floats)  # not uint8: no scaling, dtype kept
    assert out.dtype == numtorch.float64
    np.testing.assert_array_equal(out.numpy(), floats.transpose(2, 0, 1))
    binary = Image.fromarray(np.array([[0, 255], [255, 0]], np.uint8)).convert("1")
    assert F.to_tensor(binary).numpy().tolist() == [[[0.0, 1.0], [1.0, 0.0]]]
    ints = F.to_tensor(Image.fromarray(np.array([[70000, -5]], np.int32)))
    assert ints.dtype == numtorch.int32 and ints.numpy().tolist() == [[[70000, -5]]]
    f = F.to_tensor(Image.fromarray(np.array([[0.25, 7.5]], np.float32)))
    assert f.dtype == numtorch.float32 and f.numpy().tolist() == [[[0.25, 7.5]]]
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        F.to_tensor([[1, 2]])
    with pytest.raises(ValueError, match="pic should be 2/3 dimensional. Got 4 dimensions."):
        F.to_tensor(np.zeros((1, 2, 3, 4), np.uint8))


def test_pil_to_tensor_keeps_values():
    arr = rgb_array()
    out = T.PILToTensor()(Image.fromarray(arr))
    assert out.dtype == numtorch.uint8 and tuple(out.shape) == (3, 5, 7)
    np.testing.assert_array_equal(out.numpy(), arr.transpose(2, 0, 1))
    with pytest.raises(TypeError, match="pic should be PIL Image"):
        F.pil_to_tensor(arr)


def test_to_pil_image_round_trip():
    arr = rgb_array()
    img = T.ToPILImage()(F.pil_to_tensor(Image.fromarray(arr)))
    assert img.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(img), arr)
    grey = F.to_pil_image(numtorch.full((1, 2, 2), 0.5))
    assert grey.mode == "L" and np.asarray(grey).tolist() == [[127, 127], [127, 127]]


def test_convert_image_dtype():
    torch = require_torch()
    u8 = numtorch.tensor([[[0, 1, 128, 255]]], dtype=numtorch.uint8)
    out = T.ConvertImageDtype(numtorch.float32)(u8)
    ref = torch.tensor([[[0, 1, 128, 255]]], dtype=torch.uint8).float() / 255.0
    np.testing.assert_array_equal(out.numpy(), ref.numpy())
    f = numtorch.tensor([[[0.0, 0.5, 0.999, 1.0]]])
    # (max + 1 - 1e-3) scaling: only 1.0 reaches 255
    assert F.convert_image_dtype(f, numtorch.uint8).tolist() == [[[0, 127, 255, 255]]]
    assert F.convert_image_dtype(u8, numtorch.int32).tolist() == [[[0, 1 << 23, 128 << 23,
                                                                    255 << 23]]]
    big = numtorch.tensor([[[1 << 30]]], dtype=numtorch.int32)
    assert F.convert_image_dtype(big, numtorch.uint8).tolist() == [[[128]]]
    assert F.convert_image_dtype(u8, numtorch.uint8) is u8
    with pytest.raises(RuntimeError, match="cannot be performed safely"):
        F.convert_image_dtype(f, numtorch.int32)
    with pytest.raises(TypeError, match="Input img should be Tensor Image"):
        F.convert_image_dtype(np.zeros(3), numtorch.float32)


# -- Normalize --------------------------------------------------------------------------------
def test_normalize_matches_torch_bit_for_bit():
    torch = require_torch()
    x = np.random.default_rng(2).random((3, 4, 5)).astype(np.float32)
    mean, std = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    out = T.Normalize(mean, std)(numtorch.from_numpy(x))
    ref = torch.from_numpy(x).clone().sub_(torch.tensor(mean).view(-1, 1, 1)).div_(
        torch.tensor(std).view(-1, 1, 1))
    assert out.dtype == numtorch.float32
    np.testing.assert_array_equal(out.numpy(), ref.numpy())


def test_normalize_inplace_batches_grad_and_errors():
    x = numtorch.ones(2, 1, 2, 2)
    out = F.normalize(x, [0.5], [0.25])  # a batch: (N, C, H, W)
    assert out.tolist() == [[[[2.0, 2.0], [2.0, 2.0]]]] * 2 and x.tolist()[0][0][0] == [1, 1]
    y = F.normalize(x, [0.5], [0.25], inplace=True)
    assert y is x and x.tolist()[0][0][0] == [2.0, 2.0]
    leaf = numtorch.ones(1, 2, 2, requires_grad=True)
    F.normalize(leaf, [0.5], [0.25]).sum().backward()
    assert leaf.grad.tolist() == [[[4.0, 4.0], [4.0, 4.0]]]
    with pytest.raises(TypeError, match="Input tensor should be a float tensor. Got torch.uint8"):
        F.normalize(numtorch.zeros(1, 2, 2, dtype=numtorch.uint8), [0], [1])
    with pytest.raises(ValueError, match="std evaluated to zero after conversion to "
                                         "torch.float32"):
        F.normalize(numtorch.zeros(1, 2, 2), [0], [0])
    with pytest.raises(ValueError, match=r"Expected tensor to be a tensor image of size "
                                         r"\(..., C, H, W\)"):
        F.normalize(numtorch.zeros(2, 2), [0], [1])
    with pytest.raises(TypeError, match="img should be Tensor Image"):
        F.normalize(np.zeros((1, 2, 2)), [0], [1])


# -- Compose, Lambda, reprs -------------------------------------------------------------------
def test_reprs_are_torchvision_s():
    assert repr(T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,))])) == (
        "Compose(\n    ToTensor()\n    Normalize(mean=(0.5,), std=(0.5,))\n)")
    assert repr(T.Resize(32)) == ("Resize(size=32, interpolation=bilinear, max_size=None, "
                                  "antialias=True)")
    assert repr(T.Resize((20, 30), IM.NEAREST, antialias=False)) == (
        "Resize(size=(20, 30), interpolation=nearest, max_size=None, antialias=False)")
    assert repr(T.CenterCrop(10)) == "CenterCrop(size=(10, 10))"
    assert repr(T.CenterCrop([4, 6])) == "CenterCrop(size=[4, 6])"
    assert repr(T.RandomCrop(32, padding=4)) == "RandomCrop(size=(32, 32), padding=4)"
    assert repr(T.RandomCrop([28])) == "RandomCrop(size=(28, 28), padding=None)"
    assert repr(T.RandomHorizontalFlip()) == "RandomHorizontalFlip(p=0.5)"
    assert repr(T.RandomRotation(10)) == ("RandomRotation(degrees=[-10.0, 10.0], "
                                          "interpolation=nearest, expand=False, fill=0)")
    assert repr(T.RandomRotation((0, 90), IM.BILINEAR, True, (1, 2), (1, 2, 3))) == (
        "RandomRotation(degrees=[0.0, 90.0], interpolation=bilinear, expand=True, "
        "center=(1, 2), fill=(1, 2, 3))")
    assert repr(T.ConvertImageDtype(numtorch.float32)) == "ConvertImageDtype()"
    assert repr(T.Lambda(lambda x: x)) == "Lambda()"
    assert repr(T.PILToTensor()) == "PILToTensor()"
    assert repr(T.ToPILImage()) == "ToPILImage()"
    assert repr(T.Pad(2)) == "Pad(padding=2, fill=0, padding_mode=constant)"


def test_module_transforms_are_modules():
    from numtorch import nn
    for t in (T.Normalize((0,), (1,)), T.Resize(3), T.CenterCrop(2), T.RandomCrop(2),
              T.RandomHorizontalFlip(), T.RandomRotation(3), T.ConvertImageDtype(numtorch.float)):
        assert isinstance(t, nn.Module)
    assert not isinstance(T.ToTensor(), nn.Module) and not isinstance(T.Compose([]), nn.Module)


def test_compose_and_lambda():
    pipeline = T.Compose([T.ToTensor(), T.Lambda(lambda t: t * 2)])
    out = pipeline(np.full((2, 2), 51, np.uint8))
    np.testing.assert_allclose(out.numpy(), 0.4)
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        T.Lambda(3)


# -- Resize -----------------------------------------------------------------------------------
@pytest.mark.parametrize("wh, size, expected", [
    ((100, 150), 64, (64, 96)),            # portrait: width is the smaller edge
    ((150, 100), 64, (96, 64)),
    ((149, 100), 64, (95, 64)),            # int() truncates 95.36
    ((100, 150), [64], (64, 96)),          # a 1-sequence is the smaller edge too
    ((100, 150), (20, 30), (30, 20)),      # (h, w) -> PIL size (w, h)
    ((64, 96), 64, (64, 96)),              # already there
])
def test_resize_pil_sizes(wh, size, expected):
    img = Image.new("RGB", wh)
    assert T.Resize(size)(img).size == expected


def test_resize_max_size_and_errors():
    img = Image.new("L", (100, 200))
    assert T.Resize(64, max_size=80)(img).size == (40, 80)
    assert T.Resize(64, max_size=200)(img).size == (64, 128)
    with pytest.raises(ValueError, match="max_size = 64 must be strictly greater"):
        T.Resize(64, max_size=64)(img)
    with pytest.raises(ValueError, match="max_size should only be passed if size specifies"):
        F.resize(img, [10, 20], max_size=30)
    with pytest.raises(ValueError, match="If size is a sequence, it should have 1 or 2 values"):
        T.Resize((1, 2, 3))
    with pytest.raises(TypeError, match="Size should be int or sequence"):
        T.Resize(2.5)
    same = Image.new("L", (8, 8))
    assert F.resize(same, 8) is same


def test_resize_pil_uses_pillow_filters():
    img = Image.fromarray(rgb_array(20, 30))
    assert np.array_equal(np.asarray(T.Resize((7, 11))(img)),
                          np.asarray(img.resize((11, 7), Image.Resampling.BILINEAR)))
    assert np.array_equal(np.asarray(T.Resize(10, interpolation=IM.NEAREST)(img)),
                          np.asarray(img.resize((15, 10), Image.Resampling.NEAREST)))
    assert T.Resize(5, interpolation=3).interpolation is IM.BICUBIC  # Pillow's constant
    with pytest.warns(UserWarning, match="Anti-alias option is always applied for PIL Image"):
        F.resize(img, 10, antialias=False)


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
def test_resize_tensor_matches_torch_interpolate(mode, antialias, dtype):
    """torchvision's tensor resize is interpolate() on float32, rounded back for uint8."""
    torch = require_torch()
    rng = np.random.default_rng(5)
    for h, w, oh, ow in [(12, 9, 5, 4), (5, 6, 13, 17), (20, 20, 7, 31), (9, 14, 9, 3)]:
        arr = (rng.random((2, 3, h, w)) * 255).astype(dtype)
        out = F.resize(numtorch.from_numpy(arr), [oh, ow], IM(mode), antialias=antialias)
        aa = antialias and mode in ("bilinear", "bicubic")
        ref = torch.nn.functional.interpolate(
            torch.from_numpy(arr).float(), size=(oh, ow), mode=mode, antialias=aa,
            align_corners=False if mode in ("bilinear", "bicubic") else None)
        assert out.dtype == numtorch.from_numpy(arr).dtype and tuple(out.shape) == (2, 3, oh, ow)
        if dtype == np.uint8:
            ref = (ref.clamp(0, 255) if mode == "bicubic" else ref).round().to(torch.uint8)
            diff = np.abs(out.numpy().astype(int) - ref.numpy().astype(int))
            assert diff.max() <= 1 and (diff > 0).mean() < 0.02  # ties rounded across .5
        else:
            np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=0, atol=2e-3)
            if mode.startswith("nearest"):
                np.testing.assert_array_equal(out.numpy(), ref.numpy())


def test_resize_tensor_smaller_edge():
    out = T.Resize(4)(numtorch.zeros(3, 8, 12))
    assert tuple(out.shape) == (3, 4, 6)
    with pytest.raises(ValueError, match="Interpolation mode 'lanczos' is unsupported with "
                                         "Tensor input"):
        F.resize(numtorch.zeros(1, 8, 12), 4, IM.LANCZOS)


# -- crops and flips --------------------------------------------------------------------------
def test_center_crop_geometry():
    img = chw(5, 7)
    out = T.CenterCrop((3, 4))(img)
    # top = round((5 - 3) / 2) = 1, left = round((7 - 4) / 2) = round(1.5) = 2 (half to even)
    np.testing.assert_array_equal(out.numpy(), img.numpy()[:, 1:4, 2:6])
    pil = Image.fromarray(img.numpy()[0].astype(np.uint8))
    np.testing.assert_array_equal(np.asarray(T.CenterCrop((3, 4))(pil)), out.numpy()[0])
    big = T.CenterCrop(4)(chw(3, 3))  # pads (l, t, r, b) = (0, 0, 1, 1) first
    assert big.numpy()[0].tolist() == [[0, 1, 2, 0], [10, 11, 12, 0], [20, 21, 22, 0],
                                       [0, 0, 0, 0]]
    assert tuple(T.CenterCrop(6)(chw(2, 2)).shape) == (1, 6, 6)
    assert T.CenterCrop(6)(Image.new("L", (2, 2))).size == (6, 6)


def test_crop_outside_the_image_pads_zeros():
    out = F.crop(chw(3, 3), -1, 1, 3, 3)
    assert out.numpy()[0].tolist() == [[0, 0, 0], [1, 2, 0], [11, 12, 0]]
    pil = F.crop(Image.fromarray(chw(3, 3).numpy()[0].astype(np.uint8)), -1, 1, 3, 3)
    assert np.asarray(pil).tolist() == [[0, 0, 0], [1, 2, 0], [11, 12, 0]]


def test_flips():
    img = chw(2, 3)
    assert T.RandomHorizontalFlip(p=1.0)(img).numpy()[0].tolist() == [[2, 1, 0], [12, 11, 10]]
    assert T.RandomHorizontalFlip(p=0.0)(img) is img
    assert F.vflip(img).numpy()[0].tolist() == [[10, 11, 12], [0, 1, 2]]
    pil = Image.fromarray(img.numpy()[0].astype(np.uint8))
    assert np.asarray(F.hflip(pil)).tolist() == [[2, 1, 0], [12, 11, 10]]
    with pytest.raises(TypeError, match="img should be PIL Image"):
        F.hflip([1, 2])


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_modes_tensor_and_pil(mode):
    img = chw(3, 4)
    np_mode = {"edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}.get(mode)
    expected = (np.pad(img.numpy(), [(0, 0), (2, 1), (1, 2)], mode=np_mode) if np_mode else
                np.pad(img.numpy(), [(0, 0), (2, 1), (1, 2)], constant_values=7))
    out = F.pad(img, [1, 2, 2, 1], fill=7, padding_mode=mode)  # left, top, right, bottom
    np.testing.assert_array_equal(out.numpy(), expected)
    pil = F.pad(Image.fromarray(img.numpy()[0].astype(np.uint8)), [1, 2, 2, 1], 7, mode)
    np.testing.assert_array_equal(np.asarray(pil), expected[0])


def test_pad_forms_and_negative_padding():
    img = chw(3, 4)
    assert tuple(F.pad(img, 1).shape) == (1, 5, 6)
    assert tuple(F.pad(img, [1, 2]).shape) == (1, 7, 6)  # left/right 1, top/bottom 2
    np.testing.assert_array_equal(F.pad(img, [-1, 0, 0, -1]).numpy(), img.numpy()[:, :2, 1:])
    with pytest.raises(ValueError, match="Padding must be an int or a 1, 2, or 4 element tuple,"
                                         " not a 3 element tuple"):
        F.pad(img, [1, 2, 3])
    with pytest.raises(ValueError, match="Padding mode should be either constant, edge"):
        F.pad(img, 1, padding_mode="wrap")
    rgb = F.pad(Image.new("RGB", (2, 2)), 1, fill=(1, 2, 3))
    assert rgb.getpixel((0, 0)) == (1, 2, 3) and rgb.getpixel((1, 1)) == (0, 0, 0)


# -- random transforms ------------------------------------------------------------------------
def replay(seed, draws):
    numtorch.manual_seed(seed)
    return [d() for d in draws]


def test_random_crop_draws_top_then_left():
    img = chw(10, 12)
    numtorch.manual_seed(3)
    out = T.RandomCrop((4, 5))(img)
    i, j = replay(3, [lambda: numtorch.randint(0, 7, size=(1,)).item(),
                      lambda: numtorch.randint(0, 8, size=(1,)).item()])
    np.testing.assert_array_equal(out.numpy(), img.numpy()[:, i:i + 4, j:j + 5])
    pil = Image.fromarray(img.numpy()[0].astype(np.uint8))
    numtorch.manual_seed(3)
    np.testing.assert_array_equal(np.asarray(T.RandomCrop((4, 5))(pil)), out.numpy()[0])


def test_random_crop_padding_and_pad_if_needed():
    numtorch.manual_seed(0)
    out = T.RandomCrop(32, padding=4)(numtorch.ones(3, 32, 32))
    assert tuple(out.shape) == (3, 32, 32)
    numtorch.manual_seed(0)
    i, j = replay(0, [lambda: numtorch.randint(0, 9, size=(1,)).item()] * 2)
    padded = np.pad(np.ones((3, 32, 32), np.float32), [(0, 0), (4, 4), (4, 4)])
    np.testing.assert_array_equal(out.numpy(), padded[:, i:i + 32, j:j + 32])
    small = T.RandomCrop(24, pad_if_needed=True, fill=5)(Image.new("L", (20, 18)))
    assert small.size == (24, 24)
    with pytest.raises(ValueError, match=r"Required crop size \(24, 24\) is larger than input "
                                         r"image size \(18, 20\)"):
        T.RandomCrop(24)(Image.new("L", (20, 18)))


def test_random_crop_of_full_size_draws_nothing():
    numtorch.manual_seed(1)
    T.RandomCrop(4)(chw(4, 4))
    after = numtorch.rand(1).item()
    numtorch.manual_seed(1)
    assert numtorch.rand(1).item() == after


def test_random_horizontal_flip_draws_one_rand():
    img = chw(2, 3)
    for seed in range(6):
        numtorch.manual_seed(seed)
        out = T.RandomHorizontalFlip()(img)
        flip = replay(seed, [lambda: numtorch.rand(1).item()])[0] < 0.5
        assert out.numpy().tolist() == (F.hflip(img) if flip else img).numpy().tolist()


def test_random_rotation_draws_one_uniform():
    img = Image.fromarray(rgb_array(9, 9))
    numtorch.manual_seed(4)
    out = T.RandomRotation(30, fill=(1, 2, 3))(img)
    angle = replay(4, [lambda: numtorch.empty(1).uniform_(-30.0, 30.0).item()])[0]
    expected = img.rotate(angle, Image.Resampling.NEAREST, False, None, fillcolor=(1, 2, 3))
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expected))
    assert T.RandomRotation.get_params([5.0, 5.0]) == 5.0
    with pytest.raises(ValueError, match="If degrees is a single number, it must be positive."):
        T.RandomRotation(-1)
    with pytest.raises(ValueError, match="degrees should be a sequence of length 2."):
        T.RandomRotation([1, 2, 3])
    with pytest.raises(TypeError, match="Fill should be either a sequence or a number."):
        T.RandomRotation(1, fill={"red": 1})


def test_random_transforms_match_torch_s_draws():
    """torchvision's draw calls on torch's generator pick what numtorch's transforms pick."""
    torch = require_torch()
    torch.manual_seed(11)
    numtorch.manual_seed(11)
    if numtorch.rand(4).tolist() != torch.rand(4).tolist():
        pytest.skip("numtorch's generator does not reproduce torch's yet")
    torch.manual_seed(5)
    expected = [torch.rand(1).item() < 0.5, torch.randint(0, 7, size=(1,)).item(),
                torch.randint(0, 8, size=(1,)).item(),
                float(torch.empty(1).uniform_(-20.0, 20.0).item())]
    numtorch.manual_seed(5)
    img = chw(10, 12)
    flipped = T.RandomHorizontalFlip()(img) is not img
    crop = T.RandomCrop((4, 5))(img)
    i, j = expected[1:3]
    np.testing.assert_array_equal(crop.numpy(), img.numpy()[:, i:i + 4, j:j + 5])
    assert flipped == expected[0]
    assert T.RandomRotation.get_params([-20.0, 20.0]) == expected[3]


# -- rotate -----------------------------------------------------------------------------------
def torch_rotate(torch, img, angle, mode, expand, fill):
    """torchvision's tensor rotation written with torch ops: an affine grid through
    grid_sample (align_corners=False), with a ones channel marking where fill goes."""
    h, w = img.shape[-2:]
    matrix = F._inverse_rotation([0.0, 0.0], -angle)
    ow, oh = w, h
    if expand:  # the rotated corners' bounding box, trimmed to 1e-4 before ceil/floor
        half = torch.tensor([0.5 * w, 0.5 * h])
        corners = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [1.0, -1.0]]) * half
        turned = corners @ torch.tensor(matrix).view(2, 3)[:, :2].T + half
        hi = torch.ceil((turned.max(0).values / 1e-4).trunc() * 1e-4)
        lo = torch.floor((turned.min(0).values / 1e-4).trunc() * 1e-4)
        ow, oh = (int(v) for v in hi - lo)
    theta = torch.tensor(matrix, dtype=torch.float32).reshape(1, 2, 3)
    base = torch.empty(1, oh, ow, 3)
    base[..., 0].copy_(torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, steps=ow))
    base[..., 1].copy_(torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, steps=oh).unsqueeze(-1))
    base[..., 2].fill_(1)
    grid = base.view(1, oh * ow, 3).bmm(theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h]))
    x = torch.cat((img[None].float(), torch.ones(1, 1, h, w)), 1)
    out = torch.nn.functional.grid_sample(x, grid.view(1, oh, ow, 2), mode=mode,
                                          padding_mode="zeros", align_corners=False)
    mask, out = out[:, -1:].expand_as(out[:, :-1]), out[:, :-1]
    fill_img = torch.tensor(fill, dtype=out.dtype).view(1, -1, 1, 1).expand_as(out)
    if mode == "nearest":
        out = torch.where(mask < 0.5, fill_img, out)
    else:
        out = out * mask + (1.0 - mask) * fill_img
    return out[0]


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("expand", [False, True])
def test_rotate_tensor_matches_grid_sample(mode, expand):
    torch = require_torch()
    rng = np.random.default_rng(9)
    # right angles with odd/even sizes put samples exactly half-way between pixels
    for h, w, angle in [(7, 10, 33.0), (9, 9, -120.5), (6, 11, 90.0), (8, 5, 200.0),
                        (5, 8, -90.0), (7, 4, 270.0)]:
        arr = (rng.random((3, h, w)) * 255).astype(np.float32)
        fill = [10.0, 20.0, 30.0]
        out = F.rotate(numtorch.from_numpy(arr), angle, IM(mode), expand, None, fill)
        ref = torch_rotate(torch, torch.from_numpy(arr), angle, mode, expand, fill)
        assert tuple(out.shape) == tuple(ref.shape)
        if mode == "nearest":
            np.testing.assert_array_equal(out.numpy(), ref.numpy())
        else:
            np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=0, atol=2e-3)


def test_rotate_right_angles():
    img = chw(4, 4)
    np.testing.assert_array_equal(F.rotate(img, 90.0).numpy()[0], np.rot90(img.numpy()[0]))
    np.testing.assert_array_equal(F.rotate(img, 180.0).numpy()[0], img.numpy()[0, ::-1, ::-1])
    wide = chw(2, 6)
    turned = F.rotate(wide, 90.0, expand=True)
    assert tuple(turned.shape) == (1, 6, 2)
    np.testing.assert_array_equal(turned.numpy()[0], np.rot90(wide.numpy()[0]))
    pil = F.rotate(Image.fromarray(wide.numpy()[0].astype(np.uint8)), 90.0, expand=True)
    np.testing.assert_array_equal(np.asarray(pil), np.rot90(wide.numpy()[0]))
    u8 = F.rotate(numtorch.from_numpy(np.full((1, 5, 5), 200, np.uint8)), 45.0, fill=[3.0])
    assert u8.dtype == numtorch.uint8 and u8.numpy()[0, 0, 0] == 3 and u8.numpy()[0, 2, 2] == 200
    with pytest.raises(TypeError, match="Argument angle should be int or float"):
        F.rotate(img, "90")
