"""Image files -> the pixel tensors an image tower takes, as transformers' CLIPImageProcessor
makes them (its settings read from a model folder's `preprocessor_config.json`):

    open, convert to RGB -> resize (shortest edge to `size`, bicubic)
    -> center crop to `crop_size` -> rescale (x 1/255) -> normalise ((x - mean) / std)
    -> (3, H, W) float32

Pillow reads and resizes the image (the `vision` extra: pip install -e ".[vision]");
transformers' own PIL path resizes with the same call, so the pixels agree.
Test: `pytest tests/model/test_clip.py`.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lmforge.errors import ConfigError, DataError
from lmforge.extras import need

OPENAI_CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
PREPROCESSOR_CONFIG = "preprocessor_config.json"
BICUBIC = 3  # PIL's number for bicubic resampling, as preprocessor_config.json stores it


@dataclass
class ImageProcessor:
    """CLIPImageProcessor's settings (the fields of preprocessor_config.json)."""

    shortest_edge: int = 224
    """Resize so the shorter side has this many pixels, keeping the aspect ratio."""
    crop_height: int = 224
    """Center crop height after resizing."""
    crop_width: int = 224
    """Center crop width after resizing."""
    resample: int = BICUBIC
    """PIL resampling filter number (3: bicubic)."""
    do_resize: bool = True
    do_center_crop: bool = True
    do_rescale: bool = True
    rescale_factor: float = 1 / 255
    do_normalize: bool = True
    image_mean: tuple[float, ...] = OPENAI_CLIP_MEAN
    image_std: tuple[float, ...] = OPENAI_CLIP_STD

    @classmethod
    def from_dict(cls, d: dict, source: str = PREPROCESSOR_CONFIG) -> "ImageProcessor":
        """Read transformers' keys; `size` and `crop_size` may be dicts or (older) ints."""
        size, crop = d.get("size", 224), d.get("crop_size", d.get("size", 224))
        if isinstance(size, dict):
            if "shortest_edge" not in size:
                raise ConfigError(f"{source}: size {size} is not supported (lmforge resizes "
                                  "the shortest edge, as CLIP does)")
            size = size["shortest_edge"]
        if isinstance(crop, dict):
            crop = (crop.get("height", crop.get("shortest_edge")),
                    crop.get("width", crop.get("shortest_edge")))
        crop_h, crop_w = crop if isinstance(crop, tuple) else (crop, crop)
        return cls(shortest_edge=int(size), crop_height=int(crop_h), crop_width=int(crop_w),
                   resample=int(d.get("resample", BICUBIC)),
                   do_resize=bool(d.get("do_resize", True)),
                   do_center_crop=bool(d.get("do_center_crop", True)),
                   do_rescale=bool(d.get("do_rescale", True)),
                   rescale_factor=float(d.get("rescale_factor", 1 / 255)),
                   do_normalize=bool(d.get("do_normalize", True)),
                   image_mean=tuple(d.get("image_mean", OPENAI_CLIP_MEAN)),
                   image_std=tuple(d.get("image_std", OPENAI_CLIP_STD)))

    def to_dict(self) -> dict:
        """preprocessor_config.json as transformers writes it for CLIP."""
        return {"image_processor_type": "CLIPImageProcessor", "do_resize": self.do_resize,
                "size": {"shortest_edge": self.shortest_edge}, "resample": self.resample,
                "do_center_crop": self.do_center_crop,
                "crop_size": {"height": self.crop_height, "width": self.crop_width},
                "do_rescale": self.do_rescale, "rescale_factor": self.rescale_factor,
                "do_normalize": self.do_normalize, "image_mean": list(self.image_mean),
                "image_std": list(self.image_std), "do_convert_rgb": True}

    def __call__(self, image) -> np.ndarray:
        """A PIL image -> (3, H, W) float32 pixels."""
        image = image.convert("RGB")
        if self.do_resize:
            image = image.resize(self._resized_size(image.size), resample=self.resample)
        pixels = np.asarray(image)  # (H, W, 3) uint8
        if self.do_center_crop:
            pixels = center_crop(pixels, self.crop_height, self.crop_width)
        pixels = pixels.astype(np.float64) * self.rescale_factor if self.do_rescale else pixels
        pixels = pixels.astype(np.float32)
        if self.do_normalize:
            mean = np.asarray(self.image_mean, dtype=np.float32)
            std = np.asarray(self.image_std, dtype=np.float32)
            pixels = (pixels - mean) / std
        return np.ascontiguousarray(pixels.transpose(2, 0, 1))  # (3, H, W)

    def normalize_array(self, pixels: np.ndarray) -> np.ndarray:
        """(..., H, W, 3) uint8 already at the tower's size -> (..., 3, H, W) float32: the
        rescale and normalise steps alone (training on generated images skips the file)."""
        x = pixels.astype(np.float32) * np.float32(self.rescale_factor)
        x = (x - np.asarray(self.image_mean, np.float32)) / np.asarray(self.image_std,
                                                                         np.float32)
        return np.ascontiguousarray(np.moveaxis(x, -1, -3))

    def _resized_size(self, size: tuple[int, int]) -> tuple[int, int]:
        """(width, height) with the shorter side at shortest_edge (transformers' rounding:
        the longer side is truncated, int(edge * long / short))."""
        width, height = size
        short, long = (width, height) if width <= height else (height, width)
        new_long = int(self.shortest_edge * long / short)
        return (self.shortest_edge, new_long) if width <= height else (new_long,
                                                                       self.shortest_edge)


def center_crop(pixels: np.ndarray, height: int, width: int) -> np.ndarray:
    """(H, W, C) -> (height, width, C) from the middle; a smaller image is padded with 0."""
    rows, cols = pixels.shape[:2]
    if rows < height or cols < width:  # pad evenly (transformers does the same), then crop
        top, left = max(0, (height - rows + 1) // 2), max(0, (width - cols + 1) // 2)
        padded = np.zeros((max(rows, height), max(cols, width), pixels.shape[2]), pixels.dtype)
        padded[top:top + rows, left:left + cols] = pixels
        pixels, rows, cols = padded, *padded.shape[:2]
    top, left = (rows - height) // 2, (cols - width) // 2
    return pixels[top:top + height, left:left + width]


def read_processor(folder: Path) -> ImageProcessor:
    """The folder's preprocessor_config.json, or CLIP's defaults when it has none."""
    path = Path(folder) / PREPROCESSOR_CONFIG
    if not path.is_file():
        return ImageProcessor()
    try:
        return ImageProcessor.from_dict(json.loads(path.read_text(encoding="utf-8")), str(path))
    except (json.JSONDecodeError, UnicodeDecodeError, TypeError, ValueError) as e:
        if isinstance(e, ConfigError):
            raise
        raise ConfigError(f"{path}: not a valid image processor config ({e})") from e


def open_image(path: str | Path):
    """A PIL image from a file, or one error line naming the file that is not an image."""
    Image = need("PIL.Image", "reading an image")  # the [vision] extra, named when missing
    path = Path(path)
    if not path.is_file():
        raise DataError(f"image {path} not found")
    try:
        with Image.open(path) as image:
            image.load()  # decode now: a truncated file fails here, not later
            return image.copy()
    except (Image.UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise DataError(f"{path} is not an image Pillow can read ({type(e).__name__}: "
                        f"{str(e).splitlines()[0] if str(e) else 'no details'})") from None


def load_pixels(paths: list[str | Path], processor: ImageProcessor):
    """Image files -> (N, 3, H, W) float32 tensor, preprocessed as the model expects."""
    import torch

    return torch.from_numpy(np.stack([processor(open_image(p)) for p in paths]))
