"""Train the desk DEMO Arabic→English model and package it for Argos Translate.

The model is a small Transformer trained from scratch on the desk corpus
(``samples/corpus/news.tsv`` plus the sentence pairs of the sample stories). It knows
its training corpus and little else; it reproduces the MT-style variant spellings of
the drafts on purpose, so that desk's glossary has something to fix.

Steps, all on CPU, nothing downloaded:

1. read the corpus, train a joint SentencePiece model (fixed seed, one thread);
2. train a torch Transformer whose layout mirrors CTranslate2's ``TransformerSpec``;
3. write CTranslate2 models from the weights with ``tools/ct2_model.py`` (float32 for
   the conversion check, int8 for the package);
4. check: torch greedy output == CTranslate2 float32 greedy output (must be 100%),
   and how often int8 agrees;
5. pack ``translate-ar_en-demo.argosmodel`` and score it through argostranslate's own
   ``apply_packaged_translation`` (chrF and BLEU, training set and held-out set);
6. write ``translate-ar_en-demo.manifest.json`` beside the package (``desk/data/``), with
   hashes, settings, scores and the rebuild command.

``--check-only`` re-scores an existing package and compares with the manifest.

Run with the build venv: ``.venv-model/bin/python tools/build_demo_model.py``.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from ct2_model import (  # noqa: E402  (needs the sys.path line above when imported as a file)
    BOS,
    EOS,
    LAYER_NORM_EPSILON,
    ModelShape,
    build_model,
    sinusoid_table,
    write_argos_package,
)

PACKAGE_FILE = "translate-ar_en-demo.argosmodel"
MANIFEST_FILE = "translate-ar_en-demo.manifest.json"
PACKAGE_DIR = "translate-ar_en-0_1_0-demo"
PACKAGE_VERSION = "0.1.0"
DESCRIPTION = (
    "desk demo model: knows only its training corpus. A small Arabic→English model "
    "trained from scratch on the desk sample corpus; it reproduces the MT-style variant "
    "spellings of that corpus (Idlib, Latakia, Hasakah, Tal Tamr...) on purpose. "
    "Not a general-purpose translator."
)
# Tolerances, in chrF/BLEU points. --check-only re-scores the same int8 package, so on
# the same kind of CPU the scores are identical; another CPU may pick other int8/SIMD
# kernels in CTranslate2, and a rare near-tie in beam search can flip a token.
CHECK_TOLERANCE = 0.5
# A full rebuild repeats training. On the same CPU and thread count torch and
# SentencePiece are deterministic here, so the package is bit-identical; another CPU
# (other MKL/oneDNN kernels, other float rounding) makes training drift a little.
REBUILD_TOLERANCE = 2.0


@dataclass(frozen=True)
class Settings:
    """Everything that decides the model; recorded in the manifest."""

    seed: int = 1
    minutes: float = 12.0  # training time budget; 0: none (the step limit decides)
    max_steps: int = 0  # 0: no step limit (stop on plateau or time)
    vocab_size: int = 6000
    sp_model_type: str = "unigram"
    layers_enc: int = 3
    layers_dec: int = 3
    d_model: int = 256
    heads: int = 4
    ffn: int = 1024
    dropout: float = 0.1
    label_smoothing: float = 0.1
    lr: float = 1e-3
    warmup_steps: int = 200
    batch_tokens: int = 3000
    max_tokens: int = 250
    window_steps: int = 50
    plateau_patience: int = 4
    plateau_min_gain: float = 0.005
    threads: int = 2
    check_sentences: int = 30


# --------------------------------------------------------------------------- corpus

Pair = tuple[str, str]


def _clean(text: str) -> str:
    # One pair per line in a TSV, so no tabs or newlines inside a side.
    return re.sub(r"\s+", " ", text).strip()


def read_tsv(path: Path) -> tuple[list[Pair], int]:
    """Pairs of an ``ar<TAB>en`` file (header optional) and the number of bad lines."""
    if not path.exists():
        return [], 0
    pairs: list[Pair] = []
    bad = 0
    for i, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines()):
        if not line.strip():
            continue
        parts = line.split("\t")
        if i == 0 and [p.strip().lower() for p in parts] == ["ar", "en"]:
            continue
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            bad += 1
            continue
        pairs.append((_clean(parts[0]), _clean(parts[1])))
    return pairs, bad


def sample_story_pairs(samples: Path) -> list[Pair]:
    """Sentence pairs of ``samples/*.ar.md`` and their drafts, aligned by desk's importer."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from desk.core.importer import ImportOptions, load_source

    pairs: list[Pair] = []
    for src in sorted(samples.glob("*.ar.md")):
        draft = src.with_name(src.name.removesuffix(".ar.md") + ".draft.en.md")
        if not draft.exists():
            continue
        result = load_source(src, ImportOptions(draft=draft), "credit")
        pairs += [(_clean(s.source), _clean(s.text)) for s in result.story.segments if s.text]
    return pairs


def dedupe(pairs: Sequence[Pair]) -> list[Pair]:
    """Pairs in order, exact duplicates dropped."""
    seen: set[Pair] = set()
    out: list[Pair] = []
    for pair in pairs:
        if pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out


def pairs_sha256(pairs: Sequence[Pair]) -> str:
    """sha256 of the pairs as ``ar<TAB>en<LF>`` lines, in order."""
    h = hashlib.sha256()
    for ar, en in pairs:
        h.update(f"{ar}\t{en}\n".encode())
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Corpus:
    """Training and held-out pairs and where they came from."""

    train: list[Pair]
    heldout: list[Pair]
    counts: dict[str, int]
    files: dict[str, list[str]]


def corpus_files(corpus_dir: Path, stem: str) -> list[Path]:
    """``<stem>.tsv`` if it exists, else its parts ``<stem>-*.tsv`` in natural order."""
    whole = corpus_dir / f"{stem}.tsv"
    if whole.exists():
        return [whole]

    def natural(path: Path) -> list[Any]:
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name)]

    return sorted(corpus_dir.glob(f"{stem}-*.tsv"), key=natural)


def read_tsvs(paths: Sequence[Path]) -> tuple[list[Pair], int]:
    """All pairs of `paths`, in order, and the number of bad lines."""
    pairs: list[Pair] = []
    bad = 0
    for path in paths:
        more, more_bad = read_tsv(path)
        pairs += more
        bad += more_bad
    return pairs, bad


def load_corpus(repo: Path) -> Corpus:
    """Training set = news.tsv + sample-story pairs (deduplicated); held-out = heldout.tsv."""
    corpus_dir = repo / "samples/corpus"
    news_files = corpus_files(corpus_dir, "news")
    heldout_files = corpus_files(corpus_dir, "heldout")
    news, news_bad = read_tsvs(news_files)
    stories = sample_story_pairs(repo / "samples")
    heldout, heldout_bad = read_tsvs(heldout_files)
    train = dedupe(news + stories)
    train_sources = {ar for ar, _ in train}
    counts = {
        "news_tsv_pairs": len(news),
        "news_tsv_bad_lines": news_bad,
        "sample_story_pairs": len(stories),
        "training_pairs": len(train),
        "duplicates_dropped": len(news) + len(stories) - len(train),
        "heldout_pairs": len(heldout),
        "heldout_bad_lines": heldout_bad,
        "heldout_sources_also_in_training": sum(ar in train_sources for ar, _ in heldout),
    }
    files = {
        "news": [_rel(p) for p in news_files],
        "heldout": [_rel(p) for p in heldout_files],
    }
    return Corpus(train, heldout, counts, files)


# --------------------------------------------------------------------- sentencepiece


def train_sentencepiece(pairs: Sequence[Pair], prefix: Path, s: Settings) -> Path:
    """Train the joint SentencePiece model on both sides of `pairs`; return the .model path."""
    import sentencepiece as spm

    text = prefix.with_suffix(".txt")
    lines = [side for pair in pairs for side in pair]
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.set_random_generator_seed(s.seed)
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        model_type=s.sp_model_type,
        vocab_size=s.vocab_size,
        # A small corpus may not support the requested size; take what it supports.
        hard_vocab_limit=False,
        character_coverage=1.0,
        # Unseen characters become byte pieces instead of <unk>, so decode round-trips.
        byte_fallback=True,
        split_digits=True,
        normalization_rule_name="nmt_nfkc",
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=3,
        pad_piece="<blank>",
        # Deterministic: every sentence, in file order, one thread.
        input_sentence_size=len(lines) + 1,
        shuffle_input_sentence=False,
        num_threads=1,
        max_sentence_length=16384,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


# --------------------------------------------------------------------------- model


def make_torch_model(shape: ModelShape, dropout: float, pad_id: int) -> Any:
    """A torch Transformer laid out exactly like CTranslate2's pre-norm TransformerSpec."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    d, h = shape.d_model, shape.heads

    class Attention(nn.Module):
        def __init__(self, self_attention: bool) -> None:
            super().__init__()
            self.self_attention = self_attention
            # Fused projections, as CTranslate2 stores them.
            if self_attention:
                self.qkv = nn.Linear(d, 3 * d)
            else:
                self.q = nn.Linear(d, d)
                self.kv = nn.Linear(d, 2 * d)
            self.out = nn.Linear(d, d)

        def forward(self, x: Any, memory: Any, mask: Any) -> Any:
            b, t, _ = x.shape
            if self.self_attention:
                q, k, v = self.qkv(x).split(d, dim=-1)
            else:
                q = self.q(x)
                k, v = self.kv(memory).split(d, dim=-1)

            def heads(z: Any) -> Any:
                return z.view(b, -1, h, d // h).transpose(1, 2)

            o = F.scaled_dot_product_attention(heads(q), heads(k), heads(v), attn_mask=mask)
            return self.out(o.transpose(1, 2).reshape(b, t, d))

    class FeedForward(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm = nn.LayerNorm(d, eps=LAYER_NORM_EPSILON)
            self.lin0 = nn.Linear(d, shape.ffn)
            self.lin1 = nn.Linear(shape.ffn, d)
            self.drop = nn.Dropout(dropout)

        def forward(self, x: Any) -> Any:
            return self.lin1(self.drop(F.relu(self.lin0(self.norm(x)))))

    class EncoderLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm_self = nn.LayerNorm(d, eps=LAYER_NORM_EPSILON)
            self.self_attn = Attention(True)
            self.ffn = FeedForward()
            self.drop = nn.Dropout(dropout)

        def forward(self, x: Any, mask: Any) -> Any:
            x = x + self.drop(self.self_attn(self.norm_self(x), None, mask))
            return x + self.drop(self.ffn(x))

    class DecoderLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm_self = nn.LayerNorm(d, eps=LAYER_NORM_EPSILON)
            self.self_attn = Attention(True)
            self.norm_cross = nn.LayerNorm(d, eps=LAYER_NORM_EPSILON)
            self.cross_attn = Attention(False)
            self.ffn = FeedForward()
            self.drop = nn.Dropout(dropout)

        def forward(self, y: Any, memory: Any, self_mask: Any, cross_mask: Any) -> Any:
            y = y + self.drop(self.self_attn(self.norm_self(y), None, self_mask))
            y = y + self.drop(self.cross_attn(self.norm_cross(y), memory, cross_mask))
            return y + self.drop(self.ffn(y))

    class Seq2Seq(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            # One embedding matrix for source, target and output projection (tied).
            self.emb = nn.Embedding(shape.vocab_size, d, padding_idx=pad_id)
            nn.init.normal_(self.emb.weight, 0.0, d**-0.5)
            with torch.no_grad():
                self.emb.weight[pad_id].zero_()
            self.out_bias = nn.Parameter(torch.zeros(shape.vocab_size))
            table = torch.from_numpy(sinusoid_table(shape.max_positions, d))
            self.register_buffer("pe", table, persistent=False)
            self.enc = nn.ModuleList(EncoderLayer() for _ in range(shape.layers_enc))
            self.enc_norm = nn.LayerNorm(d, eps=LAYER_NORM_EPSILON)
            self.dec = nn.ModuleList(DecoderLayer() for _ in range(shape.layers_dec))
            self.dec_norm = nn.LayerNorm(d, eps=LAYER_NORM_EPSILON)
            self.drop = nn.Dropout(dropout)
            self.scale = math.sqrt(d)

        def embed(self, ids: Any) -> Any:
            return self.drop(self.emb(ids) * self.scale + self.pe[: ids.size(1)])

        def encode(self, src: Any) -> tuple[Any, Any]:
            mask = (src != pad_id)[:, None, None, :]
            x = self.embed(src)
            for layer in self.enc:
                x = layer(x, mask)
            return self.enc_norm(x), mask

        def decode(self, tgt_in: Any, memory: Any, src_mask: Any) -> Any:
            t = tgt_in.size(1)
            causal = torch.ones(t, t, dtype=torch.bool, device=tgt_in.device).tril()
            self_mask = causal[None, None] & (tgt_in != pad_id)[:, None, None, :]
            y = self.embed(tgt_in)
            for layer in self.dec:
                y = layer(y, memory, self_mask, src_mask)
            return F.linear(self.dec_norm(y), self.emb.weight, self.out_bias)

        def forward(self, src: Any, tgt_in: Any) -> Any:
            memory, src_mask = self.encode(src)
            return self.decode(tgt_in, memory, src_mask)

    return Seq2Seq()


def ct2_weights(model: Any, shape: ModelShape) -> dict[str, np.ndarray]:
    """The torch model's weights under CTranslate2 TransformerSpec variable names."""

    def arr(t: Any) -> np.ndarray:
        return np.asarray(t.detach().cpu().numpy(), dtype=np.float32)

    w: dict[str, np.ndarray] = {}

    def ln(prefix: str, mod: Any) -> None:
        w[f"{prefix}/gamma"], w[f"{prefix}/beta"] = arr(mod.weight), arr(mod.bias)

    def lin(prefix: str, mod: Any) -> None:
        w[f"{prefix}/weight"], w[f"{prefix}/bias"] = arr(mod.weight), arr(mod.bias)

    def ffn(prefix: str, mod: Any) -> None:
        ln(f"{prefix}/layer_norm", mod.norm)
        lin(f"{prefix}/linear_0", mod.lin0)
        lin(f"{prefix}/linear_1", mod.lin1)

    emb = arr(model.emb.weight)
    table = sinusoid_table(shape.max_positions, shape.d_model)
    w["encoder/embeddings_0/weight"] = emb
    w["decoder/embeddings/weight"] = emb
    w["decoder/projection/weight"] = emb
    w["decoder/projection/bias"] = arr(model.out_bias)
    w["encoder/position_encodings/encodings"] = table
    w["decoder/position_encodings/encodings"] = table
    ln("encoder/layer_norm", model.enc_norm)
    ln("decoder/layer_norm", model.dec_norm)
    for i, layer in enumerate(model.enc):
        p = f"encoder/layer_{i}"
        ln(f"{p}/self_attention/layer_norm", layer.norm_self)
        lin(f"{p}/self_attention/linear_0", layer.self_attn.qkv)
        lin(f"{p}/self_attention/linear_1", layer.self_attn.out)
        ffn(f"{p}/ffn", layer.ffn)
    for i, layer in enumerate(model.dec):
        p = f"decoder/layer_{i}"
        ln(f"{p}/self_attention/layer_norm", layer.norm_self)
        lin(f"{p}/self_attention/linear_0", layer.self_attn.qkv)
        lin(f"{p}/self_attention/linear_1", layer.self_attn.out)
        ln(f"{p}/attention/layer_norm", layer.norm_cross)
        lin(f"{p}/attention/linear_0", layer.cross_attn.q)
        lin(f"{p}/attention/linear_1", layer.cross_attn.kv)
        lin(f"{p}/attention/linear_2", layer.cross_attn.out)
        ffn(f"{p}/ffn", layer.ffn)
    return w


# ------------------------------------------------------------------------ training


def make_batches(
    examples: Sequence[tuple[list[int], list[int]]], batch_tokens: int
) -> list[list[int]]:
    """Indices grouped by length so each batch pads to at most `batch_tokens` per side."""
    order = sorted(
        range(len(examples)), key=lambda i: (len(examples[i][1]), len(examples[i][0]), i)
    )
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        size = max(len(examples[i][0]), len(examples[i][1]) + 1)
        if current and max(longest, size) * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, size)
    if current:
        batches.append(current)
    return batches


def train_model(
    model: Any,
    examples: Sequence[tuple[list[int], list[int]]],
    s: Settings,
    ids: dict[str, int],
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Train until plateau, `max_steps` or the time budget; return the training record."""
    import torch
    from torch.nn import functional as F

    pad, bos, eos = ids["pad"], ids["bos"], ids["eos"]

    def tensor(rows: list[list[int]]) -> Any:
        width = max(len(r) for r in rows)
        return torch.tensor([r + [pad] * (width - len(r)) for r in rows], dtype=torch.long)

    prepared = []
    for batch in make_batches(examples, s.batch_tokens):
        src = tensor([examples[i][0] for i in batch])
        tgt_in = tensor([[bos, *examples[i][1]] for i in batch])
        tgt_out = tensor([[*examples[i][1], eos] for i in batch])
        prepared.append((src, tgt_in, tgt_out))

    opt = torch.optim.Adam(model.parameters(), lr=s.lr, betas=(0.9, 0.98), eps=1e-9)
    rng = random.Random(s.seed)
    model.train()
    start = time.monotonic()
    budget = s.minutes * 60.0
    step = 0
    epoch = 0
    best = math.inf
    stale = 0
    window = {"loss": 0.0, "nll": 0.0, "correct": 0.0, "tokens": 0.0}
    history: list[dict[str, float]] = []
    stop_reason = ""
    while not stop_reason:
        epoch += 1
        order = list(range(len(prepared)))
        rng.shuffle(order)
        for b in order:
            if s.max_steps and step >= s.max_steps:
                stop_reason = "max_steps"
                break
            if budget and time.monotonic() - start >= budget:
                stop_reason = "time budget"
                break
            step += 1
            # Linear warm-up, then inverse square-root decay.
            lr = s.lr * min(step / s.warmup_steps, math.sqrt(s.warmup_steps / step))
            for group in opt.param_groups:
                group["lr"] = lr
            src, tgt_in, tgt_out = prepared[b]
            logits = model(src, tgt_in)
            flat, gold = logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1)
            loss = F.cross_entropy(flat, gold, ignore_index=pad, label_smoothing=s.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            with torch.no_grad():
                keep = gold != pad
                n = float(keep.sum())
                nll = F.cross_entropy(flat[keep], gold[keep], reduction="sum")
                window["loss"] += float(loss) * n
                window["nll"] += float(nll)
                window["correct"] += float((flat[keep].argmax(-1) == gold[keep]).sum())
                window["tokens"] += n
            if step % s.window_steps == 0:
                t = window["tokens"]
                record = {
                    "step": step,
                    "epoch": epoch,
                    "seconds": round(time.monotonic() - start, 1),
                    "loss": round(window["loss"] / t, 4),
                    "nll": round(window["nll"] / t, 4),
                    "accuracy": round(window["correct"] / t, 4),
                    "lr": round(lr, 6),
                }
                history.append(record)
                log(
                    f"step {step:5d} epoch {epoch:4d} {record['seconds']:7.1f}s "
                    f"loss {record['loss']:.3f} nll {record['nll']:.3f} "
                    f"acc {record['accuracy']:.3f}"
                )
                window = dict.fromkeys(window, 0.0)
                # Plateau: the smoothed loss stops improving by plateau_min_gain
                # (relative) for plateau_patience windows in a row.
                if record["loss"] < best * (1 - s.plateau_min_gain):
                    best, stale = record["loss"], 0
                else:
                    stale += 1
                    if stale >= s.plateau_patience:
                        stop_reason = "loss plateau"
                        break
    model.eval()
    seconds = time.monotonic() - start
    return {
        "steps": step,
        "epochs": epoch,
        "stop_reason": stop_reason,
        "train_seconds": round(seconds, 1),
        "seconds_per_step": round(seconds / max(step, 1), 3),
        "batches_per_epoch": len(prepared),
        "last_window": history[-1] if history else None,
        "history": history,
    }


def torch_greedy(model: Any, src: list[int], ids: dict[str, int], max_len: int) -> list[int]:
    """Greedy decoding with the torch model (no cache: recompute each step)."""
    import torch

    with torch.no_grad():
        memory, mask = model.encode(torch.tensor([src]))
        out = [ids["bos"]]
        for _ in range(max_len):
            logits = model.decode(torch.tensor([out]), memory, mask)[0, -1]
            nxt = int(logits.argmax())
            if nxt == ids["eos"]:
                break
            out.append(nxt)
    return out[1:]


# -------------------------------------------------------------------------- checks


def conversion_check(
    model: Any,
    sp: Any,
    pairs: Sequence[Pair],
    f32_dir: Path,
    int8_dir: Path,
    s: Settings,
    ids: dict[str, int],
) -> dict[str, Any]:
    """Greedy torch vs CTranslate2 float32 (must match) and int8 on sampled training sentences."""
    import ctranslate2

    n = min(s.check_sentences, len(pairs))
    picks = sorted({round(i * (len(pairs) - 1) / max(n - 1, 1)) for i in range(n)})
    f32 = ctranslate2.Translator(str(f32_dir), device="cpu", intra_threads=s.threads)
    i8 = ctranslate2.Translator(str(int8_dir), device="cpu", intra_threads=s.threads)
    same_f32 = same_i8 = 0
    mismatches: list[dict[str, Any]] = []
    for i in picks:
        pieces = sp.encode(pairs[i][0], out_type=str)
        # The same cap on both sides; it only bites when a model babbles, which would
        # otherwise make the torch side (no cache) very slow.
        max_len = min(200, 2 * len(pieces) + 10)
        src_ids = [sp.piece_to_id(p) for p in pieces]
        expected = [sp.id_to_piece(t) for t in torch_greedy(model, src_ids, ids, max_len)]
        opts: dict[str, Any] = {"beam_size": 1, "max_decoding_length": max_len}
        got_f32 = f32.translate_batch([pieces], **opts)[0].hypotheses[0]
        got_i8 = i8.translate_batch([pieces], **opts)[0].hypotheses[0]
        same_f32 += got_f32 == expected
        same_i8 += got_i8 == expected
        if got_f32 != expected:
            mismatches.append({"index": i, "torch": sp.decode(expected), "ct2": sp.decode(got_f32)})
    return {
        "sentences": len(picks),
        "float32_identical": same_f32,
        "float32_match_rate": round(same_f32 / len(picks), 4),
        "int8_identical": same_i8,
        "int8_match_rate": round(same_i8 / len(picks), 4),
        "float32_mismatches": mismatches[:5],
        "decoding": "greedy (beam 1), one sentence per call, max min(200, 2*source+10) tokens",
    }


class WholeTextSentencizer:
    """Sentencizer for apply_packaged_translation: the input is already one sentence."""

    def split_sentences(self, text: str) -> list[str]:
        """Return the text as its only sentence (no model, nothing downloaded)."""
        return [text]


def isolate_argos() -> Path:
    """Point argostranslate at a private temporary home before it is imported."""
    # argostranslate reads ARGOS_* variables and ~/.config/argos-translate/settings.json
    # (beam size, compute type...) and creates directories when imported. A build
    # must not depend on, or write to, the user's setup.
    for key in [k for k in os.environ if k.startswith("ARGOS_")]:
        del os.environ[key]
    home = Path(tempfile.mkdtemp(prefix="argos-home-"))
    atexit.register(shutil.rmtree, home, True)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())
    os.environ.pop("SNAP", None)
    return home


def argos_scores(
    package_file: Path, sets: dict[str, Sequence[Pair]], threads: int
) -> dict[str, Any]:
    """chrF and BLEU of the package, translated through argostranslate's own code path."""
    if "argostranslate" not in sys.modules:
        isolate_argos()
    import ctranslate2
    import sacrebleu
    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings
    from argostranslate import translate as argos_translate

    results: dict[str, Any] = {}
    signatures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="argos-pkg-") as tmp:
        with zipfile.ZipFile(package_file) as zf:
            tops = {name.split("/", 1)[0] for name in zf.namelist()}
            if len(tops) != 1:
                raise ValueError(f"package must hold one top-level directory, has {sorted(tops)}")
            zf.extractall(tmp)
        pkg = argos_package.Package(Path(tmp) / tops.pop())
        # As argostranslate's CachedTranslation builds it, except the thread count:
        # intra_threads=0 would ask CTranslate2 for its default (4) on a 2-core machine.
        params: dict[str, Any] = {
            "model_path": str(pkg.package_path / "model"),
            "device": argos_settings.device,
            "inter_threads": argos_settings.inter_threads,
            "intra_threads": threads,
        }
        if argos_settings.compute_type != "auto":
            params["compute_type"] = argos_settings.compute_type
        translator = ctranslate2.Translator(**params)
        sentencizer = WholeTextSentencizer()
        for name, pairs in sets.items():
            if not pairs:
                results[name] = {"pairs": 0}
                continue
            start = time.monotonic()
            hyps = [
                argos_translate.apply_packaged_translation(pkg, ar, translator, sentencizer, 1)[
                    0
                ].value
                for ar, _ in pairs
            ]
            refs = [en for _, en in pairs]
            chrf_metric, bleu_metric = sacrebleu.CHRF(), sacrebleu.BLEU()
            chrf = chrf_metric.corpus_score(hyps, [refs])
            bleu = bleu_metric.corpus_score(hyps, [refs])
            signatures["chrf"] = str(chrf_metric.get_signature())
            signatures["bleu"] = str(bleu_metric.get_signature())
            results[name] = {
                "pairs": len(pairs),
                "chrf": round(chrf.score, 2),
                "bleu": round(bleu.score, 2),
                "exact_matches": sum(h == r for h, r in zip(hyps, refs, strict=True)),
                "seconds": round(time.monotonic() - start, 1),
                "examples": [
                    {"ar": ar, "reference": en, "hypothesis": hyp}
                    for (ar, en), hyp in list(zip(pairs, hyps, strict=True))[:3]
                ],
            }
        results["decoding"] = {
            "path": "argostranslate.translate.apply_packaged_translation, one sentence per call",
            "beam_size": argos_settings.beam_size,
            "max_batch_size": argos_settings.batch_size,
            "compute_type": argos_settings.compute_type,
            "intra_threads": threads,
            "chrf_signature": signatures.get("chrf", ""),
            "bleu_signature": signatures.get("bleu", ""),
        }
    return results


# ------------------------------------------------------------------------- package

PACKAGE_README = """# desk demo model: Arabic → English (DEMO ONLY)

This is the **desk demo model**. It is a small Transformer ({layers_enc}+{layers_dec} layers,
d_model {d_model}, int8) trained from scratch in minutes on the desk sample corpus
({training_pairs} sentence pairs: `samples/corpus/news.tsv` and the sample stories).

* It **only knows its training corpus.** On other text it produces fluent-looking
  nonsense. Never use it for real translation.
* It reproduces the **MT-style variant spellings** of that corpus on purpose (Idlib,
  Latakia, Hasakah, Tal Tamr, Deir ez-Zor ...), because desk's glossary and editing
  workflow are demonstrated by fixing them.

Scores of this package through argostranslate (beam {beam}, chrF / BLEU):
training set {train_chrf} / {train_bleu}; held-out set {heldout_chrf} / {heldout_bleu}.

Built by `tools/build_demo_model.py` in the desk repository; `{manifest_path}`
records the corpus hash, settings, checks and the command that rebuilds it.
Format: Argos Translate package, CTranslate2 {ct2_version} model, one SentencePiece model for
both languages.
"""


def package_metadata(corpus_sha: str, counts: dict[str, int], s: Settings) -> dict[str, Any]:
    """metadata.json of the package (no timestamps, so rebuilds give the same bytes)."""
    return {
        "package_version": PACKAGE_VERSION,
        "argos_version": "1.9",
        "from_code": "ar",
        "from_name": "Arabic",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "target_prefix": "",
        "demo": True,
        "description": DESCRIPTION,
        "training_pairs": counts["training_pairs"],
        "corpus_sha256": corpus_sha,
        "seed": s.seed,
    }


# ---------------------------------------------------------------------------- main


def versions() -> dict[str, str]:
    """Versions of the libraries that decide the result."""
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for dist in (
        "torch",
        "ctranslate2",
        "sentencepiece",
        "sacrebleu",
        "numpy",
        "argos-translate-lt",
    ):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def rebuild_command(s: Settings, out: Path, steps: int) -> str:
    """The command that repeats this build (same corpus, same step count)."""
    # Pin the step count: a time budget stops at different steps on different machines.
    args = [
        ".venv-model/bin/python",
        "tools/build_demo_model.py",
        "--out",
        _rel(out),
        "--seed",
        str(s.seed),
        "--max-steps",
        str(steps),
        # No time budget: the step count alone decides, on any machine.
        "--minutes",
        "0",
    ]
    defaults = Settings()
    for f in fields(Settings):
        if f.name in {"seed", "max_steps", "minutes"}:
            continue
        if getattr(s, f.name) != getattr(defaults, f.name):
            args += [f"--{f.name.replace('_', '-')}", str(getattr(s, f.name))]
    return shlex.join(args)


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def build(s: Settings, out: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Run the whole build; write the package and manifest into `out`; return the manifest."""
    import ctranslate2
    import sentencepiece as spm
    import torch

    t0 = time.monotonic()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = round(now - since, 1)
        return now

    torch.set_num_threads(s.threads)
    torch.manual_seed(s.seed)
    random.seed(s.seed)
    np.random.seed(s.seed)
    torch.use_deterministic_algorithms(True)

    corpus = load_corpus(REPO)
    if not corpus.train:
        raise SystemExit("no training pairs found")
    corpus_sha = pairs_sha256(corpus.train)
    log(f"corpus: {json.dumps(corpus.counts)}")
    t = lap("corpus_seconds", t0)

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="desk-demo-model-") as tmpdir:
        tmp = Path(tmpdir)
        sp_path = train_sentencepiece(corpus.train, tmp / "sentencepiece", s)
        sp = spm.SentencePieceProcessor(model_file=str(sp_path))
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        ids = {"pad": sp.pad_id(), "bos": sp.bos_id(), "eos": sp.eos_id(), "unk": sp.unk_id()}
        assert vocab[ids["bos"]] == BOS and vocab[ids["eos"]] == EOS
        log(f"sentencepiece: {len(vocab)} pieces")
        t = lap("sentencepiece_seconds", t)

        examples: list[tuple[list[int], list[int]]] = []
        too_long = 0
        for ar, en in corpus.train:
            src, tgt = sp.encode(ar), sp.encode(en)
            if len(src) > s.max_tokens or len(tgt) + 1 > s.max_tokens:
                too_long += 1
                continue
            examples.append((src, tgt))
        shape = ModelShape(s.layers_enc, s.layers_dec, s.d_model, s.heads, s.ffn, vocab)
        model = make_torch_model(shape, s.dropout, ids["pad"])
        params = sum(p.numel() for p in model.parameters())
        log(f"model: {params:,} parameters; {len(examples)} training examples")
        training = train_model(model, examples, s, ids, log)
        training["parameters"] = params
        training["examples_too_long_skipped"] = too_long
        training["source_tokens"] = sum(len(e[0]) for e in examples)
        training["target_tokens"] = sum(len(e[1]) for e in examples)
        log(f"training stopped: {training['stop_reason']} after {training['steps']} steps")
        t = lap("training_seconds", t)

        weights = ct2_weights(model, shape)
        f32_dir, int8_dir = tmp / "ct2-float32", tmp / "ct2-int8"
        build_model(shape, weights, f32_dir, quantization="float32")
        build_model(shape, weights, int8_dir, quantization="int8")
        t = lap("conversion_seconds", t)

        check = conversion_check(model, sp, corpus.train, f32_dir, int8_dir, s, ids)
        log(
            f"conversion check: float32 {check['float32_identical']}/{check['sentences']}, "
            f"int8 {check['int8_identical']}/{check['sentences']} identical to torch"
        )
        t = lap("conversion_check_seconds", t)

        metadata = package_metadata(corpus_sha, corpus.counts, s)
        package_file = out / PACKAGE_FILE
        readme_fields: dict[str, Any] = {**asdict(s), "training_pairs": len(corpus.train)}
        readme_fields["ct2_version"] = ctranslate2.__version__
        readme_fields["manifest_path"] = f"desk/data/{MANIFEST_FILE}"
        # The README quotes the scores, which need the package: build it, score it,
        # then write the final package with the scores in the README. The model bytes
        # are the same, so the scores are the package's own.
        draft_readme = PACKAGE_README.format(
            **readme_fields,
            beam=4,
            train_chrf="?",
            train_bleu="?",
            heldout_chrf="?",
            heldout_bleu="?",
        )
        write_argos_package(package_file, int8_dir, sp_path, metadata, draft_readme, PACKAGE_DIR)
        t = lap("packaging_seconds", t)
        heldout_unseen = [p for p in corpus.heldout if p[0] not in {a for a, _ in corpus.train}]
        sets: dict[str, Sequence[Pair]] = {"training": corpus.train, "heldout": corpus.heldout}
        if len(heldout_unseen) != len(corpus.heldout):
            sets["heldout_unseen_sources"] = heldout_unseen
        scores = argos_scores(package_file, sets, s.threads)
        chrf = {k: v.get("chrf") for k, v in scores.items() if k != "decoding"}
        log(f"scores: {json.dumps(chrf)}")
        t = lap("scoring_seconds", t)
        readme = PACKAGE_README.format(
            **readme_fields,
            beam=scores["decoding"]["beam_size"],
            train_chrf=scores["training"].get("chrf", "n/a"),
            train_bleu=scores["training"].get("bleu", "n/a"),
            heldout_chrf=scores["heldout"].get("chrf", "n/a"),
            heldout_bleu=scores["heldout"].get("bleu", "n/a"),
        )
        write_argos_package(package_file, int8_dir, sp_path, metadata, readme, PACKAGE_DIR)
        model_files = {p.name: p.stat().st_size for p in sorted(int8_dir.iterdir())}
        sp_sha = file_sha256(sp_path)
        model_sha = file_sha256(int8_dir / "model.bin")

    total = round(time.monotonic() - t0, 1)
    timings["total_seconds"] = total
    manifest: dict[str, Any] = {
        "description": DESCRIPTION,
        "package": {
            "file": PACKAGE_FILE,
            "directory": PACKAGE_DIR,
            "sha256": file_sha256(package_file),
            "bytes": package_file.stat().st_size,
            "model_bin_sha256": model_sha,
            "sentencepiece_sha256": sp_sha,
            "model_files": model_files,
            "metadata": metadata,
        },
        "corpus": {
            "training_sha256": corpus_sha,
            "training_sha256_of": "training pairs in order, each as ar<TAB>en<LF>, UTF-8",
            "heldout_sha256": pairs_sha256(corpus.heldout),
            "news_files": corpus.files["news"],
            "sample_stories": "samples/*.ar.md + samples/*.draft.en.md, desk.core.importer",
            "heldout_files": corpus.files["heldout"],
            **corpus.counts,
        },
        "settings": asdict(s),
        "model_shape": shape.describe(),
        "sentencepiece": {
            "pieces": len(vocab),
            "requested": s.vocab_size,
            "model_type": s.sp_model_type,
            "options": "joint ar+en, character_coverage 1.0, byte_fallback, split_digits, "
            "nmt_nfkc, unk/s//s/<blank> = 0/1/2/3, no shuffling, 1 thread",
        },
        "training": training,
        "conversion_check": check,
        "scores": scores,
        "timings": timings,
        "build_seconds": total,
        "machine": {
            "platform": platform.platform(),
            "processor": _cpu_name(),
            "cpu_count": os.cpu_count(),
            "torch_threads": s.threads,
        },
        "versions": versions(),
        "rebuild_command": rebuild_command(s, out, training["steps"]),
        "check_command": shlex.join(
            [
                ".venv-model/bin/python",
                "tools/build_demo_model.py",
                "--check-only",
                "--out",
                _rel(out),
            ]
        ),
        "reproducibility": {
            "check_only_tolerance_points": CHECK_TOLERANCE,
            "rebuild_tolerance_points": REBUILD_TOLERANCE,
            "why": (
                "--check-only re-scores the committed int8 package: identical scores on the "
                "same CPU type; another CPU can select other CTranslate2 int8/SIMD kernels "
                "whose rounding can flip a near-tie in beam search, hence a small tolerance. "
                "A rebuild with rebuild_command repeats training with the same seed and "
                "step count: bit-identical package on the same CPU type and thread count, "
                "but torch's CPU kernels (MKL/oneDNN) round differently on other CPUs or "
                "thread counts, the small differences compound over training, and the "
                "resulting model (and its scores) drifts slightly."
            ),
        },
    }
    (out / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def check_only(out: Path, threads: int, log: Callable[[str], None]) -> int:
    """Re-score the existing package and compare with its manifest; 0 when all agree."""
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    package_file = out / manifest["package"]["file"]
    problems: list[str] = []
    sha = file_sha256(package_file)
    if sha != manifest["package"]["sha256"]:
        problems.append(f"package sha256 {sha} differs from the manifest")
    corpus = load_corpus(REPO)
    for name, pairs, key in (
        ("training", corpus.train, "training_sha256"),
        ("heldout", corpus.heldout, "heldout_sha256"),
    ):
        if pairs_sha256(pairs) != manifest["corpus"][key]:
            problems.append(f"the {name} corpus changed since the build (sha256 differs)")
    sets: dict[str, Sequence[Pair]] = {"training": corpus.train, "heldout": corpus.heldout}
    if "heldout_unseen_sources" in manifest["scores"]:
        train_sources = {a for a, _ in corpus.train}
        sets["heldout_unseen_sources"] = [p for p in corpus.heldout if p[0] not in train_sources]
    scores = argos_scores(package_file, sets, threads)
    report: dict[str, Any] = {}
    for name in sets:
        old, new = manifest["scores"].get(name, {}), scores.get(name, {})
        for metric in ("chrf", "bleu"):
            if metric not in old and metric not in new:
                continue
            a, b = old.get(metric), new.get(metric)
            report[f"{name}.{metric}"] = {"manifest": a, "now": b}
            if a is None or b is None or abs(a - b) > CHECK_TOLERANCE:
                problems.append(f"{name} {metric}: manifest {a}, now {b}")
    log(json.dumps(report, indent=2))
    for problem in problems:
        log(f"MISMATCH: {problem}")
    log("check: OK" if not problems else f"check: {len(problems)} problem(s)")
    return 0 if not problems else 1


def parse_args(argv: Sequence[str] | None) -> tuple[argparse.Namespace, Settings]:
    """Command line: every Settings field is an option; plus --out and --check-only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "desk" / "data")
    parser.add_argument(
        "--check-only", action="store_true", help="re-score the package, compare with manifest"
    )
    defaults = Settings()
    for f in fields(Settings):
        value = getattr(defaults, f.name)
        parser.add_argument(f"--{f.name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args(argv)
    s = Settings(**{f.name: getattr(args, f.name) for f in fields(Settings)})
    return args, s


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: build (default) or --check-only."""
    args, s = parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.check_only:
        return check_only(args.out, s.threads, log)
    manifest = build(s, args.out, log)
    check = manifest["conversion_check"]
    summary = {
        "package": str(args.out / PACKAGE_FILE),
        "bytes": manifest["package"]["bytes"],
        "build_seconds": manifest["build_seconds"],
        "steps": manifest["training"]["steps"],
        "stop_reason": manifest["training"]["stop_reason"],
        "conversion_float32": f"{check['float32_identical']}/{check['sentences']}",
        "conversion_int8": f"{check['int8_identical']}/{check['sentences']}",
        "scores": {
            k: {m: v.get(m) for m in ("pairs", "chrf", "bleu")}
            for k, v in manifest["scores"].items()
            if k != "decoding"
        },
    }
    print(json.dumps(summary, indent=2))
    if check["float32_match_rate"] < 1.0:
        log("FAILED: the float32 CTranslate2 model does not reproduce the torch model")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
