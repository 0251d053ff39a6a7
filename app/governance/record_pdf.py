"""A call's record as a PDF in Chinese (reportlab, with an embedded TrueType font): summary, parties, ratings, every
event as a sentence with its time, who, its stream position and hash, and the photos with each file's SHA-256."""

import hashlib
import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.errors import InvalidState
from app.messages import msg

PHOTO_WIDTH = 70 * mm
PHOTO_HEIGHT = 60 * mm


def require_font(path, index=0):
    """The registered name of the Chinese font at `path` (registered once per process and file); a missing or
    unusable file is refused in Chinese."""
    name = "TianchangCJK-" + hashlib.sha256(f"{path}:{index}".encode()).hexdigest()[:8]
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    if not Path(path).is_file():
        raise InvalidState(msg("record.pdf.no_font", path=path))
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    except Exception as error:  # reportlab raises TTFError and others for an unusable file
        raise InvalidState(msg("record.pdf.bad_font", path=path, detail=str(error)[:200]))
    return name


def _styles(font):
    base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#555555")),
        "hash": ParagraphStyle("hash", parent=base, fontName="Courier", fontSize=6.5, leading=9,
                               textColor=colors.HexColor("#555555"), wordWrap=None),
    }


def _p(text, style):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _table(rows, styles, widths, header=True, body="body"):
    cells = [[_p(cell, styles["small"] if header and i == 0 else styles[body]) for cell in row]
             for i, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0 if header else -1),
                                colors.HexColor("#eeeeee") if header else colors.white)]))
    return table


def _photo(content):
    """An image flowable scaled into the photo box (its proportions kept), or None if it cannot be read."""
    try:
        reader = ImageReader(io.BytesIO(content))
        width, height = reader.getSize()
    except Exception:  # a file that is not an image reads as a file, not a photo
        return None
    scale = min(PHOTO_WIDTH / width, PHOTO_HEIGHT / height)
    return Image(io.BytesIO(content), width=width * scale, height=height * scale)


def _entry(entry, contents, styles):
    parts = [_p(f"{entry['time']}　{entry['who']}", styles["small"]), _p(entry["text"], styles["body"])]
    parts += [_p(detail, styles["small"]) for detail in entry.get("details") or []]
    for file in entry.get("files") or []:
        image = _photo(contents[file["id"]]) if file.get("image") and file["id"] in contents else None
        if image is not None:
            parts.append(image)
        parts.append(_p(msg("record.pdf.file", name=file["filename"], sha=file["sha256"]), styles["small"]))
    parts.append(_p(msg("record.pdf.position", stream=entry["stream_label"], seq=entry["seq"]), styles["small"]))
    parts.append(Paragraph(escape(entry["hash"]), styles["hash"]))
    parts.append(Spacer(1, 5))
    return KeepTogether(parts)


def _page(canvas, doc):
    canvas.saveState()
    canvas.setFont(doc.font_name, 7.5)
    canvas.drawString(18 * mm, 10 * mm, doc.title)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, msg("record.pdf.page", page=doc.page))
    canvas.restoreState()


def build_pdf(record, contents, font_path, font_index=0):
    """The PDF (bytes) of `record` (record_export.call_record_data) with the photos to print by attachment id."""
    font = require_font(font_path, font_index)
    styles = _styles(font)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=record["title"], author=msg("record.pdf.author"),
                            subject=record["title"])
    doc.font_name = font
    width = A4[0] - 36 * mm
    story = [_p(record["title"], styles["title"]), _p(record["exported"], styles["small"]),
             _p(msg("record.pdf.summary"), styles["h2"]),
             _table(record["summary"], styles, [32 * mm, width - 32 * mm], header=False),
             _p(msg("record.pdf.parties"), styles["h2"]),
             _table(record["parties"], styles, [width * share for share in (0.17, 0.1, 0.22, 0.22, 0.29)], body="small")]
    if record["ratings"]:
        story += [_p(msg("record.pdf.ratings"), styles["h2"])] + [_p(r, styles["body"]) for r in record["ratings"]]
    story.append(_p(msg("record.pdf.timeline", count=len(record["entries"])), styles["h2"]))
    story += [_entry(entry, contents, styles) for entry in record["entries"]]
    story.append(_p(msg("record.pdf.files"), styles["h2"]))
    story += [_p(msg("record.pdf.file", name=f["filename"], sha=f["sha256"]), styles["small"]) for f in record["files"]]
    if not record["files"]:
        story.append(_p(msg("record.pdf.no_files"), styles["small"]))
    story.append(_p(msg("record.pdf.how_to_verify"), styles["small"]))
    doc.build(story, onFirstPage=_page, onLaterPages=_page)
    return out.getvalue()
