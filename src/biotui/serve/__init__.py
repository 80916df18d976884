"""``biotui serve``: the app in a web browser, one app process per tab (textual-serve).

Only the command line imports this package, inside the command; it never imports the app
(each tab runs ``python -m biotui`` in its own process) nor Textual.
"""

from biotui.serve.server import Listening, ServeOptions, serve

__all__ = ["Listening", "ServeOptions", "serve"]
