"""Responsive sizes of the site's pictures, made with Pillow and cached by content.

Each picture named by `image:` (or used in a post's body) is read once per build
for its size; its variants (widths in WIDTHS, AVIF and WebP plus a JPEG or PNG
fallback) are named after a hash of the file's bytes and the recipe, so an
unchanged picture maps to the same files and is never processed twice: the
variants are kept in CACHE_PATH/images/ and copied to output/images/r/.
Metadata (EXIF, GPS) is not copied into the variants.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field

from PIL import Image, ImageOps

WIDTHS = (480, 800, 1200)
MODERN_FORMATS = ("avif", "webp")
QUALITY = {"avif": 55, "webp": 76, "jpeg": 80}
MIME = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
SUFFIX = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
# Change when the variants' pixels change, so old cached files are not reused.
RECIPE = "grasrot-images-1:" + repr((WIDTHS, QUALITY))
OUTPUT_FOLDER = "images/r"
CACHE_FOLDER = "images"
PASS_THROUGH = (".svg", ".gif")  # vector art and animations are used as they are


@dataclass(frozen=True)
class Variant:
    name: str  # file name under images/r/
    width: int
    height: int
    format: str

    @property
    def url(self) -> str:
        return f"{OUTPUT_FOLDER}/{self.name}"


@dataclass
class ImageSet:
    """One source picture and the files a <picture> element offers for it."""

    path: str  # as under content/, 'images/torget.jpg'
    width: int  # of the largest variant (with height: the aspect ratio)
    height: int
    fallback: str  # 'jpeg', 'png', or '' for a picture used as it is
    variants: list = field(default_factory=list)  # Variant

    def of(self, fmt) -> list:
        return [v for v in self.variants if v.format == fmt]

    @property
    def formats(self) -> list:
        return [f for f in (*MODERN_FORMATS, self.fallback) if self.of(f)]

    @property
    def src(self) -> str:
        """The fallback file for browsers without srcset: the middle size."""
        if not self.fallback:
            return self.path
        sizes = self.of(self.fallback)
        return next((v.url for v in sizes if v.width >= 800), sizes[-1].url)

    def srcset(self, fmt, siteurl="") -> str:
        return ", ".join(f"{siteurl}/{v.url} {v.width}w" for v in self.of(fmt))

    def url_for_width(self, width) -> str:
        """The fallback variant closest above `width` (og:image, e-mail)."""
        if not self.fallback:
            return self.path
        sizes = self.of(self.fallback)
        return next((v.url for v in sizes if v.width >= width), sizes[-1].url)


def _svg_size(path) -> tuple[int, int]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        head = handle.read(4096)
    box = re.search(
        r"viewBox\s*=\s*[\"']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)", head
    )
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return 0, 0


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _stem(path) -> str:
    base = os.path.splitext(os.path.basename(path))[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "bild"


class ImageStore:
    """The pictures of one build: planned while templates render, written at the end."""

    def __init__(self, settings):
        self.content = settings.get("PATH", "content")
        self.cache = os.path.join(settings.get("CACHE_PATH", "cache"), CACHE_FOLDER)
        self.sets: dict[str, ImageSet | None] = {}
        self.processed = 0  # pictures resized in this build (0 when all were cached)

    def get(self, path) -> ImageSet | None:
        """The ImageSet of a picture under content/, or None if it cannot be read."""
        if path not in self.sets:
            self.sets[path] = self._plan(path)
        return self.sets[path]

    def _plan(self, path) -> ImageSet | None:
        source = os.path.join(self.content, path)
        if not os.path.isfile(source):
            return None
        if path.lower().endswith(".svg"):
            width, height = _svg_size(source)
            return ImageSet(path, width, height, "")
        try:
            with Image.open(source) as image:
                width, height = (
                    ImageOps.exif_transpose(image).size
                    if image.getexif().get(0x0112)
                    else image.size
                )
                alpha = _has_alpha(image)
        except (OSError, ValueError):
            return None
        if path.lower().endswith(PASS_THROUGH):
            return ImageSet(path, width, height, "")
        with open(source, "rb") as handle:
            digest = hashlib.sha256(RECIPE.encode() + handle.read()).hexdigest()[:16]
        widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
        fallback = "png" if alpha else "jpeg"
        variants = [
            Variant(
                f"{_stem(path)}-{digest}-{w}.{SUFFIX[fmt]}",
                w,
                round(height * w / width),
                fmt,
            )
            for fmt in (*MODERN_FORMATS, fallback)
            for w in widths
        ]
        largest = variants[-1]
        return ImageSet(path, largest.width, largest.height, fallback, variants)

    def write(self, output_path) -> None:
        """Make the variants not in the cache yet, and copy them all to the output."""
        os.makedirs(self.cache, exist_ok=True)
        for image_set in self.sets.values():
            if image_set is None or not image_set.variants:
                continue
            missing = [
                v
                for v in image_set.variants
                if not os.path.isfile(os.path.join(self.cache, v.name))
            ]
            if missing:
                self._make(image_set, missing)
            folder = os.path.join(output_path, OUTPUT_FOLDER)
            os.makedirs(folder, exist_ok=True)
            for variant in image_set.variants:
                shutil.copyfile(
                    os.path.join(self.cache, variant.name),
                    os.path.join(folder, variant.name),
                )

    def _make(self, image_set, variants) -> None:
        self.processed += 1
        with Image.open(os.path.join(self.content, image_set.path)) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
        image = image.convert("RGBA" if image_set.fallback == "png" else "RGB")
        resized = {}
        for variant in variants:
            if variant.width not in resized:
                resized[variant.width] = image.resize(
                    (variant.width, variant.height), Image.Resampling.LANCZOS
                )
            target = os.path.join(self.cache, variant.name)
            options = (
                {"quality": QUALITY[variant.format]} if variant.format in QUALITY else {}
            )
            if variant.format == "jpeg":
                options.update(optimize=True, progressive=True)
            if variant.format == "avif":
                options.update(speed=10)
            if variant.format == "png":
                options.update(optimize=True)
            # Write under a temporary name: a build stopped halfway leaves no
            # half-written file that a later build would take for a finished one.
            partial = target + ".part"
            resized[variant.width].save(partial, format=variant.format.upper(), **options)
            os.replace(partial, target)


def store(settings) -> ImageStore:
    """This build's pictures (grasrot_core.state: fresh for every build)."""
    from grasrot_core.state import current

    return current(settings).slot("images", lambda: ImageStore(settings))
