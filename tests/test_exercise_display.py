"""An exercise is drawn by the renderer however the kernel came to be.

The book's kernels are forked from a warm process that imported coursekit before any IPython shell existed
(:mod:`coursekit.book.kernel_fork`); an exercise shown there must still be the live widget plus the book's HTML,
not its Python repr.
"""

import subprocess
import sys

SCRIPT = """
import coursekit                                   # first, as in a kernel forked from a warm process
from IPython.testing.globalipapp import start_ipython
shell = start_ipython()                            # the shell exists only now
from coursekit import Choice, SingleChoice
exercise = SingleChoice(id="p-late-shell", prompt="Which?", choices=[Choice("a", feedback="Yes."), Choice("b", feedback="No.")], key="a",
                        mode="practice", outcomes=["LO1"])
data, _ = shell.display_formatter.format(exercise)
print(sorted(data))
print("SingleChoice(" in data["text/plain"], "coursekit-exercise" in data.get("text/html", ""))
"""


def test_an_exercise_is_drawn_when_the_shell_starts_after_coursekit_is_imported():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kinds, flags = done.stdout.strip().splitlines()[-2:]
    assert "application/vnd.jupyter.widget-view+json" in kinds and "text/html" in kinds
    assert flags == "False True"  # no Python repr; the book's HTML of the exercise
