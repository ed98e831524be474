from handbill_search.settings import SearchSettings, read_search_settings


def test_no_setting_means_the_defaults():
    assert read_search_settings({}) == (SearchSettings(), [])
    assert SearchSettings().output_dir == "pagefind" and SearchSettings().page_url == "search/"


def test_every_bad_value_is_named():
    given = {
        "SEARCH": {
            "output_dir": "../elsewhere",
            "page_save_as": "search/",
            "force_language": "English",
            "enabled": "yes",
            "colour": "blue",
            "part_pages": 0,
        }
    }
    values, problems = read_search_settings(given)
    assert values == SearchSettings()
    text = "\n".join(problems)
    for name in ("output_dir", "page_save_as", "force_language", "enabled", "colour", "part_pages"):
        assert f'SEARCH["{name}"]' in text, text


def test_good_values_are_kept():
    given = {"SEARCH": {"output_dir": "assets/pagefind", "page_url": "find/", "page_save_as": "find/index.html",
                        "force_language": "pt-br", "enabled": False, "part_pages": 2000}}
    values, problems = read_search_settings(given)
    assert problems == []
    assert (values.output_dir, values.page_url, values.force_language, values.enabled, values.part_pages) == (
        "assets/pagefind", "find/", "pt-br", False, 2000)
