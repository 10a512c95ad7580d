"""Machine-translation engines behind one Protocol: argos (default) and none."""

from __future__ import annotations

from desk.core.engine.base import Draft, Engine, EngineError, Provenance

__all__ = ["Draft", "Engine", "EngineError", "Provenance"]
