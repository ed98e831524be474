"""The ``REDIRECTS`` setting, read once per build (its table in README.md is generated from here)."""

from dataclasses import dataclass

from handbill.core.settings import SettingsError, inside_output, load_settings, setting


@dataclass(frozen=True)
class RedirectSettings:
    pages: bool = setting(True, "write an HTML redirect page at each old path", example=False)
    netlify_file: str = setting(
        "_redirects",
        "Netlify / Cloudflare Pages rules file in the output; `\"\"` for none",
        inside_output,
        expect="a file path inside the output",
        example="",
    )
    nginx_file: str = setting(
        "redirects.nginx.map",
        "nginx map file in the output; `\"\"` for none",
        inside_output,
        expect="a file path inside the output",
        example="",
    )


class RedirectSettingsError(SettingsError):
    pass


def load_redirect_settings(settings_dict):
    """RedirectSettings from ``REDIRECTS``; RedirectSettingsError lists bad keys (and keeps good ones)."""
    return load_settings(RedirectSettings, settings_dict.get("REDIRECTS"), "REDIRECTS", error=RedirectSettingsError)
