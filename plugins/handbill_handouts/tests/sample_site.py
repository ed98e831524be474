"""A small site of our own for the build tests (never the project's sample posts)."""

import io

from PIL import Image

LOGO_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
  <rect x="2" y="6" width="48" height="48" rx="6" fill="#6b2d5c"/>
  <text x="60" y="40" font-family="DejaVu Sans" font-size="24" fill="#6b2d5c">Coach</text>
</svg>
"""


def diagram_png():
    image = Image.new("RGB", (600, 240), "#dde7f0")
    for x in range(0, 600, 60):
        image.paste("#1f4e79", (x, 100, x + 40, 140))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


PARAGRAPH = (
    "Walk into the room with one question you actually want answered, and ask it of three people. "
    "Listen to the answer, write down one detail afterwards, and follow up within two days. "
)

MAIN_POST = f"""\
Title: Meeting People Who Matter
Date: 2024-03-05 09:30
Slug: meeting-people
Author: Dana Whitfield
Category: Networking
Tags: networking, events
Summary: How to turn a room of strangers into three good conversations.
Handout: yes

{PARAGRAPH}Read [the field guide](https://example.org/guide) first, then [my older post]({{filename}}older.md).

## Before the event

{PARAGRAPH * 4}

{PARAGRAPH * 3}

![A diagram of the room]({{static}}/images/diagram.png)

## After the event

{PARAGRAPH * 4}

{PARAGRAPH}Every good follow-up is specific.[^why]

[^why]: Research by the [Follow-up Society](https://example.net/study) says so.
"""

OLDER_POST = f"""\
Title: Coffee Is a Meeting
Date: 2023-11-20
Slug: coffee-is-a-meeting
Category: Networking
Tags: coffee
Handout-Page-Size: Letter

{PARAGRAPH * 3}
"""

OPTED_OUT_POST = """\
Title: Not for Print
Date: 2023-10-01
Tags: coffee
Handout: no

This post has the selected tag but says no.
"""

DRAFT_POST = """\
Title: Unfinished Thoughts
Date: 2024-04-01
Status: draft
Handout: yes

Not ready.
"""

BRAND = {
    "name": "Dana Whitfield",
    "tagline": "Connected in Person",
    "website": "https://coach.example",
    "email": "dana@coach.example",
    "phone": "+1 555 0142",
    "logo": "images/logo.svg",
    "accent_color": "#6b2d5c",
    "footer_line": "Please pass this on",
}


def files():
    return {
        "posts/meeting-people.md": MAIN_POST,
        "posts/older.md": OLDER_POST,
        "posts/opted-out.md": OPTED_OUT_POST,
        "posts/draft.md": DRAFT_POST,
        "images/logo.svg": LOGO_SVG,
        "images/diagram.png": diagram_png(),
    }


def settings(**handouts):
    return {
        "HANDOUTS": {"select_tags": ["coffee"], **handouts},
        "BRAND": BRAND,
    }
