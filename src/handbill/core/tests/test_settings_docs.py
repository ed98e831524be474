"""Each README's settings tables are what the code generates."""

from handbill.core import settings_docs


def test_every_readme_settings_table_matches_the_code():
    stale = settings_docs.stale_readmes()
    assert not stale, (
        f"out of date: {', '.join(str(path) for path in stale)}; run `python -m handbill.core.settings_docs`"
    )


def test_every_settings_block_is_used_in_some_readme():
    texts = [path.read_text(encoding="utf-8") for path in settings_docs.readmes()]
    used = {match["name"] for text in texts for match in settings_docs._BLOCK.finditer(text)}
    assert used == set(settings_docs.TABLES)


def test_blocks_are_rewritten_in_place():
    text = "before\n<!-- settings-table: REDIRECTS -->\nold table\n<!-- /settings-table -->\nafter\n"
    fresh = settings_docs.rewritten(text)
    assert fresh.startswith("before\n<!-- settings-table: REDIRECTS -->\n| Setting | Default | Meaning |")
    assert '| `REDIRECTS["pages"]` | `True` |' in fresh
    assert fresh.endswith("<!-- /settings-table -->\nafter\n")
    assert settings_docs.rewritten(fresh) == fresh
