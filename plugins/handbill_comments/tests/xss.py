"""Hostile comment content, and the check that nothing executable reached a built page.

Shared by the static security tests and the browser test that loads the same pages.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from handbill_comments.tests.sitecontent import comment, post, site

BODY_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '[x](https://example.org/" onmouseover="alert(1))',
    "[x](https://example.org/\"onmouseover=\"alert(1)\")",
    "[x]: javascript:alert(1)\n\n[x]",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "<a href=javascript&colon;alert(1)>x</a>",
    '<a href="https://example.org/" onclick="alert(1)">x</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    '<https://example.org/" onclick="alert(1)>',
    "<javascript:alert(1)>",
    '"><script>alert(1)</script>',
    "*<img src=x onerror=alert(1)>*",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<a href='https://example.org/'>x</a",
    "<img src=\"x\" onerror=\"alert(1)\"",
]

NAME_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<svg onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)",
    "</a><script>alert(1)</script>",
    '" autofocus onfocus="alert(1)',
    '<a href="javascript:alert(1)">Dana</a>',
    "javascript:alert(1)",
]

# Valid http(s) records whose text tries to break out of the href attribute.
WEBSITE_PAYLOADS = [
    'https://example.org/"><script>alert(1)</script>',
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/'><svg/onload=alert(1)>",
    "https://example.org/?q=<script>alert(1)</script>",
    "http://example.org/#javascript:alert(1)",
    'https://"onfocus="alert(1)"autofocus="',
]

# Not http(s): the records are refused, so these comments are never published.
REFUSED_WEBSITES = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "&#106;avascript:alert(1)",
    "https:alert(1)",
    'https://example.org/" onmouseover="alert(1)',
]

COMMENTER_EMAILS = ["zoe.cruz@example.org", "mk+blog@mail.example.net"]
HOSTILE_SLUG = "hostile"
# The theme's own scripts, loaded from its files: the comment form and the visit beacon.
ALLOWED_SCRIPTS = ("/theme/js/comment-form.js", "/theme/js/visit-beacon.js", "/theme/js/search.js")
# What handbill_theme_assets puts after a theme file's address: its version, nothing else.
_THEME_FILE_VERSION = re.compile(r"v=[0-9a-f]{10}")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "svg", "math", "style", "frame", "frameset", "applet"}
_DANGEROUS_URL = re.compile(r"(?:javascript|data|vbscript):", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def is_theme_script(address):
    parts = urlsplit(address)
    return (
        parts.path.endswith(ALLOWED_SCRIPTS)
        and not parts.fragment
        and (not parts.query or _THEME_FILE_VERSION.fullmatch(parts.query) is not None)
    )


def hostile_site():
    """A post whose comments carry every payload (published under the `anyone` policy)."""
    parts = [post(HOSTILE_SLUG, title="Hostile comments")]
    minute = 0

    def add(author, body, **fields):
        nonlocal minute
        minute += 1
        date = f"2024-01-11T{minute // 60:02d}:{minute % 60:02d}:00+00:00"
        parts.append(comment(HOSTILE_SLUG, f"c-{minute}", author, date, body, **fields))

    for payload in BODY_PAYLOADS:
        add("Zoë de la Cruz", payload)
    for payload in NAME_PAYLOADS:
        add(payload, "A hostile name.")
    for payload in WEBSITE_PAYLOADS:
        add("Zoë de la Cruz", "A hostile website.", Website=payload)
    for email in COMMENTER_EMAILS:
        add("Mary-Kate O'Neil", f"Write to me at {email} or [mail](mailto:{email}) or <{email}>.")
    add("Ольга Петрова", "A reply, so threads are nested.", Reply_To="c-1")
    return site(*parts), minute


def refused_site():
    parts = [post(HOSTILE_SLUG, title="Refused comments")]
    for number, website in enumerate(REFUSED_WEBSITES, start=1):
        parts.append(comment(HOSTILE_SLUG, f"c-w{number}", "Zoë de la Cruz", body=f"Refused website {number}.",
                             Website=website))
    for number, email in enumerate(COMMENTER_EMAILS, start=1):
        parts.append(comment(HOSTILE_SLUG, f"c-e{number}", email, body=f"Email as a name {number}."))
    return site(*parts)


def executable_problems(html):
    """Everything in ``html`` that could run script, or that comments must not bring: [description].

    Scripts, event handlers and script URLs are looked for on the whole page;
    elements the site itself may use (inline SVG, <style>) only inside the comments.
    """
    problems = []
    document = lxml.html.document_fromstring(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script" and (not is_theme_script(element.get("src", "")) or (element.text or "").strip()):
            problems.append(f"script: {lxml.html.tostring(element)[:120]!r}")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("meta refresh")
        for attribute, value in element.attrib.items():
            name = attribute.lower()
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…> event handler")
            if name in URL_ATTRIBUTES and _DANGEROUS_URL.match(re.sub(r"[\x00-\x20]+", "", value)):
                problems.append(f"<{tag} {name}={value!r}>")
    for section in document.xpath("//section[@id='comments']"):
        for element in section.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag.lower() in FORBIDDEN_TAGS:
                problems.append(f"<{element.tag}> element in the comments")
            if element.get("style") is not None:
                problems.append(f"<{element.tag} style=…> in the comments")
    return problems


def output_pages(output):
    return sorted(Path(output).rglob("*.html"))


def commenter_emails_in(output):
    """Where the commenters' addresses appear in any built file (PDFs and feeds too): {file: [addresses]}."""
    found = {}
    for path in Path(output).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            addresses = [email for email in COMMENTER_EMAILS if email.encode() in data]
            if addresses:
                found[str(path.relative_to(output))] = addresses
    return found


def emails_in_comments(html):
    """Any email address in a page's comments section, text or markup."""
    sections = lxml.html.document_fromstring(html).xpath("//section[@id='comments']")
    return [email for section in sections for email in _EMAIL.findall(lxml.html.tostring(section, encoding="unicode"))]
