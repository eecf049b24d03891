"""Model cards as HTML: Markdown rendered by markdown-it, sanitized by nh3.

A card is written by whoever can push a README, so its HTML is untrusted.
markdown-it renders it (raw HTML allowed, as cards use it for images and
layout); nh3 (the ammonia sanitizer) then keeps only an allowlist of tags
and attributes: no scripts, no event handlers, no ``style``, no
``javascript:``/``data:`` URLs, no forms or frames. Everything the page
shows of a card goes through ``card_html``.

Relative links and images in a card point into the repo, as on the
Hugging Face Hub: images to the file's bytes (``resolve``), links to the
file's page (``blob``).
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

# Cards larger than this are not rendered (the file page still shows them).
MAX_CARD_BYTES = 512 * 1024

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
    "div": {"align"},
    "p": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Only the classes of highlighted code survive: a card cannot borrow the
# page's own classes to imitate its buttons or notices.
_PYGMENTS_CLASSES = {name for name in STANDARD_TYPES.values() if name}
ALLOWED_CLASSES = {
    "pre": {"highlight"},
    "span": _PYGMENTS_CLASSES,
}

_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}


def _highlight(code: str, lang: str, _attrs: str) -> str:
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang.split()[0])
    except ClassNotFound:
        return ""  # markdown-it escapes it as plain code
    body = highlight(code, lexer, HtmlFormatter(nowrap=True))
    # Starting with <pre, the block is used as it is (not wrapped again).
    return f'<pre class="highlight"><code>{body}</code></pre>\n'


def _parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": True, "linkify": False, "highlight": _highlight}
    )
    md.enable(["table", "strikethrough"])
    return md


_MD = _parser()


def _repo_url(value: str, *, tag: str, repo_base: str, revision: str) -> str:
    """Where a relative card URL points inside the repo (absolute ones unchanged)."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("#", "/")):
        return value
    path = posixpath.normpath(unquote(parts.path) or ".")
    if path in (".", "..") or path.startswith("../"):
        return value
    kind = "resolve" if tag == "img" else "blob"
    url = f"{repo_base}/{kind}/{quote(revision, safe='')}/{quote(path)}"
    if parts.query:
        url += f"?{parts.query}"
    if parts.fragment:
        url += f"#{parts.fragment}"
    return url


def sanitize_html(html: str, *, repo_base: str = "", revision: str = "main") -> str:
    """Keep only the allowlisted tags, attributes, classes and URL schemes."""

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if repo_base and (tag, attribute) in _URL_ATTRIBUTES:
            return _repo_url(value, tag=tag, repo_base=repo_base, revision=revision)
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
        attribute_filter=attribute_filter,
    )


def markdown_html(text: str, *, repo_base: str = "", revision: str = "main") -> str:
    """Markdown to sanitized HTML; relative URLs point into the repo."""
    return sanitize_html(_MD.render(text), repo_base=repo_base, revision=revision)
