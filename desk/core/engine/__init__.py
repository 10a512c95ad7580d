"""Machine-translation engines behind one Protocol: argos (default), libretranslate and
none; Argos packages and the Argos package index."""

from __future__ import annotations

from desk.core.engine.base import Draft, Engine, EngineError, Provenance

__all__ = ["Draft", "Engine", "EngineError", "Provenance"]
