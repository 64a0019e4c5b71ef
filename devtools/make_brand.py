"""Draw Homebound's brand images (Home Assistant 2026.3+ reads them from the integration).

    python -m devtools.make_brand

Writes into custom_components/homebound/brand/: icon.png (256x256), icon@2x.png (512x512),
logo.png (128 px high), logo@2x.png (256 px high) and the dark_* variants of each. The picture
is a house outline holding a camera lens, in two colours on a transparent background. Shapes are
drawn four times larger and scaled down, which gives smooth edges without an anti-aliasing API.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import sys

from PIL import Image, ImageDraw, ImageFont

BRAND_DIR = Path(__file__).resolve().parent.parent / "custom_components" / "homebound" / "brand"
SUPERSAMPLE = 4
WORDMARK = "Homebound"
FONT_FILES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf")

type RGBA = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    """The two colours of a variant."""

    accent: RGBA  # the house outline and the iris
    ink: RGBA  # the lens body and the wordmark
    dark_pupil: bool  # pupil in ink with a clear glint, or (on dark themes) the reverse


LIGHT = Palette(accent=(0x1E, 0x88, 0xE5, 0xFF), ink=(0x10, 0x2A, 0x43, 0xFF), dark_pupil=True)
DARK = Palette(accent=(0x4F, 0xB3, 0xFF, 0xFF), ink=(0xE8, 0xF1, 0xF8, 0xFF), dark_pupil=False)
CLEAR: RGBA = (0, 0, 0, 0)


def _scaled(points: list[tuple[float, float]], side: int) -> list[tuple[float, float]]:
    """Map points given on a 0..1 grid onto a square canvas of ``side`` pixels."""
    return [(x * side, y * side) for x, y in points]


def _circle(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: RGBA) -> None:
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)


def draw_icon(size: int, palette: Palette) -> Image.Image:
    """Return a ``size`` x ``size`` icon: house outline with a camera lens inside."""
    side = size * SUPERSAMPLE
    image = Image.new("RGBA", (side, side), CLEAR)
    draw = ImageDraw.Draw(image)

    stroke = round(0.085 * side)
    # The outline, closed at the apex so the roof joint is rounded like the others.
    house = _scaled(
        [
            (0.50, 0.10),
            (0.92, 0.47),
            (0.80, 0.47),
            (0.80, 0.90),
            (0.20, 0.90),
            (0.20, 0.47),
            (0.08, 0.47),
            (0.50, 0.10),
            (0.92, 0.47),
        ],
        side,
    )
    draw.line(house, fill=palette.accent, width=stroke, joint="curve")
    for x, y in (house[0], house[1], house[-3]):
        _circle(draw, x, y, stroke / 2, palette.accent)

    # The lens: a body in ink, an accent iris, then a pupil and a glint. The pupil should look
    # dark on any theme, so on dark themes it is a hole and the glint is drawn in ink.
    pupil, glint = (palette.ink, CLEAR) if palette.dark_pupil else (CLEAR, palette.ink)
    cx, cy = 0.50 * side, 0.645 * side
    _circle(draw, cx, cy, 0.175 * side, palette.ink)
    _circle(draw, cx, cy, 0.115 * side, palette.accent)
    _circle(draw, cx, cy, 0.060 * side, pupil)
    _circle(draw, cx + 0.045 * side, cy - 0.045 * side, 0.030 * side, glint)

    return image.resize((size, size), Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def draw_logo(height: int, palette: Palette) -> Image.Image:
    """Return the icon followed by the wordmark, ``height`` pixels high, trimmed to its content."""
    tall = height * SUPERSAMPLE
    icon = draw_icon(tall, palette)  # drawn at the large size; scaled with the rest below
    font = _font(round(tall * 0.50))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), WORDMARK, font=font)
    gap = round(tall * 0.10)
    width = tall + gap + round(right - left)

    image = Image.new("RGBA", (width, tall), CLEAR)
    image.alpha_composite(icon, (0, 0))
    draw = ImageDraw.Draw(image)
    # Sit the text's visible box on the house's floor line and centre it on the walls.
    text_y = round(0.70 * tall - (bottom + top) / 2)
    split = 4  # "Home" in the accent colour, "bound" in ink
    x = tall + gap - left
    draw.text((x, text_y), WORDMARK[:split], font=font, fill=palette.accent)
    x += round(draw.textlength(WORDMARK[:split], font=font))
    draw.text((x, text_y), WORDMARK[split:], font=font, fill=palette.ink)

    box = image.getbbox()
    if box is not None:
        image = image.crop((box[0], 0, box[2], tall))
    new_width = max(1, round(image.width * height / tall))
    return image.resize((new_width, height), Image.Resampling.LANCZOS)


def build(target: Path) -> list[Path]:
    """Write every brand image into ``target``; return the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for prefix, palette in (("", LIGHT), ("dark_", DARK)):
        for suffix, scale in (("", 1), ("@2x", 2)):
            images = {
                f"{prefix}icon{suffix}.png": draw_icon(256 * scale, palette),
                f"{prefix}logo{suffix}.png": draw_logo(128 * scale, palette),
            }
            for name, image in images.items():
                path = target / name
                image.save(path, format="PNG", optimize=True)
                written.append(path)
    return written


def main() -> int:
    """Draw the images and say where they went."""
    for path in build(BRAND_DIR):
        with Image.open(path) as image:
            sys.stdout.write(f"{path.name}: {image.width}x{image.height}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
