"""Tests of desk.core.engine: the Argos engine against argostranslate, LibreTranslate over HTTP."""
