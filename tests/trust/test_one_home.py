"""No face decides who may do what (issue 13, "One home for who may do what").

The HF protocol views, ``/api/v1`` and the web pages parse input, call a
use-case service that takes the actor, and render. They never import the
permission predicates themselves: the rules live in ``hub.catalog.permissions``
(and the community and moderation selectors behind them), reached only
through the use cases (``hub.catalog.usecases``, ``hub.catalog.content``,
``hub.access.usecases``, ``hub.access.services``,
``hub.community.commits``, ``hub.community.usecases``,
``hub.accounts.usecases``, ``hub.moderation.services``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FACES = [ROOT / "api", ROOT / "hub" / "web"]

# Modules whose every name is a permission rule.
RULE_MODULES = {"hub.catalog.permissions", "hub.moderation.permissions"}
# Rules that live beside other selectors.
RULE_NAMES = {
    "discussion_can_participate",
    "pull_request_can_push",
    "namespace_role",
    "blob_can_reference",
    "content_readable",
}


# Facts about a repo that decide nothing by themselves: the gate in force is
# shown in model_info (``gated``) to everyone.
FACTS = {("hub.catalog.permissions", "repo_gate_mode")}


def _imports(path: Path) -> list[tuple[str, str, int]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "", node.lineno) for a in node.names]
        elif isinstance(node, ast.Attribute) and node.attr in RULE_NAMES:
            found.append(("<attribute>", node.attr, node.lineno))
    return found


def test_the_faces_import_no_permission_rule():
    offenders = []
    for face in FACES:
        for path in sorted(face.rglob("*.py")):
            for module, name, line in _imports(path):
                if (module, name) in FACTS:
                    continue
                if module in RULE_MODULES or name in RULE_NAMES:
                    where = path.relative_to(ROOT)
                    offenders.append(f"{where}:{line} {module} {name}".strip())
    assert offenders == [], "\n".join(offenders)


def test_the_check_sees_a_face_that_imports_a_rule(tmp_path):
    face = tmp_path / "view.py"
    face.write_text(
        "from hub.catalog.permissions import repo_can_write\n"
        "from hub.community import selectors\n"
        "selectors.discussion_can_participate(user=None, token=None, repo=None)\n"
    )
    found = _imports(face)
    assert ("hub.catalog.permissions", "repo_can_write", 1) in found
    assert ("<attribute>", "discussion_can_participate", 3) in found
