"""The WSGI entry point gunicorn serves in the browser tests: the real app, unchanged,
with its instance folder (SQLite file, secret key) in the test's temporary folder.

``create_app`` has no environment setting for the instance folder, so this module passes
it in; every other setting comes from the environment as in production.
"""

import os

from annotator import create_app

app = create_app(instance_path=os.environ["ANNOTATOR_BROWSER_INSTANCE"])
