"""The demo's scene photo: a drawn picture of a boat on the lake at night, so `make run` shows a call with a photo.

Demo data, not evidence: drawn with Pillow at load time (no binary in the repository), with a shooting time in its
EXIF like a phone's, and kept through the same attachment store as any upload.
"""

import io

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 960, 720
DATETIME_ORIGINAL = 0x9003
EXIF_IFD = 0x8769


def scene_jpeg(taken_at):
    """A JPEG of the lake at night with a small boat, its EXIF shooting time `taken_at` (a datetime)."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):  # night sky over dark water
        shade = y / HEIGHT
        colour = (int(12 + 20 * shade), int(24 + 40 * shade), int(48 + 70 * shade)) if y < HEIGHT * 0.45 else \
            (int(10 + 15 * shade), int(40 + 30 * shade), int(60 + 40 * shade))
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    for x in range(0, WIDTH, 48):  # ripples
        draw.arc([x, 420 + (x % 96) // 3, x + 60, 440 + (x % 96) // 3], 200, 340, fill=(90, 130, 160), width=2)
    draw.polygon([(380, 430), (600, 430), (570, 470), (410, 470)], fill=(70, 50, 40))  # the boat
    draw.line([(480, 430), (480, 360)], fill=(200, 200, 180), width=4)
    draw.ellipse([(470, 350), (490, 370)], fill=(250, 240, 170))  # its lamp
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, exif=exif)
    return buffer.getvalue()
