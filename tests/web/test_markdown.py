"""Designer instructions are Markdown that cannot run: raw HTML stays text, links keep only safe targets."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from app.web.presenters import markdown

HOSTILE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "jav&#x61;script:alert(1)",
    "jav&#97;script:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/",
    "/\\evil.example/",
]

RAW_HTML = [
    "<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<a href=javascript:alert(1)>x</a>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div onmouseover=alert(1)>x</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)></object>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<details open ontoggle=alert(1)>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<base href=javascript:alert(1)//>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<style>@import 'http://evil.example/x.css'</style>",
]

ALLOWED_TAGS = {"p", "br", "hr", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote",
                "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}


class Elements(HTMLParser):
    """The elements a browser would build from the HTML, with their decoded attributes."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html):
    for tag, attrs in Elements(html).found:
        assert tag in ALLOWED_TAGS, tag
        allowed = {"href", "title", "rel"} if tag == "a" else set()
        assert set(attrs) <= allowed, (tag, attrs)
        if "href" in attrs:
            href = attrs["href"]
            assert re.match(r"(https?:|mailto:|/(?![/\\]))", href), href
            assert attrs["rel"] == "noopener noreferrer"


def hrefs(html):
    return [attrs["href"] for tag, attrs in Elements(html).found if tag == "a" and "href" in attrs]


@pytest.mark.parametrize("target", HOSTILE_LINKS)
def test_links_to_anything_but_the_web_mail_or_this_site_lose_their_target(target):
    html = markdown(f"[点这里]({target})")
    assert hrefs(html) == [] and "点这里" in html
    assert_inert(html)


@pytest.mark.parametrize("source", RAW_HTML)
def test_raw_html_typed_by_a_designer_is_shown_as_text(source):
    html = markdown(f"说明 {source} 结束")
    assert_inert(html)
    assert [tag for tag, _ in Elements(html).found] == ["p"]
    assert "说明" in html and "结束" in html


def test_raw_html_stays_readable_text():
    assert markdown("<b>加粗</b> & <img src=x onerror=alert(1)>") == Markup(
        "<p>&lt;b&gt;加粗&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>")


@pytest.mark.parametrize("target", ["https://www.tianchang.gov.cn/", "http://example.com/a?b=1&c=2",
                                    "mailto:bianban@example.com", "/lists/P-0001", "/calls/HJ20260001"])
def test_web_mail_and_site_links_keep_their_target_and_open_without_referrer(target):
    html = markdown(f"[依据]({target})")
    assert len(hrefs(html)) == 1 and 'rel="noopener noreferrer"' in html


def test_a_link_cannot_break_out_of_its_attribute():
    html = markdown('[x](http://a.example/" onmouseover="alert(1))')
    assert_inert(html)
    assert [tag for tag, _ in Elements(html).found] == ["p", "a"]


def test_instructions_keep_their_structure():
    html = markdown("# 注意\n\n**重点** 与 *说明*\n第二行\n\n- 一\n- 二\n\n段落\n\n1. 甲\n\n> 引用\n\n`代码`\n\n"
                    "| 单位 | 时限 |\n|:---|---:|\n| 农业 | 2 小时 |\n\n<https://example.com/>")
    for tag in ("<h3", "<strong>", "<em>", "<br>", "<ul>", "<ol>", "<li>", "<blockquote>", "<code>", "<table>",
                "<th>", "<td>"):
        assert tag in html, tag
    assert hrefs(html) == ["https://example.com/"]
    assert_inert(html)  # the heading anchors and column alignment (style=) are gone


def test_images_are_dropped_and_headings_start_at_h3():
    html = markdown("![图](https://evil.example/track.png)\n\n# 标题\n\n#### 小标题")
    assert [tag for tag, _ in Elements(html).found] == ["p", "h3", "h6"]


def test_data_filled_into_instructions_cannot_add_a_link_that_runs():
    from app.definitions.templates import render_template

    text = render_template("呼叫：{{ description }}，地点：{{ location }}",
                           {"description": "[点我](javascript:window.__xss=1)", "location": "</p><script>x</script>"})
    html = markdown(text)
    assert_inert(html)
    assert hrefs(html) == [] and "&lt;/p&gt;&lt;script&gt;" in html


def test_the_result_is_markup_so_templates_need_no_safe_filter():
    assert isinstance(markdown("文本"), Markup) and markdown(None) == Markup("")


def test_data_filled_into_instructions_is_text_not_markdown():
    from app.definitions.templates import render_template

    data = {"description": "[官方通知](https://evil.example/login) **加急** # 标题 ![x](https://evil.example/t.png)"}
    html = markdown(render_template("**说明**：{{ description }}", data, markdown=True))
    assert hrefs(html) == [] and "<strong>说明</strong>" in html and "<strong>加急</strong>" not in html
    assert "[官方通知](https://evil.example/login) **加急** # 标题" in html
    assert render_template("{{ description }}", data) == data["description"], "titles are plain text, not Markdown"


def test_a_notice_keeps_only_links_to_this_site():
    from app.domain.notifications import site_path

    for link in ("javascript:alert(1)", "https://evil.example/", "//evil.example/x", "/\\evil.example", " data:x", ""):
        assert site_path(link) is None, link
    assert site_path("/calls/HJ20261201-0001") == "/calls/HJ20261201-0001"
