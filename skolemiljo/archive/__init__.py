"""The Noark 5 archive as KS Fiks Arkiv v1 sees it: the ``arkivmelding`` message skm sends
(``message``), the archive's receipt (``receipt``) and the archive-grade check of each PDF
(``pdfa``). Pure building and parsing, no I/O: ``services.archive`` reads the case, renders
the documents, writes the packages and records what was delivered.
"""
