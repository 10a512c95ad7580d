"""The application layer: what both front ends (the CLI and the workbench) call.

`home.py` is one desk home: its config, store handle, glossary (and the enforcer built
from it), engine choice and exports. `service.py` holds every operation that changes a
story, each written once. `editing.py` is the editing session of one story, the state
behind the workbench's editor, with no UI in it. `engines.py` chooses the engine and
package that draft. Nothing here imports click or textual.
"""
