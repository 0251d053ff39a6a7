"""Small helpers that turn domain rows into what templates show (Chinese labels, deadline colours, Markdown)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import markdown as markdown_lib
import nh3
from flask import current_app
from markupsafe import Markup

from app.db import utcnow
from app.messages import msg


def local_zone():
    """The county's time zone (Config.TIMEZONE): every page tells time in it."""
    return ZoneInfo(current_app.extensions["tianchang.config"].TIMEZONE)


def local_time(moment):
    """A moment as the county reads it, 2026-03-02 09:00 ('' for none)."""
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") if moment else ""


def deadline_class(due, now=None):
    """green / yellow (due within a day) / red (overdue) for a deadline, '' when there is none."""
    if due is None:
        return ""
    now = now or utcnow()
    if due < now:
        return "red"
    return "yellow" if due - now < timedelta(hours=24) else "green"


# What instructions may contain once rendered: text structure and links, nothing that runs, loads or styles.
INSTRUCTION_TAGS = {"p", "br", "hr", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote",
                    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
LINK_SCHEMES = {"http", "https", "mailto"}


def _site_path(url):
    """Relative links survive only as paths on this site ("/calls/HJ…"), never "//host" or "jav&#x61;…"."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else None


_CLEANER = nh3.Cleaner(tags=INSTRUCTION_TAGS, attributes={"a": {"href", "title"}}, url_schemes=LINK_SCHEMES,
                       url_relative=_site_path, link_rel="noopener noreferrer")


def markdown(text):
    """Designer instructions (with task data filled in) as HTML that cannot run: Markdown, then nh3.

    Raw HTML is not Markdown here: it stays text. Headings start at h3 (the page owns h1 and h2).
    """
    converter = markdown_lib.Markdown(extensions=["nl2br", "tables", "toc"],
                                      extension_configs={"toc": {"baselevel": 3, "marker": ""}})
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return Markup(_CLEANER.clean(converter.convert(text or "")))  # the one trusted HTML: nh3's output


def duration_text(start, end=None):
    """How long since `start` (until `end`), as people say it: 3 小时, 2 天 5 小时."""
    hours = int(((end or utcnow()) - start).total_seconds() // 3600)
    if hours >= 24:
        return msg("web.duration.days", days=hours // 24, hours=hours % 24)
    return msg("web.duration.hours", hours=hours)


def _span(seconds, kind):
    """A length of time in the largest unit that reads well: minutes under an hour, hours under two days."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return msg(f"callp.{kind}.minutes", n=max(minutes, 1))
    if minutes < 48 * 60:
        return msg(f"callp.{kind}.hours", n=minutes // 60)
    return msg(f"callp.{kind}.days", n=minutes // (24 * 60))


def deadline_words(due, now=None, done_at=None):
    """A deadline as people say it: 剩 3 小时 / 已超期 2 天; once done, 按时完成 or 超期 … 完成 ('' for none)."""
    if due is None:
        return ""
    if done_at is not None:
        late = (done_at - due).total_seconds()
        return msg("callp.done_late", late=took_text(due, done_at)) if late > 60 else msg("callp.done_on_time")
    left = (due - (now or utcnow())).total_seconds()
    return _span(left, "left") if left >= 0 else _span(-left, "late")


def took_text(start, end):
    """How long something took, never "0 小时": 25 分钟, 5 小时, 1 天 3 小时."""
    minutes = max(int((end - start).total_seconds() // 60), 1)
    if minutes < 60:
        return msg("callp.span.minutes", n=minutes)
    if minutes < 24 * 60:
        return msg("callp.span.hours", n=minutes // 60)
    return msg("callp.span.days", d=minutes // (24 * 60), h=minutes // 60 % 24)
