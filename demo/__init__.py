"""Demonstration data telling the seed story of DOMAIN.md: Sóc Trăng, 2014 → 2015, and 2016 open.

Everything here is illustrative: the criteria trees follow the structure of the
national framework but their titles, maxima and scales are invented, and so are
the scores. `loader.demo_load` is the one entry point.
"""
