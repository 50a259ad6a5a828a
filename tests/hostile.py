"""Old import name of the payloads, re-exported while the test files move to
``annotator_testkit.hostile``."""

from annotator_testkit.hostile import *  # noqa: F403
