"""mkdocs hook: the nav of mkdocs.yml as far as its pages exist, then every page it does not list
(under "More"), so that a page added or not yet there never breaks `mkdocs build --strict`."""

from pathlib import Path


def on_config(config):
    docs = Path(config["docs_dir"])
    listed: set[str] = set()

    def present(items: list) -> list:
        kept = []
        for item in items:
            (title, target), = item.items() if isinstance(item, dict) else ((None, item),)
            if isinstance(target, list):
                if children := present(target):
                    kept.append({title: children})
            elif (docs / target).is_file():
                listed.add(target)
                kept.append({title: target} if title else target)
        return kept

    nav = present(config["nav"] or [])
    others = sorted(str(page.relative_to(docs)) for page in docs.rglob("*.md")
                    if str(page.relative_to(docs)) not in listed)
    config["nav"] = nav + ([{"More": others}] if others else [])
    return config
