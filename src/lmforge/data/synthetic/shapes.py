"""Pictures of coloured shapes at positions, with captions in English and Chinese and
questions about them: data for training a tiny CLIP and a tiny VLM from nothing.

    scene      one shape (circle, square, triangle) of one colour (5) at one place (5):
               75 kinds; each picture jitters size, place and shade, over a noisy background
    captions   "a red circle at the top left" / "左上角有一个红色的圆形"
    questions  "What color is the circle?" -> "red"    "这是什么颜色?" -> "红色"
               "Where is the circle?" -> "top left"     "圆形在哪里?" -> "左上角"
               "What shape is this?" -> "circle"        "这是什么形状?" -> "圆形"

Everything is drawn with numpy from a seeded generator: the same seed gives the same
pixels. Held-out pictures come from another seed (`HELD_OUT_SEED`), so none is a training
picture, though every kind of scene appears in both.
Test: `pytest tests/train/test_vlm.py`.
"""

import itertools
from dataclasses import dataclass

import numpy as np

SHAPES = {"circle": "圆形", "square": "正方形", "triangle": "三角形"}
COLOURS = {  # name -> (Chinese, RGB)
    "red": ("红色", (220, 40, 40)), "green": ("绿色", (40, 170, 60)),
    "blue": ("蓝色", (40, 80, 225)), "yellow": ("黄色", (235, 200, 30)),
    "purple": ("紫色", (150, 60, 190)),
}
POSITIONS = {  # name -> (Chinese, centre as a fraction of the side: (x, y))
    "top left": ("左上角", (0.27, 0.27)), "top right": ("右上角", (0.73, 0.27)),
    "bottom left": ("左下角", (0.27, 0.73)), "bottom right": ("右下角", (0.73, 0.73)),
    "center": ("中间", (0.5, 0.5)),
}
KINDS = list(itertools.product(SHAPES, COLOURS, POSITIONS))  # (shape, colour, position)
HELD_OUT_SEED = 1_000_003  # held-out pictures: a stream no training seed shares


@dataclass
class Scene:
    shape: str
    colour: str
    position: str
    pixels: np.ndarray
    """(size, size, 3) uint8 RGB."""

    @property
    def kind(self) -> int:
        """Index of (shape, colour, position) in KINDS."""
        return KINDS.index((self.shape, self.colour, self.position))

    def caption(self, language: str = "en") -> str:
        return caption(self.shape, self.colour, self.position, language)


def caption(shape: str, colour: str, position: str, language: str = "en") -> str:
    if language == "zh":
        return f"{POSITIONS[position][0]}有一个{COLOURS[colour][0]}的{SHAPES[shape]}"
    where = "in the center" if position == "center" else f"at the {position}"
    return f"a {colour} {shape} {where}"


def all_captions(language: str = "en") -> list[str]:
    """One caption per kind of scene, in KINDS order: the zero-shot classes."""
    return [caption(*kind, language) for kind in KINDS]


def questions(scene: Scene) -> list[tuple[str, str, str]]:
    """(question, answer, what it asks: colour | position | shape), in English and Chinese."""
    s, zh_shape = scene.shape, SHAPES[scene.shape]
    return [
        (f"What color is the {s}?", scene.colour, "colour"),
        ("这是什么颜色?", COLOURS[scene.colour][0], "colour"),
        (f"Where is the {s}?", scene.position, "position"),
        (f"{zh_shape}在哪里?", POSITIONS[scene.position][0], "position"),
        ("What shape is this?", s, "shape"),
        ("这是什么形状?", zh_shape, "shape"),
    ]


def vocabulary() -> list[str]:
    """Every caption, question and answer the generator can write (to build a tokenizer)."""
    texts = [*all_captions("en"), *all_captions("zh")]
    for shape, colour, position in KINDS:
        scene = Scene(shape, colour, position, np.zeros((1, 1, 3), np.uint8))
        texts += [t for q, a, _ in questions(scene) for t in (q, a)]
    return texts


def render(shape: str, colour: str, position: str, rng: np.random.Generator,
           size: int = 32) -> np.ndarray:
    """One picture: a noisy light background and the shape, jittered in size, place and
    shade, so no two pictures of a kind are the same."""
    image = rng.normal(215, 12, (size, size, 3)).clip(0, 255)  # (H, W, 3) background
    fx, fy = POSITIONS[position][1]
    cx = (fx + rng.uniform(-0.06, 0.06)) * size
    cy = (fy + rng.uniform(-0.06, 0.06)) * size
    r = size * rng.uniform(0.14, 0.2)  # half the shape's extent
    y, x = np.mgrid[0:size, 0:size] + 0.5
    if shape == "circle":
        inside = (x - cx) ** 2 + (y - cy) ** 2 <= r**2
    elif shape == "square":
        inside = (abs(x - cx) <= r * 0.85) & (abs(y - cy) <= r * 0.85)
    else:  # triangle pointing up: below the two slanted edges, above the base
        top, base = cy - r, cy + r * 0.8
        half_width = (y - top) / (base - top) * r
        inside = (y >= top) & (y <= base) & (abs(x - cx) <= half_width)
    rgb = np.asarray(COLOURS[colour][1]) + rng.normal(0, 12, 3)  # a shade of the colour
    image[inside] = rgb.clip(0, 255)
    return image.round().astype(np.uint8)


def scene(kind: int, rng: np.random.Generator, size: int = 32) -> Scene:
    shape, colour, position = KINDS[kind]
    return Scene(shape, colour, position, render(shape, colour, position, rng, size))


def generate(n: int, seed: int = 0, size: int = 32) -> list[Scene]:
    """n pictures, cycling through every kind in a shuffled order (balanced classes)."""
    rng = np.random.default_rng(seed)
    kinds = np.concatenate([rng.permutation(len(KINDS)) for _ in range(-(-n // len(KINDS)))])
    return [scene(int(k), rng, size) for k in kinds[:n]]


def batch_of_distinct_kinds(batch_size: int, rng: np.random.Generator,
                            size: int = 32) -> list[Scene]:
    """batch_size pictures of different kinds: a contrastive batch whose captions are all
    different, so no "negative" pair is really a match."""
    kinds = rng.choice(len(KINDS), size=min(batch_size, len(KINDS)), replace=False)
    return [scene(int(k), rng, size) for k in kinds]
