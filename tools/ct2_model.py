"""Build CTranslate2 Transformer models straight from weight arrays.

No OpenNMT or Hugging Face converter is involved: the caller hands over numpy arrays
named after the CTranslate2 ``TransformerSpec`` variables and this module fills the
spec, validates it, optionally quantizes it and saves the model directory. It can
also make random weights of any size (for speed benchmarks of an Argos-sized model)
and pack a model directory into an Argos Translate ``.argosmodel`` file.

The architecture is the one CTranslate2 runs for OpenNMT-py "transformer" models:

* pre-norm layers (``x + sublayer(layer_norm(x))``), a final layer norm on both sides;
* ReLU feed-forward blocks with biases;
* token embeddings multiplied by ``sqrt(d_model)`` plus a sinusoidal position table
  that is written into the model explicitly (:func:`sinusoid_table`), so no position
  convention is left to the runtime;
* self-attention ``linear_0`` is the fused ``[Wq; Wk; Wv]`` projection, cross-attention
  ``linear_0`` is ``Wq`` and ``linear_1`` the fused ``[Wk; Wv]``; the last linear is the
  output projection; queries are scaled by ``1/sqrt(d_model / heads)``;
* the source gets no ``<s>``/``</s>``; the decoder starts from ``<s>`` and stops at
  ``</s>``; ``<unk>`` is the unknown token. These three must be in the vocabulary.

Weight names are the spec's own variable scopes, for example
``encoder/layer_0/self_attention/linear_0/weight`` (see :func:`weight_shapes`). Linear
weights are ``[out_features, in_features]`` like ``torch.nn.Linear.weight``.

Example (random Argos-sized int8 model for a benchmark)::

    shape = ModelShape(6, 6, 512, 8, 2048, placeholder_vocab(32000))
    save_model(build_spec(shape, random_weights(shape)), Path("/tmp/m"), "int8")
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Special tokens CTranslate2's sequence-to-sequence config uses by default.
UNK, BOS, EOS = "<unk>", "<s>", "</s>"
LAYER_NORM_EPSILON = 1e-6
# CTranslate2 truncates inputs to 1024 tokens by default (max_input_length), and
# decodes at most 256 by default, so 1024 positions cover every default call.
DEFAULT_MAX_POSITIONS = 1024


@dataclass(frozen=True)
class ModelShape:
    """Sizes of a Transformer encoder-decoder and its shared vocabulary."""

    layers_enc: int
    layers_dec: int
    d_model: int
    heads: int
    ffn: int
    vocab: list[str]
    max_positions: int = DEFAULT_MAX_POSITIONS

    def __post_init__(self) -> None:
        if self.d_model % self.heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by heads {self.heads}")
        missing = [t for t in (UNK, BOS, EOS) if t not in self.vocab]
        if missing:
            raise ValueError(f"vocabulary lacks the special tokens {missing}")
        if len(set(self.vocab)) != len(self.vocab):
            raise ValueError("vocabulary has duplicate tokens")

    @property
    def vocab_size(self) -> int:
        """Number of tokens in the shared vocabulary."""
        return len(self.vocab)

    def describe(self) -> dict[str, int]:
        """The sizes as a JSON-friendly dict (vocabulary reduced to its size)."""
        return {
            "layers_enc": self.layers_enc,
            "layers_dec": self.layers_dec,
            "d_model": self.d_model,
            "heads": self.heads,
            "ffn": self.ffn,
            "vocab_size": self.vocab_size,
            "max_positions": self.max_positions,
        }


def placeholder_vocab(size: int) -> list[str]:
    """A vocabulary of `size` tokens: the special tokens, then `tok4`, `tok5`, ..."""
    if size < 4:
        raise ValueError("a vocabulary needs at least the 4 special tokens")
    return [UNK, BOS, EOS, "<blank>"] + [f"tok{i}" for i in range(4, size)]


def sinusoid_table(positions: int, d_model: int) -> np.ndarray:
    """Sinusoidal position table [positions, d_model]: sines in the first half, cosines after."""
    # Same layout as OpenNMT-py / CTranslate2's built-in table; we still store it in the
    # model so the runtime never has to guess.
    half = d_model // 2
    inv = np.exp(-math.log(10000.0) * np.arange(half, dtype=np.float64) / max(half - 1, 1))
    angles = np.arange(positions, dtype=np.float64)[:, None] * inv[None, :]
    table = np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    return table.astype(np.float32)


def _layer_norm(prefix: str, d: int) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}/gamma": (d,), f"{prefix}/beta": (d,)}


def _linear(prefix: str, out_f: int, in_f: int) -> dict[str, tuple[int, ...]]:
    return {f"{prefix}/weight": (out_f, in_f), f"{prefix}/bias": (out_f,)}


def _ffn(prefix: str, d: int, ffn: int) -> dict[str, tuple[int, ...]]:
    return {
        **_layer_norm(f"{prefix}/layer_norm", d),
        **_linear(f"{prefix}/linear_0", ffn, d),
        **_linear(f"{prefix}/linear_1", d, ffn),
    }


def weight_shapes(shape: ModelShape) -> dict[str, tuple[int, ...]]:
    """Every weight name :func:`build_spec` needs, with its array shape."""
    d, v = shape.d_model, shape.vocab_size
    out: dict[str, tuple[int, ...]] = {}
    for side in ("encoder", "decoder"):
        emb = "encoder/embeddings_0/weight" if side == "encoder" else "decoder/embeddings/weight"
        out[emb] = (v, d)
        out[f"{side}/position_encodings/encodings"] = (shape.max_positions, d)
        out.update(_layer_norm(f"{side}/layer_norm", d))
    for i in range(shape.layers_enc):
        p = f"encoder/layer_{i}"
        out.update(_layer_norm(f"{p}/self_attention/layer_norm", d))
        out.update(_linear(f"{p}/self_attention/linear_0", 3 * d, d))
        out.update(_linear(f"{p}/self_attention/linear_1", d, d))
        out.update(_ffn(f"{p}/ffn", d, shape.ffn))
    for i in range(shape.layers_dec):
        p = f"decoder/layer_{i}"
        out.update(_layer_norm(f"{p}/self_attention/layer_norm", d))
        out.update(_linear(f"{p}/self_attention/linear_0", 3 * d, d))
        out.update(_linear(f"{p}/self_attention/linear_1", d, d))
        out.update(_layer_norm(f"{p}/attention/layer_norm", d))
        out.update(_linear(f"{p}/attention/linear_0", d, d))
        out.update(_linear(f"{p}/attention/linear_1", 2 * d, d))
        out.update(_linear(f"{p}/attention/linear_2", d, d))
        out.update(_ffn(f"{p}/ffn", d, shape.ffn))
    out.update(_linear("decoder/projection", v, d))
    return out


def random_weights(shape: ModelShape, seed: int = 0) -> dict[str, np.ndarray]:
    """Random weights for `shape` (Xavier-like scale, unit norms); only good for benchmarks."""
    rng = np.random.default_rng(seed)
    weights: dict[str, np.ndarray] = {}
    for name, dims in weight_shapes(shape).items():
        if name.endswith("/encodings"):
            weights[name] = sinusoid_table(shape.max_positions, shape.d_model)
        elif name.endswith("/gamma"):
            weights[name] = np.ones(dims, dtype=np.float32)
        elif name.endswith(("/beta", "/bias")):
            weights[name] = np.zeros(dims, dtype=np.float32)
        else:
            scale = math.sqrt(2.0 / (dims[0] + dims[1]))
            weights[name] = rng.normal(0.0, scale, size=dims).astype(np.float32)
    # Tie the embeddings and the output projection, as the demo model does, so the
    # saved model has one [vocab, d_model] matrix like most Argos models.
    emb = weights["encoder/embeddings_0/weight"]
    weights["decoder/embeddings/weight"] = emb
    weights["decoder/projection/weight"] = emb
    return weights


def build_spec(shape: ModelShape, weights: Mapping[str, np.ndarray]) -> object:
    """Fill a ``ctranslate2.specs.TransformerSpec`` with `weights` (names: :func:`weight_shapes`).

    Position tables missing from `weights` are filled with :func:`sinusoid_table`.
    The arrays are copied, because ``spec.optimize`` quantizes in place.
    """
    from ctranslate2.specs import common_spec, transformer_spec
    from ctranslate2.specs.model_spec import index_spec

    spec = transformer_spec.TransformerSpec.from_config(
        (shape.layers_enc, shape.layers_dec),
        shape.heads,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    spec.config.layer_norm_epsilon = LAYER_NORM_EPSILON
    spec.config.decoder_start_token = BOS
    spec.config.unk_token, spec.config.bos_token, spec.config.eos_token = UNK, BOS, EOS

    expected = weight_shapes(shape)
    unknown = sorted(set(weights) - set(expected))
    if unknown:
        raise KeyError(f"unknown weight names: {unknown[:5]}")
    for name, dims in expected.items():
        if name in weights:
            value = np.array(weights[name], dtype=np.float32, copy=True)
        elif name.endswith("/encodings"):
            value = sinusoid_table(shape.max_positions, shape.d_model)
        else:
            raise KeyError(f"missing weight {name}")
        if tuple(value.shape) != dims:
            raise ValueError(f"{name}: shape {value.shape}, expected {dims}")
        scope, attr = name.rsplit("/", 1)
        setattr(index_spec(spec, scope), attr, value)

    spec.register_source_vocabulary(list(shape.vocab))
    spec.register_target_vocabulary(list(shape.vocab))
    return spec


def save_model(spec: object, out_dir: Path, quantization: str | None = "int8") -> None:
    """Validate, optimize (alias equal arrays, quantize) and save `spec` into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.validate()  # type: ignore[attr-defined]
    spec.optimize(quantization=quantization)  # type: ignore[attr-defined]
    spec.save(str(out_dir))  # type: ignore[attr-defined]


def build_model(
    shape: ModelShape,
    weights: Mapping[str, np.ndarray],
    out_dir: Path,
    quantization: str | None = "int8",
) -> None:
    """Shortcut: :func:`build_spec` then :func:`save_model`."""
    save_model(build_spec(shape, weights), out_dir, quantization)


# Fixed timestamp and mode for every zip member, so equal inputs give an equal archive.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_argos_package(
    out_file: Path,
    model_dir: Path,
    sp_model: Path,
    metadata: dict[str, object],
    readme: str,
    package_dir: str | None = None,
) -> None:
    """Write an Argos ``.argosmodel``: a zip of one directory with metadata, tokenizer, model.

    The directory name defaults to ``translate-<from>_<to>-<version>`` from `metadata`.
    Members are sorted and timestamped 1980-01-01 so the bytes depend only on the inputs.
    """
    for key in ("package_version", "from_code", "to_code"):
        if key not in metadata:
            raise KeyError(f"metadata lacks {key}")
    if package_dir is None:
        version = str(metadata["package_version"]).replace(".", "_")
        package_dir = f"translate-{metadata['from_code']}_{metadata['to_code']}-{version}"
    members: list[tuple[str, bytes]] = [
        ("metadata.json", (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode()),
        ("README.md", readme.encode()),
        ("sentencepiece.model", sp_model.read_bytes()),
    ]
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        members.append((f"model/{path.relative_to(model_dir).as_posix()}", path.read_bytes()))
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_suffix(out_file.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for dirname in (f"{package_dir}/", f"{package_dir}/model/"):
            info = zipfile.ZipInfo(dirname, _ZIP_TIME)
            info.external_attr = (0o40755 << 16) | 0x10
            zf.writestr(info, b"")
        for name, data in sorted(members):
            info = zipfile.ZipInfo(f"{package_dir}/{name}", _ZIP_TIME)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)
    tmp.replace(out_file)
