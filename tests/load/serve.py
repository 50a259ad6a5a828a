"""The WSGI entry point the load tests hand to gunicorn.

``create_app`` takes the instance folder only as an argument (no setting or environment
variable chooses it), so every load run gets its own folder through this module instead of
sharing the checkout's ``instance/``.
"""

import os

from annotator import create_app

INSTANCE_ENV = "ANNOTATOR_LOAD_INSTANCE"

app = create_app(instance_path=os.environ[INSTANCE_ENV])
