"""Old import name, re-exported while the test files move to
``annotator_testkit.databases``."""

from annotator_testkit.databases import *  # noqa: F403
