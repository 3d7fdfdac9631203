"""A corpus of hostile strings, and checks that nothing in a built site can execute.

Every output file is checked by its kind: HTML with a real HTML parser (html5lib, which parses
SVG and MathML as browsers do), feeds as XML and with feedparser, JSON by parsing it, SVG as XML.
`check_site` refuses a file it has no checker for, so a new kind of output (say, the JSON API)
cannot slip past: add a checker here and every hostile test covers it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from bs4.element import Tag

#: Payloads from XSS filter-evasion lists: script, event handlers, dangerous URL schemes, SVG and
#: MathML namespace tricks, broken and nested tags, entities, and quotes that end an attribute,
#: a JSON string, an XML element or a CDATA section.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href=" JaVaScRiPt:alert(1)">case</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">svg link</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">math</mi></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<details open ontoggle=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '"}]]></content><script>alert(1)</script>',
    '\\"; alert(1); //',
    "' onmouseover='alert(1)",
    "[markdown](javascript:alert(1))",
    "![markdown image](javascript:alert(1))",
    "[data link](data:text/html,<script>alert(1)</script>)",
    "[spaced]( javascript:alert(1) )",
    '<http://x.example/" onmouseover="alert(1)>',
]

#: A title with everything that is easy to escape twice or not at all.
AWKWARD_TITLE = """Tom's "Q&A" <b>día</b> 🚀 & co &amp; ] ]]> \\ </title>"""

#: Attributes that hold a URL a browser may follow or load.
_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "srcset",
    "ping",
    "manifest",
    "codebase",
    "usemap",
    "icon",
    "to",
    "from",
    "values",
}
_DANGEROUS_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)
_FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "form", "base", "noscript"}


def _url_is_dangerous(value: str) -> bool:
    # Browsers ignore whitespace and control characters inside a scheme.
    squeezed = re.sub(r"[\x00-\x20]+", "", value)
    return bool(_DANGEROUS_SCHEME.match(squeezed))


def html_problems(markup: str | bytes) -> list[str]:
    """Everything in an HTML document or fragment that could run, as parsed by a browser-grade parser."""
    soup = BeautifulSoup(markup, "html5lib")
    problems = []
    for element in soup.find_all(True):
        assert isinstance(element, Tag)
        name = element.name.split(":")[-1].lower()
        if name == "script":
            problems.append(f"script element: {str(element)[:80]}")
        if name in _FORBIDDEN_ELEMENTS:
            problems.append(f"{name} element: {str(element)[:80]}")
        if name == "meta" and element.get("http-equiv"):
            problems.append(f"meta http-equiv: {str(element)[:80]}")
        if name == "style" and element.find_parent("body") is not None:
            problems.append(f"style element in the body: {str(element)[:80]}")
        for attribute, value in element.attrs.items():
            local = attribute.split(":")[-1].lower()
            text = " ".join(value) if isinstance(value, list) else str(value)
            if local.startswith("on"):
                problems.append(f"event handler {attribute}={text[:60]!r} on <{name}>")
            if local == "style" and re.search(r"url\(|expression\(|javascript:", text, re.IGNORECASE):
                problems.append(f"style attribute {text[:60]!r} on <{name}>")
            if (attribute.lower() in _URL_ATTRIBUTES or local in _URL_ATTRIBUTES) and _url_is_dangerous(text):
                problems.append(f"{attribute}={text[:60]!r} on <{name}>")
            if local == "srcdoc":
                problems.append(f"srcdoc on <{name}>")
    return problems


def feed_problems(data: bytes) -> list[str]:
    """A feed must be well-formed XML that feedparser reads cleanly, and its HTML must be safe."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    parsed = feedparser.parse(data)
    problems = [f"feedparser: {parsed.bozo_exception}"] if parsed.bozo else []
    # feedparser sanitises what it returns, so the HTML is checked as written in the file.
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("content", "summary", "description") and element.text:
            problems += [f"{tag}: {p}" for p in html_problems(element.text)]
        for attribute, value in element.attrib.items():
            if attribute.rsplit("}", 1)[-1] in _URL_ATTRIBUTES and _url_is_dangerous(value):
                problems.append(f"{tag} {attribute}={value[:60]!r}")
    return problems


def feed_titles(data: bytes) -> tuple[str, list[str]]:
    """The feed's title and its entries' titles, as written in the XML (feedparser would sanitise them)."""
    root = ET.fromstring(data)
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == f"{atom}feed":
        return root.findtext(f"{atom}title", ""), [e.findtext(f"{atom}title", "") for e in root.iter(f"{atom}entry")]
    channel = root.find("channel")
    assert channel is not None
    return channel.findtext("title", ""), [item.findtext("title", "") for item in channel.iter("item")]


def json_problems(data: bytes) -> list[str]:
    """JSON must parse; values holding HTML (keys containing "html") must be safe HTML."""
    try:
        document = json.loads(data)
    except ValueError as error:
        return [f"not valid JSON: {error}"]
    return [
        f"{key}: {p}" for key, value in _strings(document, "") if "html" in key.lower() for p in html_problems(value)
    ]


def xml_problems(data: bytes) -> list[str]:
    """Other XML (a sitemap): well-formed, and no dangerous URL in any text or attribute."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    values = [e.text or "" for e in root.iter()] + [v for e in root.iter() for v in e.attrib.values()]
    return [f"dangerous URL {v[:60]!r}" for v in values if _url_is_dangerous(v)]


def ics_problems(data: bytes) -> list[str]:
    """iCalendar must parse, and no URL property may use a dangerous scheme."""
    import icalendar  # a dependency of the calendar feed, which brings .ics files

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        return [f"not valid iCalendar: {error}"]
    return [
        f"{component.name} URL {str(component['URL'])[:60]!r}"
        for component in calendar.walk()
        if "URL" in component and _url_is_dangerous(str(component["URL"]))
    ]


def svg_problems(data: bytes) -> list[str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1].lower() in ("script", "foreignobject"):
            problems.append(f"<{element.tag}> element")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or (local in _URL_ATTRIBUTES and _url_is_dangerous(value)):
                problems.append(f"{local}={value[:60]!r}")
    return problems


def _strings(value: object, key: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)


def check_site(site: Path, theme: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Problems per file, for every file of a built site (an empty dict when all is safe).

    `theme` holds findings a harmless site has too (`theme_findings`): the theme's own script or
    a `data:,` icon link are not injected, so they are not reported.
    """
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.name == ".statuspage":
            continue
        if path.suffix == ".html":
            problems = html_problems(data)
        elif path.suffix in (".atom", ".rss"):
            problems = feed_problems(data)
        elif path.suffix == ".xml":
            problems = xml_problems(data)
        elif path.suffix == ".ics":
            problems = ics_problems(data)
        elif path.suffix == ".json":
            problems = json_problems(data)
        elif path.suffix == ".svg":
            problems = svg_problems(data)
        elif path.suffix == ".txt":
            problems = [] if _is_utf8(data) else ["not UTF-8"]
        else:
            problems = [f"no hostile-content checker for {path.suffix or 'files without a suffix'}; add one"]
        problems = [p for p in problems if p not in theme]
        if problems:
            found[relative] = problems
    return found


def theme_findings(site: Path) -> frozenset[str]:
    """What the checks report on a site built from harmless input: the theme's own doing."""
    return frozenset(p for problems in check_site(site).values() for p in problems)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
