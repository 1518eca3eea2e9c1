"""Where templates are found: a user's folder (`--templates-dir`) first, then the built-ins; a
name or a path picks one. Kept apart from rendering, which only needs the folders and a name."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import TemplateError
from ..core.resources import resource_dir


def template_folders(templates_dir: Path | None) -> list[Path]:
    """Where templates are looked up by name: the user's folder first, then the built-ins."""
    return [*([Path(templates_dir)] if templates_dir else []), resource_dir("templates")]


def available_templates(templates_dir: Path | None = None) -> list[tuple[str, Path]]:
    """(name, file) of every template a name can select, the user's shadowing built-ins."""
    found: dict[str, Path] = {}
    for folder in reversed(template_folders(templates_dir)):
        for path in sorted(folder.glob("[!_]*.j2")):
            found[path.name.removesuffix(".j2")] = path
    return sorted(found.items())


def resolve_template(name_or_path: str, templates_dir: Path | None = None) -> tuple[list[Path], str]:
    """A template's name (`briefing.md`, `briefing`, `email.html`) or a template file's path, as
    the folders to load from and the name to load.

    A name wins over a file of the same name in the working directory (which may well be the
    briefing being written); `./briefing.md` names the file.
    """
    folders = template_folders(templates_dir)
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise TemplateError(f"--templates-dir {templates_dir}: no such folder")
    if "/" not in name_or_path and os.sep not in name_or_path:
        for candidate in (name_or_path, f"{name_or_path}.j2", f"{name_or_path}.md.j2"):
            if any((folder / candidate).is_file() for folder in folders):
                return folders, candidate
    path = Path(name_or_path)
    if path.is_file():
        return [path.parent.resolve(), *folders], path.name
    names = ", ".join(name for name, _ in available_templates(templates_dir))
    raise TemplateError(f"no template '{name_or_path}' (available: {names}; or give a path)")
