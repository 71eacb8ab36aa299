"""HTML pages: the article's text, line per block, and what the page says about itself.

lxml (already a dependency, ~5 ms a page) with a readability-style choice of the article: each
block of Han text gives its length to its parent and half to its grandparent, and the element with
the most wins. Navigation, toolbars, scripts and footers are dropped by tag and by class/id words
before the choice; lines of chrome left inside the article are cleanup's job (stages/chrome.py).
A general extractor (trafilatura) was not taken: it drops short lines such as signature dates and
metadata bullets that the later stages need, and its output cannot be steered line by line.

page_meta keys, raw strings, only those present: title, publish_date, source, issuer.
"""
from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from stages.fixes import to_simplified
from stages.records import Rejected

DROP_TAGS = ("script", "style", "noscript", "iframe", "form", "nav", "header", "footer", "aside", "select",
             "button", "input", "textarea", "object", "embed", "svg", "template")
CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|toolbar|tools|footer|foot|header|head|top|topbar|bottom|breadcrumbs?|crumbs?|"
    r"position|location|share|bdshare|print|sidebar|side|copyright|banner|search|login|links?|friendlinks?|"
    r"qrcode|ewm|fenxiang|dqwz|gotop)(?:$|[\s_-])", re.I)
BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article",
              "ul", "ol", "pre", "blockquote", "dd", "dt", "dl", "center", "hr", "tbody", "thead", "main"}
HAN = re.compile(r"[\u3400-\u9fff]")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
BREAK_SPACE = re.compile(r"[ \t\r\f\v]*\n\s*")
SPACES = re.compile(r"[ \t\r\f\v]+")

META_NAMES = {"articletitle": "title", "pubdate": "publish_date", "publishdate": "publish_date",
              "firstpublishedtime": "publish_date", "contentsource": "source"}
PAGE_KEYS = {
    "publish_date": re.compile(r"(?:发布|发表|公开|上传)(?:时间|日期)\s*[:：]\s*"),
    "source": re.compile(r"(?:信息|文章|稿件|新闻)?来源\s*[:：]\s*"),
    "issuer": re.compile(r"发布机构\s*[:：]\s*"),
}
NEXT_KEY = re.compile(r"(?:发布|发表|公开|上传|更新)(?:时间|日期)|(?:信息|文章)?来源|发布机构|浏览|点击|作者|字[体号]|[:：|]")


def extract_html(markup: str) -> tuple[str, dict[str, str]]:
    """The article text of a page (a line per block) and its page_meta.

    >>> text, meta = extract_html('<html><head><title>报告_某县政府网</title></head><body>'
    ...     '<div class="nav">首页 &gt; 政务公开</div><div class="content"><h1>某县2023年法治政府建设报告</h1>'
    ...     '<p>来源:县司法局 发布时间:2024-03-28</p><p>2023年,我县推进依法行政。</p>'
    ...     '<p>一、主要成效</p></div><div class="footer">版权所有</div></body></html>')
    >>> text
    '来源:县司法局 发布时间:2024-03-28\\n2023年,我县推进依法行政。\\n一、主要成效'
    >>> meta
    {'title': '某县2023年法治政府建设报告', 'publish_date': '2024-03-28', 'source': '县司法局'}
    """
    try:
        tree = lxml_html.fromstring(XML_DECLARATION.sub("", markup) or "<html/>")
    except (etree.ParserError, ValueError) as exc:
        raise Rejected("bad_html", f"the page cannot be parsed as HTML ({exc}); re-download it") from exc
    meta = _meta_tags(tree)
    _drop_chrome(tree)
    heading = _heading(tree)
    for title in (" ".join(heading.text_content().split()) if heading is not None else "",
                  " ".join((tree.findtext(".//title") or "").split())):
        if HAN.search(title):
            meta.setdefault("title", title)
    body = tree.find("body") if tree.find("body") is not None else tree
    for key, value in _page_fields(_text_lines(body)).items():
        meta.setdefault(key, value)
    text = "\n".join(_text_lines(_article(body), skip=heading))
    if not HAN.search(text):
        raise Rejected("empty_html", "the page holds no Chinese text (an index page, a redirect or a "
                       "script-rendered page?); save the page that shows the report itself")
    return text, meta


def _meta_tags(tree) -> dict[str, str]:
    meta = {}
    for tag in tree.iter("meta"):
        key = META_NAMES.get((tag.get("name") or "").lower())
        value = " ".join((tag.get("content") or "").split())
        if key and value and key not in meta:
            meta[key] = value
    return meta


def _drop_chrome(tree) -> None:
    doomed = [el for el in tree.iter() if isinstance(el.tag, str) and (
        el.tag in DROP_TAGS or CHROME_WORDS.search(f"{el.get('class', '')} {el.get('id', '')}"))]
    for el in doomed:
        if el.getparent() is not None and el.tag not in ("html", "body"):
            el.drop_tree()


def _heading(tree):
    """The page's article heading: the first h1 with text (else the first such h2)."""
    for tag in ("h1", "h2"):
        for el in tree.iter(tag):
            if el.text_content().strip():
                return el
    return None


def _own_han(el) -> int:
    own = (el.text or "") + "".join(child.tail or "" for child in el)
    return len(HAN.findall(own))


def _article(body):
    """The element the article's paragraphs hang from (readability-style scoring)."""
    scores: dict = {}
    for el in body.iter():
        if not isinstance(el.tag, str) or (n := _own_han(el)) == 0:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + n
        if (grand := parent.getparent()) is not None:
            scores[grand] = scores.get(grand, 0) + n / 2
    if not scores:
        return body
    return max(scores, key=scores.get)


def _text_lines(el, skip=None) -> list[str]:
    """The text under `el`, a line per block element, whitespace collapsed as a browser shows it."""
    parts: list[str] = []

    def walk(node) -> None:
        block = node.tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if node is not skip:
            parts.append(_collapse(node.text or ""))
            for child in node:
                if isinstance(child.tag, str):
                    walk(child)
                    if child.tag == "td":
                        parts.append(" ")
                parts.append(_collapse(child.tail or ""))
        if block:
            parts.append("\n")

    walk(el)
    return [line for line in (ln.strip() for ln in "".join(parts).split("\n")) if line]


def _collapse(text: str) -> str:
    """Source line breaks vanish between Han characters and become one space elsewhere."""
    if "\n" not in text and "\x00" not in text:  # no line break: only runs of spaces to fold
        return SPACES.sub(" ", text)
    text = BREAK_SPACE.sub(lambda m: "\x00", text)
    text = re.sub(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])\x00(?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])",
                  "", text)
    return SPACES.sub(" ", text.replace("\x00", " "))


def _page_fields(lines: list[str]) -> dict[str, str]:
    """发布时间 / 来源 / 发布机构 values from the page's lines (first found), raw as written."""
    found: dict[str, str] = {}
    for line in lines:
        simple = to_simplified(line)  # same length: positions carry over to the raw line
        for key, pattern in PAGE_KEYS.items():
            if key in found or (m := pattern.search(simple)) is None:
                continue
            rest = simple[m.end():]
            stop = re.search(r"\s|$", rest).start()
            if (nxt := NEXT_KEY.search(rest, 1)) is not None:
                stop = min(stop, nxt.start())
            if value := line[m.end():m.end() + stop].strip():
                found[key] = value
    return found
