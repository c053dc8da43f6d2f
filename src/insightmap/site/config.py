"""The site configuration: the user's properdocs.yml or mkdocs.yml (or the default) merged with ours."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from insightmap import glossary
from insightmap.errors import InsightmapError
from insightmap.site import notfound

#: Our own plugin's names in a `plugins:` list; the derived config drops it (pages are already generated).
PLUGIN_NAMES = ("insightmap",)


class Tagged:
    """A YAML value with a tag we do not interpret (e.g. `!!python/name:...`), kept as written."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(suffix, value)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor(
    "tag:yaml.org,2002:python/",
    lambda loader, s, n: _construct_tagged(loader, "tag:yaml.org,2002:python/" + s, n),
)
_Dumper.add_representer(Tagged, _represent_tagged)


#: The site config's names, in the order ProperDocs looks for them (`insightmap init` writes the first).
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")


def default_config_text() -> str:
    """Return the packaged default properdocs.yml (the one `insightmap init` writes)."""
    return resources.files("insightmap").joinpath("data/init/properdocs.yml").read_text("utf-8")


def user_config_path(root: Path) -> Path | None:
    """Return the project's site config file, or None when it has none."""
    return next((root / name for name in CONFIG_NAMES if (root / name).is_file()), None)


def read_user_config(root: Path) -> tuple[dict[str, Any], Path | None]:
    """Return the project's site config as data (or the default) and its path (None for the default)."""
    path = user_config_path(root)
    text, found = (path.read_text("utf-8"), path) if path else (default_config_text(), None)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InsightmapError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InsightmapError(f"{path}: expected a mapping of settings")
    return data, found


def plugin_entries(config: dict[str, Any]) -> list[Any]:
    """Return the `plugins:` setting as a list of names or one-key mappings."""
    plugins = config.get("plugins")
    if plugins is None:
        return ["search"]
    if isinstance(plugins, dict):
        return [{k: v} if v else k for k, v in plugins.items()]
    return list(plugins)


def _name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry), "")


#: The theme's own search plugins: Pagefind replaces them (see search.py), so the derived config drops them.
SEARCH_PLUGINS = ("search", "material/search")


def derived_config(
    user: dict[str, Any],
    site: Any,
    docs_dir: Path,
    site_dir: Path,
    root: Path,
    strict_links: bool = False,
) -> dict[str, Any]:
    """Merge the user's config with the generated site: nav, language, offline theme, Pagefind's search."""
    config = dict(user)
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    if site.site_name:
        config["site_name"] = site.site_name
    config.setdefault("site_name", glossary.words(site.language)["Insight_map"])
    config["use_directory_urls"] = True  # links between generated pages assume page folders
    if not config.get("nav"):
        config["nav"] = site.nav
    config["not_in_nav"] = "\n".join(filter(None, [str(config.get("not_in_nav") or ""), site.not_in_nav]))
    theme = config.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    if theme.get("custom_dir"):  # relative to the user's mkdocs.yml, which the derived one is not beside
        theme["custom_dir"] = str((root / str(theme["custom_dir"])).resolve())
    if theme.get("language") in (None, "sv", "en"):  # insightmap.yml's language decides
        theme["language"] = site.language
    theme["font"] = False  # Google Fonts would be a request to another host
    config["theme"] = theme
    extra = dict(config.get("extra") or {})
    extra.setdefault("generator", False)  # no "Made with" link to another host in the footer
    config["extra"] = extra
    extra_css = [c for c in config.get("extra_css") or [] if c not in site.extra_css]
    config["extra_css"] = [*site.extra_css, *extra_css]
    extra_js = [j for j in config.get("extra_javascript") or [] if j not in site.extra_javascript]
    config["extra_javascript"] = [*site.extra_javascript, *extra_js]
    plugins = []
    for entry in plugin_entries(config):
        name = _name(entry)
        if name in PLUGIN_NAMES or name in SEARCH_PLUGINS:
            continue
        plugins.append(entry)
    config["plugins"] = plugins
    # The 404 page in the site's language (the plugin, dropped above, does the same for plain builds).
    config["hooks"] = [*(config.get("hooks") or []), str(Path(notfound.__file__).resolve())]
    validation = dict(config.get("validation") or {})
    if strict_links:
        validation.setdefault("links", {"not_found": "warn", "unrecognized_links": "warn"})
    if validation:
        config["validation"] = validation
    return config


def dump(config: dict[str, Any]) -> str:
    """Return the config as YAML, keeping tags we did not interpret."""
    header = "# Generated by `insightmap build` from the site config and the records; do not edit.\n"
    return header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
