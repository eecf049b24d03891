"""Tiny models built at test time: a 2-layer GPT-2-style LM with a byte-level
BPE tokenizer trained offline, and a tiny BERT-style sentence encoder.

Nothing is downloaded: tokenizers are trained here on text this repository
ships (its README and docs), weights are random or trained for a few dozen
steps on the same text. Saved as safetensors, as a user would upload them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
SPECIAL = "<|endoftext|>"


def training_texts() -> list[str]:
    """Paragraphs of the project's own docs (never the held-out corpus)."""
    text = (ROOT / "README.md").read_text() + "\n\n"
    text += (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    return [p.strip() for p in text.split("\n\n") if len(p.strip()) > 40]


def byte_bpe_tokenizer(vocab_size: int = 512) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[SPECIAL],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(training_texts(), trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=SPECIAL, eos_token=SPECIAL
    )


def tiny_gpt2(vocab_size: int, *, seed: int = 0, n_positions: int = 128) -> Any:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=n_positions,
        n_embd=64,
        n_layer=2,
        n_head=2,
        bos_token_id=0,
        eos_token_id=0,
    )
    return GPT2LMHeadModel(config).eval()


def train_briefly(model: Any, tokenizer: Any, *, steps: int = 40) -> Any:
    """A few dozen AdamW steps on the docs text: enough to beat random init."""
    import torch

    ids: list[int] = []
    for text in training_texts():
        ids += tokenizer(text)["input_ids"] + [tokenizer.eos_token_id]
    data = torch.tensor(ids)
    window = 64
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    generator = torch.Generator().manual_seed(0)
    for _ in range(steps):
        starts = torch.randint(0, len(data) - window - 1, (8,), generator=generator)
        batch = torch.stack([data[s : s + window] for s in starts])
        loss = model(input_ids=batch, labels=batch).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def save_causal_lm(directory: Path, *, trained: bool = False, seed: int = 0) -> Path:
    """A tiny GPT-2 checkpoint folder (config, safetensors, tokenizer)."""
    tokenizer = byte_bpe_tokenizer()
    model = tiny_gpt2(len(tokenizer), seed=seed)
    if trained:
        model = train_briefly(model, tokenizer)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    return directory


def wordpiece_tokenizer(vocab_size: int = 400) -> Any:
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )
    from transformers import PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=specials, show_progress=False
    )
    tok.train_from_iterator(training_texts(), trainer)
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[
            ("[CLS]", tok.token_to_id("[CLS]")),
            ("[SEP]", tok.token_to_id("[SEP]")),
        ],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="[PAD]",
        unk_token="[UNK]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def save_sentence_encoder(directory: Path, *, seed: int = 0) -> Path:
    """A tiny BERT-style encoder packaged like a sentence-transformers model."""
    import torch
    from transformers import BertConfig, BertModel

    tokenizer = wordpiece_tokenizer()
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    model = BertModel(config).eval()
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory, safe_serialization=True)
    tokenizer.save_pretrained(directory)
    (directory / "modules.json").write_text(
        json.dumps(
            [
                {
                    "idx": 0,
                    "name": "0",
                    "path": "",
                    "type": "sentence_transformers.models.Transformer",
                },
                {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "sentence_transformers.models.Pooling",
                },
            ]
        )
    )
    (directory / "1_Pooling").mkdir(exist_ok=True)
    (directory / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": 32, "pooling_mode_mean_tokens": True})
    )
    return directory


def folder_files(directory: Path) -> dict[str, bytes]:
    """Every file of a checkpoint folder, by relative path (for commits)."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def inputs_of(directory: Path) -> list[dict[str, Any]]:
    """The spec ``inputs`` of a folder: relative path, sha256, size."""
    return [
        {
            "path": path,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        for path, data in folder_files(directory).items()
    ]
