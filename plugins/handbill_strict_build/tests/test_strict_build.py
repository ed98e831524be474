"""A build that logged errors from any plugin ends non-zero after reporting all of them."""

from handbill.testing.sites import project_settings

PLUGIN_THAT_LOGS_ERRORS = '''
import logging
from pelican import signals

logger = logging.getLogger(__name__)


def complain(generator):
    for article in generator.articles:
        if "bad" in article.slug:
            logger.error("%s: this post is bad", article.source_path)


def register():
    signals.article_generator_finalized.connect(complain)
'''


def test_errors_from_plugins_fail_the_build_after_all_output_is_written(build_site, tmp_path):
    plugin = tmp_path / "extra_plugins" / "complainer"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(PLUGIN_THAT_LOGS_ERRORS)
    settings = {
        "PLUGIN_PATHS": [str(tmp_path / "extra_plugins")],
        "PLUGINS": ["complainer", *project_settings()["PLUGINS"]],
    }
    files = {
        "posts/bad-one.md": "Title: Bad one\nDate: 2024-01-01\n\nx\n",
        "posts/bad-two.md": "Title: Bad two\nDate: 2024-01-02\n\nx\n",
        "posts/fine.md": "Title: Fine\nDate: 2024-01-03\n\nx\n",
    }
    site = build_site(files, settings, expect_success=False)
    assert site.returncode == 1
    log = " ".join(site.log.split())
    assert "the build logged 2 error(s)" in log
    assert "bad-one.md: this post is bad" in log and "bad-two.md: this post is bad" in log
    assert "Traceback" not in site.log
    assert site.exists("posts/2024/fine/index.html") and site.exists("posts/2024/bad-one/index.html")


def test_a_clean_build_exits_zero(build_site):
    site = build_site({"posts/fine.md": "Title: Fine\nDate: 2024-01-03\n\nx\n"})
    assert site.returncode == 0
    assert "error" not in site.log.lower()
