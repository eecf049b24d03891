"""File paths inside a repo: what a checkout could misread is refused (issue 13,
hole 6). Hostile names are built here, character by character."""

from __future__ import annotations

import pytest

from hub.core.errors import ValidationError
from hub.core.names import validate_folder_path, validate_repo_path

BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
LOOKALIKE_SLASHES = ["\u2215", "\u2044", "\uff0f"]


@pytest.mark.parametrize(
    "path",
    [
        "sub/.git/config",
        "sub/.GIT/config",
        "a/b/.Git/hooks/pre-commit",
        ".git/config",
        "sub/.git",
        "GIT~1/config",
        "sub/git~1/config",
    ],
)
def test_git_directory_at_any_depth_in_any_case_is_refused(path):
    with pytest.raises(ValidationError, match="'.git' directory"):
        validate_repo_path(path)


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u2215", "U+2215 DIVISION SLASH"),
        ("\u2044", "U+2044 FRACTION SLASH"),
        ("\uff0f", "U+FF0F FULLWIDTH SOLIDUS"),
    ],
)
def test_disguising_character_is_refused_by_name(character, name):
    with pytest.raises(ValidationError) as error:
        validate_repo_path(f"weights/model{character}gnp.exe")
    assert name in error.value.message
    assert error.value.details == {"character": name.split()[0]}


@pytest.mark.parametrize("character", BIDI_CONTROLS + ZERO_WIDTH + LOOKALIKE_SLASHES)
def test_every_bidi_zero_width_and_lookalike_slash_character_is_refused(character):
    with pytest.raises(ValidationError, match=f"U\\+{ord(character):04X} "):
        validate_repo_path(f"a{character}b.txt")


def test_zero_width_character_cannot_smuggle_a_git_folder():
    with pytest.raises(ValidationError, match="U\\+200B"):
        validate_repo_path("sub/.g\u200bit/config")


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (" /config.json", "only whitespace"),
        ("a/\u3000/b.txt", "only whitespace"),
        ("folder /config.json", "ending in a space"),
        ("config.json ", "ending in a space"),
        ("folder./config.json", "ending in a dot"),
        ("model.", "ending in a dot"),
        ("sub/.git./config", "ending in a dot"),
    ],
)
def test_blank_segments_and_trailing_space_or_dot_are_refused(path, problem):
    with pytest.raises(ValidationError, match=problem):
        validate_repo_path(path)


@pytest.mark.parametrize(
    "path",
    [
        ".gitattributes",
        "sub/.gitignore",
        ".github/workflows/ci.yml",
        "models.git/README.md",
        "my .git notes/a.txt",
        "données/modèle.safetensors",
        "日本語/モデル.bin",
        "emoji 🤗/weights.bin",
        "a/b/c/d/e.txt",
    ],
)
def test_ordinary_paths_are_accepted_unchanged(path):
    assert validate_repo_path(path) == path


def test_folder_path_gets_the_same_rules():
    assert validate_folder_path("weights/") == "weights"
    with pytest.raises(ValidationError, match="'.git' directory"):
        validate_folder_path("sub/.GIT/")
