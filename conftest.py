import os

# The test run is a development context: it may use the development SECRET_KEY.
# pytest-django still forces settings.DEBUG to False while tests run.
os.environ.setdefault("DJANGO_DEBUG", "true")
