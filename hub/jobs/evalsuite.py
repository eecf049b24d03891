"""The evaluation suite: evaluators, their versions, size tiers and settings.

Pure data, shared by the hub (which creates, deduplicates and publishes runs)
and the eval workers (which run them). A result is identified by the set of
input files' sha256, the evaluator and the suite version; the version names
the evaluator's code revision and the sha256 of the shipped data, so a
changed corpus or a changed method never mixes with old numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# sha256 of the shipped data files (workers/evals/data/README.md).
HELDOUT_CORPUS = "heldout-en-v1.txt"
HELDOUT_CORPUS_SHA256 = (
    "4c56ad15455937116fc988ad3b491193059abc4f38bb97c5fc39e58d7cd42afa"
)
SENTENCE_PAIRS = "sentence-pairs-v1.json"
SENTENCE_PAIRS_SHA256 = (
    "fa8fe1ddce27e60bebb93949072c4706b9b5ba6095044b1c43cce8dad3bcc4ec"
)

# A held-out split of a dataset repo (issue 18): at most this much text, in
# whole documents (rows), is evaluated; the token budget of the size tier
# still applies within it.
MAX_CORPUS_TEXT_BYTES = 4 << 20

CAUSAL_LM = "causal_lm"
SENTENCE_EMBEDDING = "sentence_embedding"
FORWARD_PASS = "forward_pass"


@dataclass(frozen=True)
class Evaluator:
    """One evaluator: what it measures and how its primary metric sorts."""

    name: str
    title: str
    task: str  # the model-index task type
    dataset: str  # the model-index dataset name
    data_file: str
    data_sha256: str
    code_version: int
    primary_metric: str
    primary_title: str
    higher_is_better: bool

    @property
    def suite_version(self) -> str:
        data = self.data_sha256[:12] if self.data_sha256 else "none"
        return f"{self.name}-v{self.code_version}+{data}"

    @property
    def accepts_hub_data(self) -> bool:
        """Whether a text split of a dataset repo can replace the shipped data."""
        return self.name == CAUSAL_LM

    def suite_version_on(self, data_digest: str) -> str:
        """The suite version of a run on hub data: the data's digest instead
        of the shipped file's, so results on other data never mix."""
        return f"{self.name}-v{self.code_version}+data-{data_digest[:12]}"


EVALUATORS: dict[str, Evaluator] = {
    CAUSAL_LM: Evaluator(
        name=CAUSAL_LM,
        title="Held-out text (causal LM)",
        task="text-generation",
        dataset="model-commons/heldout-en-v1",
        data_file=HELDOUT_CORPUS,
        data_sha256=HELDOUT_CORPUS_SHA256,
        code_version=1,
        primary_metric="bits_per_byte",
        primary_title="Bits per byte",
        higher_is_better=False,
    ),
    SENTENCE_EMBEDDING: Evaluator(
        name=SENTENCE_EMBEDDING,
        title="Sentence pairs (embeddings)",
        task="sentence-similarity",
        dataset="model-commons/sentence-pairs-v1",
        data_file=SENTENCE_PAIRS,
        data_sha256=SENTENCE_PAIRS_SHA256,
        code_version=1,
        primary_metric="ranking_accuracy",
        primary_title="Ranking accuracy",
        higher_is_better=True,
    ),
    FORWARD_PASS: Evaluator(
        name=FORWARD_PASS,
        title="Forward pass (smoke test)",
        task="feature-extraction",
        dataset="model-commons/fixed-input-v1",
        data_file="",
        data_sha256="",
        code_version=1,
        primary_metric="finite_fraction",
        primary_title="Finite outputs",
        higher_is_better=True,
    ),
}


@dataclass(frozen=True)
class SizeTier:
    """Parameter-count tier, with the causal-LM settings fixed per tier."""

    name: str
    max_parameters: int  # inclusive upper bound
    context_length: int
    batch_size: int
    max_tokens: int

    def as_settings(self) -> dict[str, Any]:
        return {
            "size_tier": self.name,
            "context_length": self.context_length,
            "batch_size": self.batch_size,
            "max_tokens": self.max_tokens,
        }


# The held-out corpus is ~3k-6k tokens for common tokenizers: every tier up to
# "m" evaluates all of it, so bits per byte is comparable across those tiers.
SIZE_TIERS: tuple[SizeTier, ...] = (
    SizeTier("xs", 20_000_000, 256, 8, 32_768),
    SizeTier("s", 200_000_000, 512, 4, 32_768),
    SizeTier("m", 1_000_000_000, 1024, 1, 16_384),
    SizeTier("l", 8_000_000_000, 1024, 1, 8_192),
    SizeTier("xl", 10**15, 2048, 1, 4_096),
)
TIER_NAMES = tuple(t.name for t in SIZE_TIERS)


def size_tier_of(parameters: int | None) -> SizeTier:
    """The tier of a parameter count (unknown counts as the smallest tier)."""
    for tier in SIZE_TIERS:
        if parameters is None or parameters <= tier.max_parameters:
            return tier
    return SIZE_TIERS[-1]


def tier_rank(name: str) -> int:
    return TIER_NAMES.index(name) if name in TIER_NAMES else len(TIER_NAMES)


# Weight formats: safetensors is the only one ever loaded.
SAFETENSORS_SUFFIXES = (".safetensors",)
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")
OTHER_WEIGHT_SUFFIXES = (".gguf", ".onnx", ".h5", ".msgpack", ".tflite")
# Files an evaluation reads besides the weights (tokenizer and config).
SUPPORT_FILES = frozenset(
    {
        "config.json",
        "generation_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "vocab.json",
        "vocab.txt",
        "merges.txt",
        "added_tokens.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        "model.safetensors.index.json",
    }
)
MAX_CONFIG_BYTES = 1_000_000

_EMBEDDING_FILES = ("modules.json", "config_sentence_transformers.json")
_EMBEDDING_TASKS = ("sentence-similarity", "feature-extraction")


def evaluator_for_config(
    config: dict[str, Any], *, files: set[str], pipeline_tag: str = ""
) -> str:
    """Pick the evaluator from ``config.json`` (architectures) and the files.

    Causal LMs (``*ForCausalLM``, ``*LMHeadModel``) get the held-out text;
    encoders shipped for sentence embeddings (sentence-transformers files,
    or a sentence-similarity / feature-extraction card) get the sentence
    pairs; anything else a forward pass on fixed input.
    """
    architectures = config.get("architectures") or []
    if not isinstance(architectures, list):
        architectures = []
    names = [a for a in architectures if isinstance(a, str)]
    if any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in names):
        return CAUSAL_LM
    if any(f in files for f in _EMBEDDING_FILES) or pipeline_tag in _EMBEDDING_TASKS:
        return SENTENCE_EMBEDDING
    return FORWARD_PASS


def parse_config(raw: bytes) -> dict[str, Any] | None:
    """``config.json`` as a dict, or None when it is not a JSON object."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None
