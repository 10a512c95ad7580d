"""The CLI's commands, one module an area (stories, log, export, search, engine, glossary,
workbench); each lists its commands in COMMANDS, which desk/cli.py adds to the `desk`
group. `common.py` holds what every command shares, `output.py` what they print."""
