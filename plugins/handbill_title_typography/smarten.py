import smartypants

# Quotes, old-school dashes ("--" en, "---" em, as Markdown's smarty does),
# ellipses, written as Unicode characters rather than entities so that
# titles read the same in pages, feeds and PDF metadata.
_ATTRIBUTES = smartypants.Attr.q | smartypants.Attr.D | smartypants.Attr.e | smartypants.Attr.u


def smarten(text):
    return smartypants.smartypants(text, _ATTRIBUTES)
