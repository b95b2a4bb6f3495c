"""Draws the example branch's pictures (content/images/*.png): flat illustrations
made of shapes, so they are ours to give away (see content/images/CREDITS.md).

    .venv/bin/python scripts/draw-example-images.py
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "content" / "images"
SIZE = (1600, 900)
GREEN, DARK, YELLOW, SKY = "#1d5e3a", "#143f27", "#f2c14e", "#cfe8f3"
SKINS = ["#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac", "#5c3a1e"]
CLOTHES = ["#d1495b", "#00798c", "#edae49", "#30638e", "#6a4c93", "#ef476f", "#118ab2"]


def person(draw, x, ground, height, rng, sign=False):
    """A simple standing figure: body, head and (sometimes) a placard."""
    body_w = height * 0.32
    head = height * 0.2
    top = ground - height
    draw.rounded_rectangle(
        [x - body_w / 2, top + head * 1.1, x + body_w / 2, ground],
        radius=body_w / 2.5,
        fill=rng.choice(CLOTHES),
    )
    draw.ellipse([x - head / 2, top, x + head / 2, top + head], fill=rng.choice(SKINS))
    if sign:
        draw.line(
            [x + body_w / 2, top + head * 2, x + body_w / 2 + 10, top - head * 0.8],
            fill=DARK,
            width=6,
        )
        draw.rectangle(
            [x + body_w / 2 - 40, top - head * 2.2, x + body_w / 2 + 60, top - head * 0.6],
            fill="#ffffff",
            outline=GREEN,
            width=6,
        )


def square(path):
    """The town square: a stall with the branch's colours and people around it."""
    rng = random.Random(1)
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    draw.ellipse([1180, 90, 1380, 290], fill=YELLOW)
    for i, colour in enumerate(["#a7c9a0", "#8fbf86"]):
        draw.polygon(
            [
                (0, 560 + i * 40),
                (500, 380 + i * 60),
                (1000, 560 + i * 30),
                (1600, 420 + i * 50),
                (1600, 900),
                (0, 900),
            ],
            fill=colour,
        )
    draw.rectangle([0, 640, 1600, 900], fill="#d9d4c7")
    for x in range(0, 1600, 80):
        draw.line([x, 640, x - 120, 900], fill="#c9c2b2", width=3)
    # The stall.
    draw.rectangle([560, 430, 1040, 700], fill="#ffffff")
    for i in range(6):
        colour = GREEN if i % 2 == 0 else YELLOW
        draw.polygon(
            [
                (540 + i * 87, 360),
                (627 + i * 87, 360),
                (627 + i * 87, 440),
                (540 + i * 87, 440),
            ],
            fill=colour,
        )
    draw.rectangle([600, 560, 1000, 600], fill=GREEN)
    draw.rectangle([560, 600, 1040, 700], fill="#e9e4d8")
    for x, h, sign in [
        (180, 260, False),
        (330, 300, True),
        (470, 240, False),
        (1140, 280, False),
        (1290, 250, True),
        (1430, 300, False),
        (700, 250, False),
        (860, 270, False),
    ]:
        person(draw, x, 800 if x < 560 or x > 1040 else 760, h, rng, sign)
    image.save(path, optimize=True)


def garden(path):
    """A city garden: raised beds, plants and people working in them."""
    rng = random.Random(2)
    image = Image.new("RGB", SIZE, "#dff0e0")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1600, 380], fill=SKY)
    for x in range(60, 1600, 220):  # houses behind the garden
        h = rng.randint(160, 300)
        draw.rectangle(
            [x, 380 - h, x + 170, 380], fill=rng.choice(["#e8d5b7", "#c9d6df", "#f0c9a8"])
        )
        for wx in range(x + 20, x + 150, 50):
            for wy in range(380 - h + 20, 360, 60):
                draw.rectangle([wx, wy, wx + 25, wy + 30], fill="#ffffff")
    for y in (470, 640):
        for x in range(80, 1500, 480):
            draw.rectangle([x, y, x + 400, y + 110], fill="#8b5a2b")
            draw.rectangle([x + 10, y + 10, x + 390, y + 40], fill="#5b3a1a")
            for px in range(x + 30, x + 390, 45):
                size = rng.randint(30, 60)
                draw.ellipse(
                    [px - size / 2, y + 10 - size, px + size / 2, y + 20],
                    fill=rng.choice(["#3a7d44", "#5fa052", GREEN]),
                )
                if rng.random() < 0.35:
                    draw.ellipse(
                        [px - 10, y - size / 2, px + 10, y - size / 2 + 20],
                        fill=rng.choice(["#d1495b", YELLOW]),
                    )
    for x, h in [(420, 260), (900, 240), (1380, 280)]:
        person(draw, x, 860, h, rng)
    image.save(path, optimize=True)


def circle(path):
    """A study circle: people round a table with papers and coffee."""
    rng = random.Random(3)
    image = Image.new("RGB", SIZE, "#f6efe3")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1600, 120], fill="#e8dcc6")
    draw.rectangle([1100, 130, 1450, 420], fill="#ffffff", outline="#c8bca6", width=8)
    for i in range(5):
        draw.line(
            [1140, 180 + i * 45, 1410 - rng.randint(0, 120), 180 + i * 45],
            fill=GREEN,
            width=10,
        )
    draw.ellipse([250, 520, 1350, 860], fill="#b07d48")
    draw.ellipse([270, 530, 1330, 830], fill="#c4935c")
    for x, h in [(330, 300), (560, 330), (800, 310), (1040, 330), (1270, 300)]:
        person(draw, x, 610, h, rng)
    for x in range(400, 1250, 170):
        draw.rectangle([x, 650, x + 90, 710], fill="#ffffff")
        draw.ellipse([x + 100, 690, x + 140, 730], fill="#ffffff", outline=DARK, width=5)
    image.save(path, optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    square(OUT / "torget.png")
    garden(OUT / "stadsodling.png")
    circle(OUT / "studiecirkel.png")
