"""Imports flow one way: each app imports only from its own layer or the layers below.

Read from the source with `ast`, so an import inside a function counts as much as one at
the top of a module: deferring an import hides a cycle, it does not remove it.
"""

import ast
from pathlib import Path

import masthead

PACKAGE = Path(masthead.__file__).parent

# Lowest first. An app may import from its own layer and the ones below it.
LAYERS = {
    "settings": 0,
    "publication": 1,  # the publication's identity, paths, CDN headers, base.html
    "news": 2,  # pages, listings, serving
    "tv": 3,
    "syndication": 3,
    "mirrors": 3,
    "newsroom": 3,
    "importers": 3,
    "changes": 3,
    "demo": 4,
    # masthead/urls.py, wsgi.py, cli.py: the project itself, above every app
    "": 5,
}


def app_of(module):
    """'masthead.news.models' -> 'news'; 'masthead.urls' -> '' (the project)."""
    parts = module.split(".")
    if parts[0] != "masthead":
        return None
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return ""


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name):
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path, name):
    """(line, module) of every import in the file, relative imports made absolute."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base != "masthead":  # from masthead import news: only the names say the app
                yield node.lineno, base
            for alias in node.names:  # a name may be a module: from . import listings
                if is_module(f"{base}.{alias.name}"):
                    yield node.lineno, f"{base}.{alias.name}"


def upward_imports(path, name):
    here = app_of(name)
    for line, target in imported_modules(path, name):
        there = app_of(target)
        if there is None or there == here:
            continue
        assert here in LAYERS and there in LAYERS, (
            f"{name} or {target} is in an app missing from LAYERS in tests/test_layers.py: "
            "add the app at its layer."
        )
        if LAYERS[there] > LAYERS[here]:
            yield f"{name}:{line} imports {target}"


def test_no_app_imports_from_a_higher_layer():
    found = [
        entry
        for path in sorted(PACKAGE.rglob("*.py"))
        for entry in upward_imports(path, module_name(path))
    ]
    assert not found, (
        "These imports reach up a layer (LAYERS in tests/test_layers.py). Move the piece "
        "that needs the higher app into that app (a template tag, a signal receiver there) "
        "instead of importing upward:\n" + "\n".join(found)
    )


def test_the_check_sees_imports_inside_functions(tmp_path):
    # The check is only worth having if a deferred import cannot slip past it.
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from ..news.models import SectionPage\n")
    found = list(upward_imports(path, "masthead.publication.probe"))
    assert found == ["masthead.publication.probe:2 imports masthead.news.models"]


def import_graph():
    """{module: the masthead modules it imports}, at any level of the file."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {t for _line, t in imported_modules(path, name) if t in paths and t != name}
        for name, path in paths.items()
    }


def find_cycle(graph):
    """One import cycle as [a, b, ..., a], or None."""
    done, stack = set(), []

    def visit(name):
        if name in stack:
            return [*stack[stack.index(name) :], name]
        if name in done:
            return None
        stack.append(name)
        for target in sorted(graph[name]):
            if cycle := visit(target):
                return cycle
        stack.pop()
        done.add(name)
        return None

    for name in sorted(graph):
        if cycle := visit(name):
            return cycle
    return None


def test_no_import_cycles():
    # Within an app too: a cycle held together by imports inside functions is still one
    # (news' models, serving and listings were, until listings took the models as an
    # argument).
    cycle = find_cycle(import_graph())
    assert cycle is None, (
        "These modules import each other in a circle: " + " -> ".join(cycle) + ". Break it "
        "by passing what the lower module needs (a model, a function) as an argument, or "
        "by moving the shared piece below both."
    )


def test_the_cycle_check_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
