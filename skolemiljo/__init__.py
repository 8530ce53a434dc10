"""skm – verktøy for kap. 12-saker etter opplæringslova.

The package is a plain Python API (``skolemiljo.api``) with a thin command line
(``skolemiljo.cli``) on top.
"""

__version__ = "0.1.0"
