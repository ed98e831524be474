"""The ``REDIRECTS`` setting, read once per build (documented in README.md)."""

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class RedirectSettings:
    pages: bool = True  # write an HTML redirect page at each old path
    netlify_file: str = "_redirects"  # Netlify / Cloudflare Pages rules; "" for none
    nginx_file: str = "redirects.nginx.map"  # lines for an nginx ``map``; "" for none


class RedirectSettingsError(ValueError):
    def __init__(self, problems, settings):
        self.problems = problems
        self.settings = settings
        super().__init__("; ".join(problems))


def load_redirect_settings(settings_dict):
    """RedirectSettings from ``REDIRECTS``; RedirectSettingsError lists bad keys (and keeps good ones)."""
    given = settings_dict.get("REDIRECTS") or {}
    defaults = RedirectSettings()
    if not isinstance(given, dict):
        raise RedirectSettingsError([f"REDIRECTS must be a dict, not {given!r}"], defaults)
    known = {field.name: field.type for field in fields(RedirectSettings)}
    problems, values = [], {}
    for key, value in given.items():
        if key not in known:
            problems.append(f'REDIRECTS["{key}"] is not a setting (known: {", ".join(known)})')
        elif key == "pages" and not isinstance(value, bool):
            problems.append(f'REDIRECTS["pages"] must be True or False, not {value!r}')
        elif key != "pages" and not (
            isinstance(value, str) and not value.startswith("/") and ".." not in value.split("/")
        ):
            problems.append(f'REDIRECTS["{key}"] must be a file path inside the output, not {value!r}')
        else:
            values[key] = value
    settings = replace(defaults, **values)
    if problems:
        raise RedirectSettingsError(problems, settings)
    return settings
