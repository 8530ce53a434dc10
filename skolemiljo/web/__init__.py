"""``skm serve``: the case repository in a web browser, for the staff who never open a terminal.

The web interface is an interface like the command line: it parses forms and shows pages, and
every rule, refusal and commit comes from the same services (``skolemiljo.services``), checks,
renderers and history as ``skm`` on the command line. Modules:

* ``server``: the settings of one ``skm serve`` (address, authentication), checked before start,
  and the waitress server;
* ``app``: the Flask application: routes, pages, the security gate in front of every request;
* ``security``: sessions, the one-time login token, CSRF tokens, the Host check, the trusted
  proxy's identity header, the response headers (Content-Security-Policy);
* ``forms``: every action's form: its fields and the service call it makes;
* ``views``: what each page shows, built from the services' data;
* ``texts``: every fixed text of the pages, in bokmål and nynorsk;
* ``templates/`` and ``static/``: the pages (Jinja2, sandboxed and autoescaped) and the
  stylesheet, served by skm itself.

Flask and waitress are the optional extra ``[web]``; nothing outside this package imports them.
"""
