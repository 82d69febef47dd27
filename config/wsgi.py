import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load the URLconf (and with it every view module, pyld and the shipped JSON-LD contexts) now
# rather than on the first request, then move all of it out of the garbage collector's sight: it
# lives as long as the process. Otherwise a full collection walks those ~170,000 objects and
# pauses the worker ~140 ms about once every hundred requests, which is what the slowest
# requests under load were waiting on (bench/README.md, "Garbage collection").
get_resolver().url_patterns  # noqa: B018 (evaluated for its side effect: importing the views)
gc.freeze()
