"""`framelens --help` answers at once: registering the commands imports none of the library's
heavy dependencies (they are imported when a command runs)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "pyarrow", "sklearn", "scipy", "nltk", "matplotlib", "torch")


def test_registering_the_commands_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from framelens.cli import _register_commands\n"
        "_register_commands()\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"imported by `framelens --help`: {done.stdout.strip()}"


def test_help_lists_every_command():
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "score", "process", "run", "compare", "validate", "train"):
        assert command in result.output
