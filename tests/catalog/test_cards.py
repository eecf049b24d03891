"""Model card front matter: splitting, parsing, and refusing hostile YAML."""

from __future__ import annotations

import json

import pytest

from hub.catalog.card_yaml import MAX_DEPTH, MAX_FRONT_MATTER_BYTES, MAX_NODES
from hub.catalog.cards import CardMetadata, card_parse, card_split, card_validate_yaml
from hub.catalog.pipeline_tags import PIPELINE_TAGS
from hub.core.errors import ValidationError


def readme(yaml_text: str, body: str = "# Model\n") -> str:
    return f"---\n{yaml_text}---\n{body}"


# card_split ---------------------------------------------------------------


def test_split_returns_yaml_and_body():
    assert card_split("---\nlicense: mit\n---\n# Title\n") == (
        "license: mit\n",
        "# Title\n",
    )


def test_split_accepts_bom_and_crlf():
    text = "\ufeff---\r\nlicense: mit\r\n---\r\nbody\r\n"
    assert card_split(text) == ("license: mit\r\n", "body\r\n")


def test_split_without_front_matter_returns_none_and_the_text():
    assert card_split("# Title\n---\nx: y\n---\n") == (
        None,
        "# Title\n---\nx: y\n---\n",
    )
    assert card_split("") == (None, "")


def test_split_of_empty_front_matter():
    assert card_split("---\n---\nbody") == ("", "body")


def test_split_without_closing_delimiter_returns_none():
    assert card_split("---\nlicense: mit\n") == (None, "---\nlicense: mit\n")


# valid cards -----------------------------------------------------------------


@pytest.mark.django_db
def test_parses_a_full_card():
    meta = card_parse(
        readme(
            "license: apache-2.0\n"
            "tags:\n  - text-generation-inference\n  - llama\n"
            "pipeline_tag: text-generation\n"
            "library_name: transformers\n"
            "base_model: meta-llama/Llama-3.1-8B\n"
            "datasets:\n  - HuggingFaceH4/ultrachat_200k\n"
            "language: [en, fr]\n"
            "model-index:\n"
            "  - name: my-model\n"
            "    results:\n"
            "      - task: {type: text-generation}\n"
            "        metrics: [{type: accuracy, value: 0.71}]\n"
        )
    )

    assert meta.license == "apache-2.0"
    assert meta.tags == ["text-generation-inference", "llama"]
    assert meta.pipeline_tag == "text-generation"
    assert meta.library_name == "transformers"
    assert meta.base_model == ["meta-llama/Llama-3.1-8B"]
    assert meta.datasets == ["HuggingFaceH4/ultrachat_200k"]
    assert meta.language == ["en", "fr"]
    assert meta.raw["model-index"][0]["results"][0]["metrics"][0]["value"] == 0.71
    json.dumps(meta.raw)


@pytest.mark.django_db
def test_string_fields_become_one_item_lists():
    meta = card_parse(readme("tags: vision\nlanguage: de\ndatasets: imagenet-1k\n"))

    assert meta.tags == ["vision"]
    assert meta.language == ["de"]
    assert meta.datasets == ["imagenet-1k"]


@pytest.mark.django_db
def test_other_license_reads_name_and_link():
    meta = card_parse(
        readme(
            "license: other\nlicense_name: acme-model-license\nlicense_link: LICENSE\n"
        )
    )

    assert meta.license == "other"
    assert meta.license_name == "acme-model-license"
    assert meta.license_link == "LICENSE"


@pytest.mark.django_db
def test_license_name_is_ignored_unless_license_is_other():
    meta = card_parse(readme("license: mit\nlicense_name: whatever\n"))

    assert meta.license_name == ""
    assert meta.raw["license_name"] == "whatever"


def test_readme_without_front_matter_gives_empty_metadata():
    assert card_parse("# Just a title\n\nSome text.\n") == CardMetadata()
    assert card_parse("") == CardMetadata()


def test_empty_front_matter_gives_empty_metadata():
    assert card_parse("---\n---\n# Title\n") == CardMetadata()
    assert card_parse("---\n# only a comment\n---\n") == CardMetadata()


def test_card_without_license_is_valid():
    meta = card_parse(readme("tags: [a]\n"))

    assert meta.license == ""
    assert meta.raw == {"tags": ["a"]}


def test_dates_become_iso_strings():
    meta = card_parse(readme("released: 2024-05-01\nat: 2024-05-01 10:20:30+02:00\n"))

    assert meta.raw == {
        "released": "2024-05-01",
        "at": "2024-05-01T10:20:30+02:00",
    }
    json.dumps(meta.raw)


def test_impossible_date_is_kept_as_text():
    assert card_parse(readme("released: 2024-02-30\n")).raw == {
        "released": "2024-02-30"
    }


def test_yes_and_no_stay_strings():
    # YAML 1.1 would read Norwegian ('no') as False.
    meta = card_parse(readme("language: [en, no, yes]\nflag: true\n"))

    assert meta.language == ["en", "no", "yes"]
    assert meta.raw["flag"] is True


def test_validate_yaml_takes_bare_yaml():
    meta = card_validate_yaml("pipeline_tag: fill-mask\ntags: [bert]\n")

    assert meta.pipeline_tag == "fill-mask"
    assert meta.tags == ["bert"]


def test_pipeline_tags_include_the_common_hf_tasks():
    for tag in (
        "text-generation",
        "text-classification",
        "token-classification",
        "fill-mask",
        "question-answering",
        "summarization",
        "translation",
        "feature-extraction",
        "sentence-similarity",
        "image-classification",
        "automatic-speech-recognition",
        "text-to-image",
    ):
        assert tag in PIPELINE_TAGS


# hostile YAML -------------------------------------------------------------------


def assert_invalid(text: str, *fragments: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        card_parse(text)
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message
    return caught.value


def test_rejects_yaml_aliases():
    bomb = (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    )
    error = assert_invalid(readme(bomb), "anchors and aliases", "line 2")
    assert error.details["line"] == 2


def test_rejects_yaml_anchors_even_without_aliases():
    assert_invalid(readme("base: &base {x: 1}\n"), "anchors and aliases")


def test_rejects_python_object_tags():
    error = assert_invalid(
        readme('x: !!python/object/apply:os.system ["echo pwned"]\n'),
        "!!python/object/apply:os.system",
        "not allowed",
    )
    assert error.details["line"] == 2


def test_rejects_custom_tags():
    assert_invalid(readme("x: !secret value\n"), "'!secret'", "not allowed")


def test_rejects_non_json_standard_tags():
    assert_invalid(readme("x: !!binary aGVsbG8=\n"), "'!!binary'")
    assert_invalid(readme("x: !!set {a, b}\n"), "'!!set'")


def test_rejects_tag_directive_tricks():
    # %TAG can point '!!' at another namespace; the resolved tag is checked.
    with pytest.raises(ValidationError, match="not allowed"):
        card_validate_yaml("%TAG !! tag:evil.example,2000:\n---\nx: !!str y\n")


def test_rejects_oversized_front_matter():
    big = "description: " + "x" * MAX_FRONT_MATTER_BYTES + "\n"
    assert_invalid(readme(big), "at most 64 KiB")


def test_rejects_deep_nesting():
    deep = "x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    assert_invalid(readme(deep), f"more than {MAX_DEPTH} levels")


def test_accepts_nesting_up_to_the_limit():
    # The top-level mapping is the first level.
    ok = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    card_parse(readme(ok))


def test_rejects_too_many_nodes():
    many = "x: [" + ",".join("1" for _ in range(MAX_NODES)) + "]\n"
    assert_invalid(readme(many), f"more than {MAX_NODES} values")


def test_rejects_very_long_integers():
    assert_invalid(readme("x: " + "9" * 5000 + "\n"), "too long")


def test_rejects_nan_and_infinity():
    assert_invalid(readme("x: .nan\n"), "not a finite number")
    assert_invalid(readme("x: -.inf\n"), "not a finite number")


@pytest.mark.parametrize(
    ("yaml_text", "found"),
    [
        ("- license: mit\n", "a list"),
        ("just a string\n", "a string"),
        ("42\n", "a number"),
    ],
)
def test_rejects_non_mapping_top_level(yaml_text, found):
    assert_invalid(readme(yaml_text), "must be a mapping", found)


@pytest.mark.parametrize("key", ["1", "true", "null", "1.5"])
def test_rejects_non_string_keys(key):
    assert_invalid(readme(f"{key}: value\n"), "keys must be strings")


def test_rejects_complex_keys():
    assert_invalid(readme("? [a, b]\n: value\n"), "keys must be plain strings")


def test_rejects_duplicate_keys():
    error = assert_invalid(readme("license: mit\nlicense: apache-2.0\n"), "twice")
    assert error.details["line"] == 3


def test_rejects_multiple_documents():
    with pytest.raises(ValidationError, match="cannot be parsed"):
        card_validate_yaml("a: 1\n---\nb: 2\n")


def test_reports_syntax_errors_with_the_readme_line():
    error = assert_invalid(
        readme("license: mit\ntags: [a, b\nlibrary_name: x\n"), "cannot be parsed"
    )
    assert error.details["line"] >= 3


def test_rejects_unclosed_front_matter():
    assert_invalid("---\nlicense: mit\n# Title\n", "never closed", "'---'")


# wrong types and values ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("yaml_text", "field", "fragments"),
    [
        ("license: [mit]\n", "license", ["single string", "a list"]),
        ("pipeline_tag: 3\n", "pipeline_tag", ["a number", "'3'"]),
        ("library_name: {a: b}\n", "library_name", ["a mapping"]),
        ("tags: {a: b}\n", "tags", ["a string or a list of strings"]),
        ("tags: [ok, 2024]\n", "tags", ["item 2 of", "a number", "'2024'"]),
        ("language: [en, [fr]]\n", "language", ["item 2 of", "a list"]),
        ("datasets: true\n", "datasets", ["a boolean"]),
        ("base_model: [1.5]\n", "base_model", ["a number"]),
        ("license: other\nlicense_name: [x]\n", "license_name", ["single string"]),
        ("library_name: " + "x" * 65 + "\n", "library_name", ["at most 64"]),
    ],
)
def test_wrong_types_name_the_field(yaml_text, field, fragments):
    error = assert_invalid(readme(yaml_text), f"`{field}`", *fragments)
    assert error.details["field"] == field


def test_unknown_pipeline_tag_suggests_a_known_one():
    error = assert_invalid(
        readme("pipeline_tag: text-generaton\n"),
        "`pipeline_tag`",
        "'text-generaton'",
        "'text-generation'",
    )
    assert error.details["field"] == "pipeline_tag"
    assert error.details["valid_pipeline_tags"] == list(PIPELINE_TAGS)


@pytest.mark.django_db
def test_unknown_license_id_is_refused_with_suggestions():
    error = assert_invalid(
        readme("license: apache2\n"), "`license`", "'apache2'", "'apache-2.0'"
    )
    assert error.details["field"] == "license"
    assert "apache-2.0" in error.details["valid_ids"]


@pytest.mark.django_db
def test_wrong_case_license_id_is_refused_with_the_right_spelling():
    assert_invalid(readme("license: MIT\n"), "`license`", "'mit'")
